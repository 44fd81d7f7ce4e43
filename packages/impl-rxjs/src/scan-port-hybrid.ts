/**
 * scanPort, hybrid form (the course's threads-plus-coroutines scanner): the
 * port list is split into contiguous chunks, one per worker thread, and each
 * worker scans its chunk with the default variant's RxJS stream, its share of
 * the concurrency budget keeping the total in flight within `concurrency`.
 * On the main thread each worker is an Observable of indexed outcomes: the
 * subscription starts the thread, batches of outcomes flow back as they
 * finish, and unsubscribing (an abort) terminates the thread. A worker that
 * dies fails every port it has not answered with `worker-crashed`.
 */
import { Worker } from 'node:worker_threads'
import {
  checkRunOptions,
  checkScanInput,
  failed,
  failureOf,
  type RunOptions,
  type ScanInput,
  type ScanResult,
  type ScanValue,
  WorkerCrashedError,
} from '@arena/core'
import { EMPTY, lastValueFrom, merge, Observable } from 'rxjs'
import { type Indexed, inInputOrder } from './outcomes.ts'
import type { ScanJob } from './scan-worker.ts'

const workerUrl = new URL('./scan-worker.ts', import.meta.url)

/** Splits `total` into `parts` near-equal positive integers. */
function share(total: number, parts: number): number[] {
  return Array.from(
    { length: parts },
    (_, i) => Math.floor(total / parts) + (i < total % parts ? 1 : 0),
  )
}

/**
 * Scans `job` on a worker thread, emitting its outcomes tagged with their
 * index in the whole input (`offset` + index in the chunk). The thread's
 * termination is pushed onto `exits` so the caller can wait for it.
 */
function scanOnWorker(
  job: ScanJob,
  offset: number,
  exits: Promise<number>[],
): Observable<Indexed<ScanValue>> {
  return new Observable<Indexed<ScanValue>>((subscriber) => {
    const worker = new Worker(workerUrl, { workerData: job })
    const answered = new Uint8Array(job.ports.length)
    let remaining = job.ports.length
    worker.on('message', (batch: Indexed<ScanValue>[]) => {
      for (const [index, outcome] of batch) {
        answered[index] = 1
        subscriber.next([offset + index, outcome])
      }
      remaining -= batch.length
      if (remaining === 0) subscriber.complete()
    })
    const lost = (reason: string) => {
      const failure = failureOf(new WorkerCrashedError(reason))
      answered.forEach((done, index) => {
        if (!done) subscriber.next([offset + index, failed(failure)])
      })
      subscriber.complete()
    }
    worker.on('error', (error) => lost(`scan worker threw: ${error.message}`))
    worker.on('exit', (code) => lost(`scan worker exited with code ${code}`))
    return () => {
      worker.removeAllListeners()
      exits.push(worker.terminate())
    }
  })
}

/** Scans on `max(1, parallelism)` worker threads, each running the RxJS scanner on its chunk. */
export async function scanPortHybrid(input: ScanInput, options: RunOptions): Promise<ScanResult> {
  checkScanInput(input)
  const { concurrency, parallelism, timeoutMs, signal } = checkRunOptions(options)
  const { host, ports } = input
  const threads = Math.max(1, Math.min(parallelism, concurrency, ports.length))
  const budgets = share(concurrency, threads)
  const exits: Promise<number>[] = []
  let offset = 0
  const chunks = share(ports.length, threads).map((size, i) => {
    const job: ScanJob = {
      host,
      ports: ports.slice(offset, offset + size),
      concurrency: budgets[i] ?? 1,
      timeoutMs,
    }
    offset += size
    return size === 0 ? EMPTY : scanOnWorker(job, offset - size, exits)
  })
  try {
    return await lastValueFrom(merge(...chunks).pipe(inInputOrder(ports.length, signal)))
  } finally {
    // After an abort the answers are final; a worker still loading its module takes
    // 150+ ms to terminate, and nobody needs to wait for that.
    if (!signal?.aborted) await Promise.all(exits)
  }
}
