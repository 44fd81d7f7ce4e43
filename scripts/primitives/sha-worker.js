/**
 * The primitives benchmark's raw hashing worker: sha256 of each buffer it is
 * sent, and on 'busy' the ms it spent hashing since it was last asked.
 */
import { createHash } from 'node:crypto'
import { parentPort } from 'node:worker_threads'

let busyMs = 0
parentPort?.on('message', (data) => {
  if (data === 'busy') {
    parentPort?.postMessage(busyMs)
    busyMs = 0
    return
  }
  const start = performance.now()
  const digest = createHash('sha256').update(data).digest('hex')
  busyMs += performance.now() - start
  parentPort?.postMessage(digest)
})
parentPort?.postMessage('ready')
