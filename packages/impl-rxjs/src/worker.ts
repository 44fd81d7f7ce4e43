/**
 * The worker thread's side of the pool: digest each buffer it is sent and
 * post the hex digest back. Imports only core's kernel, so it starts fast.
 */
import { parentPort } from 'node:worker_threads'
import { sha256Hex } from '@arena/core/kernel'

parentPort?.on('message', (data: Uint8Array) => {
  parentPort?.postMessage(sha256Hex(data))
})
// The first message says the module is loaded: the pool gives this worker tasks only from here.
parentPort?.postMessage('ready')
