/**
 * The `tuned` variant: the default programs with fewer fibers per item, for
 * the rows where Effect's per-item cost shows (see the README). Each
 * workload runs `concurrency` lanes (`lanes`) and gives each operation its
 * deadline inside its own callback (`attempt`) instead of `Effect.timeout`;
 * the pipeline downloads and hashes within each lane instead of streaming
 * two stages. Resources, interruption and the outcome boundary are the
 * default ones.
 */
import {
  checkFetchInput,
  checkRunOptions,
  checkScanInput,
  createHttpClient,
  type FetchInput,
  type FetchResult,
  type FetchValue,
  failed,
  type PipelineInput,
  type PipelineResult,
  type PipelineValue,
  type RunOptions,
  type ScanInput,
  type ScanResult,
  type ScanValue,
  success,
  tcpProbe,
} from '@arena/core'
import * as Effect from 'effect/Effect'
import { Hasher, hasherFor } from './hasher.ts'
import { attempt, lanes } from './lanes.ts'
import { runOutcomes, settle } from './run.ts'

/** Core's shared HTTP client, closed with the enclosing scope. */
const httpClient = (origin: string, connections: number) =>
  Effect.acquireRelease(
    Effect.sync(() => createHttpClient({ origin, connections })),
    (client) => Effect.promise(() => client.close()),
  )

/** `fetch` on `concurrency` lanes. */
export async function fetchTuned(input: FetchInput, options: RunOptions): Promise<FetchResult> {
  const origin = checkFetchInput(input)
  const { concurrency, timeoutMs, signal } = checkRunOptions(options)
  if (origin === undefined) return []
  const { urls } = input
  return runOutcomes<FetchValue>(urls.length, signal, (record) =>
    Effect.gen(function* () {
      const client = yield* httpClient(origin, concurrency)
      yield* lanes(urls.length, concurrency, (index) =>
        attempt(timeoutMs, (signal) => client.get(urls[index] as string, { signal })).pipe(
          Effect.flatMap((outcome) => record(index, outcome)),
        ),
      )
    }).pipe(Effect.scoped),
  )
}

/** `scanPort` on `concurrency` lanes; a probe past its deadline means `filtered`. */
export async function scanPortTuned(input: ScanInput, options: RunOptions): Promise<ScanResult> {
  checkScanInput(input)
  const { concurrency, timeoutMs, signal } = checkRunOptions(options)
  const { host, ports } = input
  return runOutcomes<ScanValue>(ports.length, signal, (record) =>
    lanes(ports.length, concurrency, (index) =>
      attempt(timeoutMs, (signal) => tcpProbe(host, ports[index] as number, { signal })).pipe(
        Effect.flatMap((outcome) =>
          record(
            index,
            outcome.ok
              ? success({ state: outcome.value })
              : outcome.failure.kind === 'timeout'
                ? success({ state: 'filtered' })
                : failed(outcome.failure),
          ),
        ),
      ),
    ),
  )
}

/** `pipeline` on `concurrency` lanes, each downloading a page and then awaiting its digest. */
export async function pipelineTuned(
  input: PipelineInput,
  options: RunOptions,
): Promise<PipelineResult> {
  const origin = checkFetchInput(input)
  const { concurrency, timeoutMs, signal } = checkRunOptions(options)
  if (origin === undefined) return []
  const { urls } = input
  const toValue = settle((digest: string) => ({ digest }))
  return runOutcomes<PipelineValue>(urls.length, signal, (record) =>
    Effect.gen(function* () {
      const client = yield* httpClient(origin, concurrency)
      const { digest } = yield* Hasher
      yield* lanes(urls.length, concurrency, (index) =>
        attempt(timeoutMs, (signal) => client.getBody(urls[index] as string, { signal })).pipe(
          Effect.flatMap((page) =>
            page.ok ? toValue(digest(page.value.body)) : Effect.succeed(failed(page.failure)),
          ),
          Effect.flatMap((outcome) => record(index, outcome)),
        ),
      )
    }).pipe(Effect.scoped, Effect.provide(hasherFor(options))),
  )
}
