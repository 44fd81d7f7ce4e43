/**
 * A worker thread of the hybrid scanner. It says it is ready once loaded,
 * then scans each job it is sent (one at a time: the main thread sends the
 * next only after `done`) with the default Effect scanner's probe, as a
 * stream of `[index, outcome]` pairs posted back in batches (every 1024
 * outcomes or 20 ms, whichever comes first), then `done`. On `cancel` (the
 * call was aborted) it interrupts the job's fiber, which destroys its
 * sockets, and answers `cancelled` once it has ended: nothing of that job
 * follows, so the thread can take the next. It is TypeScript and loads
 * Effect, unlike the hash worker: its start-up is paid once per thread of an
 * open instance, and a scan is long next to it.
 */
import { parentPort } from 'node:worker_threads'
import type { Outcome, ScanValue } from '@arena/core'
import * as Cause from 'effect/Cause'
import * as Effect from 'effect/Effect'
import * as Exit from 'effect/Exit'
import * as Stream from 'effect/Stream'
import { probePort } from './scan-port.ts'
import { sharedTcp, Tcp } from './tcp.ts'

/** What the main thread gives a worker to scan. */
export interface ScanJob {
  readonly host: string
  readonly ports: readonly number[]
  readonly concurrency: number
  readonly timeoutMs: number
}

/** A batch of outcomes by index in the job's ports. */
export type ScanBatch = readonly (readonly [index: number, outcome: Outcome<ScanValue>])[]

/** What a worker posts after `ready`: batches of a job, then `done`; or `cancelled`. */
export type ScanMessage = ScanBatch | 'done' | 'cancelled'

/** What the main thread posts: a job, or `cancel` for the running one. */
export type ScanRequest = ScanJob | 'cancel'

const post = (message: ScanMessage) => Effect.sync(() => parentPort?.postMessage(message))

const scan = (job: ScanJob) =>
  Effect.gen(function* () {
    const probe = probePort((yield* Tcp).probe, job.host, job.timeoutMs)
    yield* Stream.fromIterable(job.ports).pipe(
      Stream.mapEffect(
        (port, index) => Effect.map(probe(port), (outcome) => [index, outcome] as const),
        { concurrency: job.concurrency, unordered: true },
      ),
      Stream.groupedWithin(1024, 20),
      Stream.runForEach(post),
    )
    yield* post('done')
  }).pipe(Effect.provide(sharedTcp))

let cancel: (() => void) | undefined

parentPort?.on('message', (request: ScanRequest) => {
  if (request !== 'cancel') {
    cancel = Effect.runCallback(scan(request), {
      onExit: (exit) => {
        cancel = undefined
        if (Exit.isSuccess(exit)) return
        if (Cause.hasInterruptsOnly(exit.cause)) return parentPort?.postMessage('cancelled')
        // A defect crashes the thread: the main thread fails the rest of the job.
        process.nextTick(() => {
          throw Cause.squash(exit.cause)
        })
      },
    })
  } else if (cancel) cancel()
  else parentPort?.postMessage('cancelled')
})
parentPort?.postMessage('ready')
