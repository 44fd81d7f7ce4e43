/**
 * A child process of the hybrid scanner on processes (the course's
 * "coroutine + process" scanner): scans each chunk it is sent with async lanes
 * of core's TCP probe — at most the chunk's concurrency connects in flight,
 * each under its own deadline, a probe cut off by that deadline `filtered` —
 * and sends each port's outcome back as it completes, batched per turn of the
 * event loop so that a full-range scan is not one message per port. An `abort`
 * for a chunk aborts its lanes, whose ports then end `aborted` and are still
 * sent. Plain JavaScript; it loads core's index for the probe. It exits when
 * its IPC channel closes (the parent died) or is killed.
 */
import { abortedFailure, deadline, failed, failureOf, success, tcpProbe } from '@arena/core'

/**
 * @typedef {{ readonly kind: 'scan', readonly id: number, readonly host: string,
 *   readonly ports: readonly number[], readonly concurrency: number, readonly timeoutMs: number }
 *   | { readonly kind: 'abort', readonly id: number }} ScanProcessRequest
 * What the parent sends: a chunk to scan under its id, or the abort of one.
 */

/** @typedef {import('@arena/core').Outcome<import('@arena/core').ScanValue>} PortOutcome */

/**
 * @typedef {{ readonly kind: 'ready' }
 *   | { readonly kind: 'outcomes', readonly id: number, readonly done: readonly (readonly [number, PortOutcome])[] }} ScanProcessReply
 * What the process sends back: it has loaded, or some ports of a chunk, each with its index in the chunk.
 */

if (!process.send) throw new Error('scan-process-worker.js runs as a forked child process only')
const channel = process.send.bind(process)
/** @param {ScanProcessReply} reply */
const send = (reply) => channel(reply)

/** @type {Map<number, AbortController>} Chunks being scanned, by id: how to abort each. */
const running = new Map()
/** @type {Map<number, [number, PortOutcome][]>} Outcomes finished this turn and not yet sent, by chunk id. */
const unsent = new Map()
let flushing = false

/** @param {number} id @param {number} index @param {PortOutcome} outcome */
function report(id, index, outcome) {
  const batch = unsent.get(id)
  if (batch) batch.push([index, outcome])
  else unsent.set(id, [[index, outcome]])
  if (flushing) return
  flushing = true
  setImmediate(() => {
    flushing = false
    for (const [chunk, done] of unsent) send({ kind: 'outcomes', id: chunk, done })
    unsent.clear()
  })
}

/**
 * @param {string} host @param {number} port @param {number} timeoutMs @param {AbortSignal} signal
 * @returns {Promise<PortOutcome>}
 */
async function probe(host, port, timeoutMs, signal) {
  if (signal.aborted) return failed(abortedFailure)
  const limit = deadline(timeoutMs, signal)
  try {
    return success({ state: await tcpProbe(host, port, { signal: limit }) })
  } catch (error) {
    const failure = failureOf(error, limit)
    return failure.kind === 'timeout' ? success({ state: 'filtered' }) : failed(failure)
  }
}

/** @param {Extract<ScanProcessRequest, { kind: 'scan' }>} job */
async function scan({ id, host, ports, concurrency, timeoutMs }) {
  const controller = new AbortController()
  running.set(id, controller)
  let next = 0
  const lane = async () => {
    while (next < ports.length) {
      const index = next++
      report(id, index, await probe(host, ports[index] ?? 0, timeoutMs, controller.signal))
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, ports.length) }, lane))
  running.delete(id)
}

process.on('message', (/** @type {ScanProcessRequest} */ request) => {
  if (request.kind === 'abort') return running.get(request.id)?.abort()
  void scan(request)
})
process.on('disconnect', () => process.exit(0))
send({ kind: 'ready' })
