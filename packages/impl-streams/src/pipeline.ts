/**
 * pipeline, streams style: two maps in a row, as stream code puts stages —
 * `Readable.from(urls).map(download, { concurrency }).map(digest, {
 * concurrency: parallelism })` — so downloads and hashing overlap, each stage
 * bounded by its own figure. A failed download is put in the `Ledger` at once
 * and passes through the second stage as it is; with `parallelism` 0 the
 * second stage digests on the event loop. The stages are ordered, so a stalled
 * page at the head of the first holds up the second as well.
 */
import { Readable } from 'node:stream'
import {
  checkFetchInput,
  deadline,
  failed,
  failureOf,
  type HttpClient,
  type Outcome,
  type PipelineValue,
  type RunOptions,
  sha256Hex,
  success,
} from '@arena/core'
import { Ledger } from './ledger.ts'
import { oneShot, type Step } from './lifecycle.ts'
import type { WorkerPool } from './pool.ts'

/** A page on its way through the stages: its index and its body, or why it has none. */
export type Downloaded = readonly [index: number, body: Outcome<Uint8Array>]

/**
 * One page's body as an outcome: a GET on `client` under a deadline of
 * `timeoutMs` joined to `signal`; `started` is called as the request goes out.
 */
export async function download(
  client: HttpClient,
  url: string,
  timeoutMs: number,
  signal: AbortSignal | undefined,
  started?: () => void,
): Promise<Outcome<Uint8Array>> {
  const limit = deadline(timeoutMs, signal)
  started?.()
  try {
    return success((await client.getBody(url, { signal: limit })).body)
  } catch (error) {
    return failed(failureOf(error, limit))
  }
}

/** A downloaded body's digest as an outcome, on `pool` (or on the loop without one). */
export async function digestBody(
  pool: WorkerPool | undefined,
  body: Uint8Array,
  timeoutMs: number,
  signal: AbortSignal | undefined,
): Promise<Outcome<PipelineValue>> {
  try {
    return success({
      digest: pool ? await pool.digest(body, { timeoutMs, signal }) : sha256Hex(body),
    })
  } catch (error) {
    return failed(failureOf(error, signal))
  }
}

/** The two stages of one call, over `ledger`: download (settling failures), then digest. */
export function stages(
  ledger: Ledger<PipelineValue>,
  client: HttpClient,
  pool: WorkerPool | undefined,
  { timeoutMs, signal, onStart }: Pick<RunOptions, 'timeoutMs' | 'signal' | 'onStart'>,
) {
  return {
    downloading: ledger.numbered(async (url: string, index): Promise<Downloaded> => {
      const body = await download(client, url, timeoutMs, signal, onStart && (() => onStart(index)))
      if (!body.ok) ledger.settle(index, body)
      return [index, body]
    }),
    digesting: async ([index, body]: Downloaded): Promise<Outcome<PipelineValue>> =>
      body.ok ? ledger.settle(index, await digestBody(pool, body.value, timeoutMs, signal)) : body,
  }
}

/** pipeline on the kept resources. */
export const pipelineOn: Step<'pipeline'> = {
  check: checkFetchInput,
  async run(kept, { urls }, options) {
    const { concurrency, parallelism, signal, onOutcome } = options
    const first = urls[0]
    if (first === undefined) return []
    const client = kept.client(new URL(first).origin)
    // Started before the first download, so a one-shot call's workers load while pages arrive.
    const pool = signal?.aborted ? undefined : kept.pool()
    const ledger = new Ledger<PipelineValue>(urls.length, onOutcome)
    const { downloading, digesting } = stages(ledger, client, pool, options)
    const digests = Readable.from(urls)
      .map(downloading, { concurrency, signal })
      .map(digesting, { concurrency: Math.max(1, parallelism), signal })
    return ledger.collect(digests, signal)
  },
}

/** Downloads every page and digests its body, overlapping the two. */
export const pipeline = oneShot(pipelineOn)
