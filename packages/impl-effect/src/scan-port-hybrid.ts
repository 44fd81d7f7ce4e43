/**
 * scanPort, hybrid form (threads plus fibers): the port list is split into
 * contiguous chunks, one per worker thread, and each worker scans its chunk
 * with the default Effect scanner. The concurrency budget is shared out so
 * the total in flight never exceeds `concurrency`. On this side each worker
 * is a scoped resource whose messages are a `Stream` of outcome batches; an
 * abort interrupts the streams and terminates the threads, keeping the
 * outcomes already received. A worker that dies fails the rest of its chunk
 * with `worker-crashed`.
 */
import { Worker } from 'node:worker_threads'
import {
  checkRunOptions,
  checkScanInput,
  failed,
  type RunOptions,
  type ScanInput,
  type ScanResult,
  type ScanValue,
} from '@arena/core'
import * as Cause from 'effect/Cause'
import * as Effect from 'effect/Effect'
import * as Queue from 'effect/Queue'
import * as Stream from 'effect/Stream'
import { toFailure, WorkerCrashError } from './errors.ts'
import { type Recorder, runOutcomes } from './run.ts'
import type { ScanJob, ScanMessage } from './scan-worker.ts'

const workerUrl = new URL('./scan-worker.ts', import.meta.url)

/** Splits `total` into `parts` near-equal positive integers. */
const share = (total: number, parts: number): number[] =>
  Array.from({ length: parts }, (_, i) => Math.floor(total / parts) + (i < total % parts ? 1 : 0))

/** The outcome batches a scan worker posts, until `done`; fails if the thread dies first. */
const batches = (thread: Worker) =>
  Stream.callback<Exclude<ScanMessage, 'done'>, WorkerCrashError>((queue) =>
    Effect.sync(() => {
      const crash = (cause: unknown) =>
        Queue.failCauseUnsafe(queue, Cause.fail(new WorkerCrashError({ cause })))
      thread.on('message', (message: ScanMessage) =>
        message === 'done' ? Queue.endUnsafe(queue) : Queue.offerUnsafe(queue, message),
      )
      thread.on('error', crash)
      thread.on('exit', (code) => crash(`scan worker exited with code ${code}`))
    }),
  )

/** Scans `job` on its own thread, recording each outcome at `offset` + its index in the chunk. */
const scanChunk = (job: ScanJob, offset: number, record: Recorder<ScanValue>) =>
  Effect.gen(function* () {
    const thread = yield* Effect.acquireRelease(
      Effect.sync(() => new Worker(workerUrl, { workerData: job })),
      (thread) => Effect.promise(() => thread.terminate()),
    )
    const received = new Set<number>()
    yield* batches(thread).pipe(
      Stream.runForEach((batch) =>
        Effect.forEach(batch, ([index, outcome]) => {
          received.add(index)
          return record(offset + index, outcome)
        }),
      ),
      Effect.catch((error) =>
        Effect.forEach(job.ports, (_, index) =>
          received.has(index) ? Effect.void : record(offset + index, failed(toFailure(error))),
        ),
      ),
    )
  }).pipe(Effect.scoped)

/** Scans on `max(1, parallelism)` worker threads, each running the Effect scanner on its chunk. */
export async function scanPortHybrid(input: ScanInput, options: RunOptions): Promise<ScanResult> {
  checkScanInput(input)
  const { concurrency, parallelism, timeoutMs, signal } = checkRunOptions(options)
  const { host, ports } = input
  if (ports.length === 0) return []
  const threads = Math.max(1, Math.min(parallelism, concurrency, ports.length))
  const budgets = share(concurrency, threads)
  let start = 0
  const chunks = share(ports.length, threads).map((size, i) => {
    const offset = start
    start += size
    const job: ScanJob = {
      host,
      ports: ports.slice(offset, offset + size),
      concurrency: budgets[i] ?? 1,
      timeoutMs,
    }
    return { job, offset }
  })
  return runOutcomes<ScanValue>(ports.length, signal, (record) =>
    Effect.forEach(chunks, ({ job, offset }) => scanChunk(job, offset, record), {
      concurrency: 'unbounded',
      discard: true,
    }),
  )
}
