/**
 * A worker thread of the hybrid scanner: scans its chunk with the default
 * variant's RxJS probe stream and posts the outcomes back as they come, in
 * batches, each tagged with its index in the chunk. When the last batch is
 * posted the stream is done and the thread ends on its own.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { bufferTime, filter } from 'rxjs'
import { mapOutcomes } from './outcomes.ts'
import { probe } from './probe.ts'

/** What the main thread sends each worker. */
export interface ScanJob {
  readonly host: string
  readonly ports: readonly number[]
  readonly concurrency: number
  readonly timeoutMs: number
}

// One message per port would cost more than its probe; and a batch is at most
// what an abort can lose of the answers this worker has already found.
const BATCH_MS = 20

const job = workerData as ScanJob
mapOutcomes(job.ports, job.concurrency, (port) => probe(job.host, port, job.timeoutMs))
  .pipe(
    bufferTime(BATCH_MS),
    filter((batch) => batch.length > 0),
  )
  .subscribe({
    next: (batch) => parentPort?.postMessage(batch),
    complete: () => parentPort?.close(),
  })
