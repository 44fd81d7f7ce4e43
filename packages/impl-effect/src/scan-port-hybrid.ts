/**
 * scanPort, hybrid form (threads plus fibers): the port list is split into
 * contiguous chunks, one per worker thread, and each worker scans its chunk
 * with the default Effect scanner. The concurrency budget is shared out so
 * the total in flight never exceeds `concurrency`. On this side the scan
 * threads are an Effect `Pool` (`ScanThreads`, for one call or an open
 * instance), and a chunk's outcomes are a `Stream` of the batches its
 * thread posts. An abort interrupts the streams, keeping the outcomes already
 * received; a one-shot call's threads are then terminated, while an open
 * instance cancels each interrupted job by message and keeps its thread. A
 * thread that dies fails the rest of its chunk with `worker-crashed`. Each
 * outcome is reported (`onOutcome`) as its batch arrives on this thread;
 * `onStart` is not: a connect starts in a worker, and a message per port
 * back to this thread would cost more than the connect.
 */
import {
  checkRunOptions,
  checkScanInput,
  failed,
  type RunOptions,
  type ScanInput,
  type ScanValue,
} from '@arena/core'
import * as Cause from 'effect/Cause'
import * as Context from 'effect/Context'
import * as Effect from 'effect/Effect'
import * as Layer from 'effect/Layer'
import * as Queue from 'effect/Queue'
import * as Stream from 'effect/Stream'
import { toFailure, WorkerCrashError } from './errors.ts'
import { type Call, oneShot, type Recorder } from './run.ts'
import type { ScanBatch, ScanJob, ScanRequest } from './scan-worker.ts'
import {
  makeThreadPool,
  type Recover,
  type Thread,
  type ThreadPool,
  withThread,
} from './threads.ts'

const workerUrl = new URL('./scan-worker.ts', import.meta.url)

/** The hybrid scanner's worker threads. */
export class ScanThreads extends Context.Service<ScanThreads, ThreadPool>()(
  '@arena/impl-effect/ScanThreads',
) {}

/** How long a thread has to confirm a cancelled job, in milliseconds, before it is terminated. */
const CANCEL_MS = 1000

/** Cancels the job `thread` is scanning; `true` once it says nothing more of that job follows. */
const cancelJob: Recover = (thread) =>
  new Promise((resolve) => {
    const settle = (kept: boolean) => {
      clearTimeout(timer)
      thread.listener = undefined
      resolve(kept)
    }
    const timer = setTimeout(() => settle(false), CANCEL_MS)
    thread.listener = {
      message: (message) => message === 'cancelled' && settle(true),
      crash: () => settle(false),
    }
    thread.worker.postMessage('cancel' satisfies ScanRequest)
  })

/**
 * `ScanThreads` of `size` threads. `kept` (an open instance's) brings a thread whose job was
 * interrupted back by cancelling the job; a one-shot call's pool is about to close, so it
 * terminates such a thread.
 */
export const scanThreads = (size: number, kept: boolean): Layer.Layer<ScanThreads> =>
  Layer.effect(ScanThreads, makeThreadPool(workerUrl, size, kept ? cancelJob : undefined))

/** Splits `total` into `parts` near-equal positive integers. */
const share = (total: number, parts: number): number[] =>
  Array.from({ length: parts }, (_, i) => Math.floor(total / parts) + (i < total % parts ? 1 : 0))

/** How many chunks (threads) a call of `count` ports scans in. */
const chunksOf = ({ concurrency, parallelism }: RunOptions, count: number) =>
  Math.max(1, Math.min(parallelism, concurrency, count))

/** The batches `thread` posts for `job`, until `done`; fails if the thread dies first. */
const batches = (thread: Thread, job: ScanJob) =>
  Stream.callback<ScanBatch, WorkerCrashError>((queue) =>
    Effect.acquireRelease(
      Effect.sync(() => {
        thread.listener = {
          message: (message) =>
            message === 'done'
              ? Queue.endUnsafe(queue)
              : Queue.offerUnsafe(queue, message as ScanBatch),
          crash: (cause) =>
            Queue.failCauseUnsafe(queue, Cause.fail(new WorkerCrashError({ cause }))),
        }
        thread.worker.postMessage(job satisfies ScanRequest)
      }),
      () =>
        Effect.sync(() => {
          thread.listener = undefined
        }),
    ),
  )

/** Scans `job` on a thread, recording each outcome at `offset` + its index in the chunk. */
const scanChunk = (
  threads: ThreadPool,
  job: ScanJob,
  offset: number,
  record: Recorder<ScanValue>,
) =>
  Effect.suspend(() => {
    const received = new Set<number>()
    return withThread(threads, (thread) =>
      batches(thread, job).pipe(
        Stream.runForEach((batch) =>
          Effect.forEach(batch, ([index, outcome]) => {
            received.add(index)
            return record(offset + index, outcome)
          }),
        ),
      ),
    ).pipe(
      Effect.catch((error) =>
        Effect.forEach(job.ports, (_, index) =>
          received.has(index) ? Effect.void : record(offset + index, failed(toFailure(error))),
        ),
      ),
    )
  })

/** The hybrid `scanPort` program for `input`: validated now, started by whoever runs it. */
export const scanPortHybridCall = (
  input: ScanInput,
  options: RunOptions,
): Call<ScanValue, ScanThreads> => {
  checkScanInput(input)
  const checked = checkRunOptions(options)
  const { host, ports } = input
  const count = chunksOf(checked, ports.length)
  const budgets = share(checked.concurrency, count)
  let start = 0
  const chunks = share(ports.length, count).map((size, i) => {
    const offset = start
    start += size
    const job: ScanJob = {
      host,
      ports: ports.slice(offset, offset + size),
      concurrency: budgets[i] ?? 1,
      timeoutMs: checked.timeoutMs,
    }
    return { job, offset }
  })
  return {
    count: ports.length,
    options: checked,
    program: (record) =>
      ScanThreads.use((threads) =>
        Effect.forEach(chunks, ({ job, offset }) => scanChunk(threads, job, offset, record), {
          concurrency: 'unbounded',
          discard: true,
        }),
      ),
  }
}

/** Scans on `max(1, parallelism)` worker threads, each running the Effect scanner on its chunk. */
export const scanPortHybrid = oneShot(scanPortHybridCall, ({ options, count }) =>
  scanThreads(chunksOf(options, count), false),
)
