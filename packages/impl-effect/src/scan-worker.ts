/**
 * A worker thread of the hybrid scanner: scans its chunk with the default
 * Effect scanner's probe, as a stream of `[index, outcome]` pairs, and posts
 * them back in batches (every 1024 outcomes or 20 ms, whichever comes
 * first), then `done`. The main thread terminates it when it has them all,
 * or at once on an abort; what it posted by then is kept.
 */
import { parentPort, workerData } from 'node:worker_threads'
import type { Outcome, ScanValue } from '@arena/core'
import * as Effect from 'effect/Effect'
import * as Stream from 'effect/Stream'
import { probePort } from './scan-port.ts'
import { sharedTcp, Tcp } from './tcp.ts'

/** What the main thread gives each worker. */
export interface ScanJob {
  readonly host: string
  readonly ports: readonly number[]
  readonly concurrency: number
  readonly timeoutMs: number
}

/** What a worker posts: a batch of outcomes by index in its chunk, or `done`. */
export type ScanMessage =
  | readonly (readonly [index: number, outcome: Outcome<ScanValue>])[]
  | 'done'

const job = workerData as ScanJob
const post = (message: ScanMessage) => Effect.sync(() => parentPort?.postMessage(message))

await Effect.gen(function* () {
  const scan = probePort((yield* Tcp).probe, job.host, job.timeoutMs)
  yield* Stream.fromIterable(job.ports).pipe(
    Stream.mapEffect(
      (port, index) => Effect.map(scan(port), (outcome) => [index, outcome] as const),
      { concurrency: job.concurrency, unordered: true },
    ),
    Stream.groupedWithin(1024, 20),
    Stream.runForEach(post),
  )
  yield* post('done')
}).pipe(Effect.provide(sharedTcp), Effect.runPromise)
