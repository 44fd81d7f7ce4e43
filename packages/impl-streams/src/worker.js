/**
 * A hashing worker of the streams pool: it says `ready` once loaded, then
 * answers every buffer it is sent with its sha256 hex digest, one at a time.
 * Plain JavaScript that imports only core's kernel (plain JavaScript too), so
 * starting a worker compiles no TypeScript and loads nothing but `node:crypto`.
 */
import { parentPort } from 'node:worker_threads'
import { sha256Hex } from '@arena/core/kernel'

if (parentPort === null) throw new Error('worker.js runs as a worker thread only')
const port = parentPort

port.on('message', (/** @type {Uint8Array} */ data) => port.postMessage(sha256Hex(data)))
// The pool starts a task's deadline only once its worker has said this.
port.postMessage('ready')
