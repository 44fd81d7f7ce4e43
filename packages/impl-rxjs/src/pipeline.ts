/**
 * pipeline, RxJS style, as one stream: `mergeMap(…, concurrency)` over the
 * URLs, each item a download under `timeout` followed by a digest that leases
 * a worker from the pool, so at most `concurrency` downloads and `parallelism`
 * digests run at once, overlapped. The digest is nested inside the download's
 * `mergeMap` rather than a second `mergeMap` stage after it: RxJS has no
 * backpressure between stages, so a second stage would buffer every body
 * that outran the workers, while nested, at most `concurrency` bodies are held.
 */
import {
  checkFetchInput,
  checkRunOptions,
  createHttpClient,
  type PipelineInput,
  type PipelineResult,
  type PipelineValue,
  type RunOptions,
  sha256Hex,
} from '@arena/core'
import { lastValueFrom, map, mergeMap, type Observable, of, timeout } from 'rxjs'
import { fromAbortable } from './from-abortable.ts'
import { inInputOrder, mapOutcomes } from './outcomes.ts'
import { WorkerPool } from './pool.ts'

/** One page's body as a cold Observable; unsubscribing cancels the download. */
export type Download = (url: string) => Observable<Uint8Array>

/**
 * Downloads every page with `download` and digests each body, on the pool
 * (`parallelism` ≥ 1) or on the event loop; the pipeline of any HTTP client.
 */
export async function digestPages(
  urls: readonly string[],
  download: Download,
  { concurrency, parallelism, timeoutMs, signal }: RunOptions,
): Promise<PipelineResult> {
  // Already aborted: the stream will start nothing, so start no threads either.
  const pool = parallelism > 0 && !signal?.aborted ? new WorkerPool(parallelism) : undefined
  const digest = (body: Uint8Array) =>
    pool ? pool.digest(body, { timeoutMs }) : of(sha256Hex(body))
  try {
    return await lastValueFrom(
      mapOutcomes(urls, concurrency, (url) =>
        download(url).pipe(
          timeout({ first: timeoutMs }),
          mergeMap(digest),
          map((digest): PipelineValue => ({ digest })),
        ),
      ).pipe(inInputOrder(urls.length, signal)),
    )
  } finally {
    const closing = pool?.close()
    // After an abort the answers are final; a worker still loading its module takes
    // 150+ ms to terminate, and nobody needs to wait for that.
    if (!signal?.aborted) await closing
  }
}

/** Downloads every page and digests its body, overlapping the two. */
export async function pipeline(input: PipelineInput, options: RunOptions): Promise<PipelineResult> {
  const origin = checkFetchInput(input)
  checkRunOptions(options)
  if (origin === undefined) return []
  const client = createHttpClient({ origin, connections: options.concurrency })
  const download: Download = (url) =>
    fromAbortable((abort) => client.getBody(url, { signal: abort })).pipe(map(({ body }) => body))
  try {
    return await digestPages(input.urls, download, options)
  } finally {
    const closing = client.close()
    if (!options.signal?.aborted) await closing
  }
}
