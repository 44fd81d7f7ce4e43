/**
 * The worker thread's side of the pool: says it is ready once loaded (a
 * task's deadline starts only when a ready thread takes it), then digests
 * each buffer it is sent and posts the hex digest back. It is plain
 * JavaScript and imports only core's kernel (plain JavaScript too), not
 * Effect: a thread then starts without Node's TypeScript stripper and without
 * loading Effect, either of which would cost each thread more than its work
 * (see the README).
 */
import { parentPort } from 'node:worker_threads'
import { sha256Hex } from '@arena/core/kernel'

parentPort?.on('message', (/** @type {Uint8Array} */ data) =>
  parentPort?.postMessage(sha256Hex(data)),
)
parentPort?.postMessage('ready')
