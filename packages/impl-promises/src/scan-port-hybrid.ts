/**
 * scanPort, hybrid form (the course's threads-plus-coroutines scanner): the
 * port list is split into contiguous chunks, one per worker thread, and each
 * worker scans its chunk concurrently with the same promise code as the
 * default variant. The concurrency budget is shared out so the total in flight
 * never exceeds `concurrency`. An abort is forwarded to every worker, which
 * settles and sends back its outcomes before it is terminated.
 */
import { Worker } from 'node:worker_threads'
import {
  abortedFailure,
  checkRunOptions,
  checkScanInput,
  failed,
  failureOf,
  type Outcome,
  type RunOptions,
  type ScanInput,
  type ScanResult,
  type ScanValue,
} from '@arena/core'
import type { ScanJob } from './scan-worker.ts'

const workerUrl = new URL('./scan-worker.ts', import.meta.url)

/** How long after an abort the workers may take to report, in milliseconds. */
const ABORT_GRACE_MS = 25

/** Splits `total` into `parts` near-equal positive integers. */
function share(total: number, parts: number): number[] {
  return Array.from(
    { length: parts },
    (_, i) => Math.floor(total / parts) + (i < total % parts ? 1 : 0),
  )
}

/** Scans on `max(1, parallelism)` worker threads, each running the promise scanner on its chunk. */
export async function scanPortHybrid(input: ScanInput, options: RunOptions): Promise<ScanResult> {
  checkScanInput(input)
  const { concurrency, parallelism, timeoutMs, signal } = checkRunOptions(options)
  const { host, ports } = input
  if (signal?.aborted) return ports.map(() => failed(abortedFailure))
  const threads = Math.max(1, Math.min(parallelism, concurrency, ports.length))
  const sizes = share(ports.length, threads)
  const budgets = share(concurrency, threads)
  let start = 0
  const chunks = sizes.map((size, i) => {
    const job: ScanJob = {
      host,
      ports: ports.slice(start, start + size),
      concurrency: budgets[i] ?? 1,
      timeoutMs,
    }
    start += size
    return job
  })
  const workers = chunks.map((job) => new Worker(workerUrl, { workerData: job }))
  // After an abort, workers get this long to send back what they finished; a worker still
  // starting up has finished nothing, and waiting for it would make the abort slow.
  const grace = Promise.withResolvers<void>()
  let graceTimer: NodeJS.Timeout | undefined
  const forwardAbort = () => {
    for (const worker of workers) worker.postMessage('abort')
    graceTimer = setTimeout(grace.resolve, ABORT_GRACE_MS)
  }
  signal?.addEventListener('abort', forwardAbort, { once: true })
  try {
    const parts = await Promise.all(
      workers.map(
        (worker, i) =>
          new Promise<Outcome<ScanValue>[]>((resolve) => {
            const size = chunks[i]?.ports.length ?? 0
            const lost = (error: unknown) =>
              resolve(Array.from({ length: size }, () => failed(failureOf(error, signal))))
            worker.once('message', resolve)
            worker.once('error', lost)
            worker.once('exit', (code) => lost(new Error(`scan worker exited with code ${code}`)))
            void grace.promise.then(() => lost(signal?.reason))
          }),
      ),
    )
    return parts.flat()
  } finally {
    signal?.removeEventListener('abort', forwardAbort)
    clearTimeout(graceTimer)
    const closing = Promise.all(workers.map((w) => w.terminate()))
    // After an abort, terminating a worker that is still starting up can take a while; don't wait for it.
    if (!signal?.aborted) await closing
  }
}
