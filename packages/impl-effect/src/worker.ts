/**
 * The worker thread's side of the pool: says it is ready once loaded (a
 * task's deadline starts only when a ready thread takes it), then digests
 * each buffer it is sent and posts the hex digest back. It imports only
 * core's kernel, not Effect: loading Effect here would cost each thread far
 * more than its work (see the README).
 */
import { parentPort } from 'node:worker_threads'
import { sha256Hex } from '@arena/core/kernel'

parentPort?.on('message', (data: Uint8Array) => parentPort?.postMessage(sha256Hex(data)))
parentPort?.postMessage('ready')
