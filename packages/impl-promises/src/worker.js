/**
 * The worker thread's side of the pool: digest each buffer it is sent and
 * post the hex digest back. Plain JavaScript importing only core's kernel
 * (itself plain JavaScript), so a worker's start-up pays no TypeScript
 * stripping and loads nothing but `node:crypto`.
 */
import { parentPort } from 'node:worker_threads'
import { sha256Hex } from '@arena/core/kernel'

const port = /** @type {import('node:worker_threads').MessagePort} */ (parentPort)

port.on('message', (/** @type {Uint8Array} */ data) => {
  port.postMessage(sha256Hex(data))
})
// The first message says the module is loaded: the pool starts a task's deadline only from here.
port.postMessage('ready')
