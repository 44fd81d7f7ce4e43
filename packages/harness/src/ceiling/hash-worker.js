/**
 * The ceiling's worker thread: hashes each batch of buffers it is sent with
 * core's kernel and posts the batch's digests back in one message. It is
 * plain JavaScript and loads only the kernel, so its start-up is Node's own
 * worker start and nothing else. Its first message, `ready`, says the module
 * has loaded.
 */
import { parentPort } from 'node:worker_threads'
import { sha256Hex } from '@arena/core/kernel'

/** @typedef {{ readonly seq: number, readonly buffers: readonly Uint8Array[] }} Batch */

const port = parentPort
if (!port) throw new Error('hash-worker.js runs as a worker thread only')

port.on('message', (/** @type {Batch} */ batch) => {
  const digests = new Array(batch.buffers.length)
  for (let i = 0; i < batch.buffers.length; i++) {
    digests[i] = sha256Hex(/** @type {Uint8Array} */ (batch.buffers[i]))
  }
  port.postMessage({ seq: batch.seq, digests })
})
port.postMessage('ready')
