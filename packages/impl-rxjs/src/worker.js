/**
 * The worker thread's side of the pool: digest each buffer it is sent and
 * post the hex digest back. Plain JavaScript importing only core's kernel
 * (plain JavaScript too), so a worker's start-up pays no TypeScript stripping.
 */
import { parentPort } from 'node:worker_threads'
import { sha256Hex } from '@arena/core/kernel'

const port = parentPort
if (port === null) throw new Error('worker.js is a worker thread entry point')

port.on('message', (/** @type {Uint8Array} */ data) => {
  port.postMessage(sha256Hex(data))
})
// The first message says the module is loaded: the pool gives this worker tasks only from here.
port.postMessage('ready')
