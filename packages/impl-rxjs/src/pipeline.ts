/**
 * pipeline, RxJS style, as one stream: `mergeMap(…, concurrency)` over the
 * URLs, each item a download under `timeout` followed by a digest that leases
 * a worker from the pool, so at most `concurrency` downloads and `parallelism`
 * digests run at once, overlapped. The digest is nested inside the download's
 * `mergeMap` rather than a second `mergeMap` stage after it: RxJS has no
 * backpressure between stages, so a second stage would buffer every body
 * that outran the workers, while nested, at most `concurrency` bodies are held.
 * The HTTP and worker pools are the resource source's.
 */
import { checkFetchInput, type PipelineValue, sha256Hex, type Workloads } from '@arena/core'
import { lastValueFrom, map, mergeMap, type Observable, of, timeout } from 'rxjs'
import { fromAbortable } from './from-abortable.ts'
import type { ResourceSource } from './instance.ts'
import { inInputOrder, mapOutcomes } from './outcomes.ts'
import { oneShot, type Resources } from './resources.ts'

/** One page's body as a cold Observable; unsubscribing cancels the download. */
export type Download = (url: string) => Observable<Uint8Array>

/**
 * The pipeline of any HTTP client on `source`'s resources: `downloadOn` gives
 * the download of one page from `origin`; each body is digested on the
 * worker pool (`parallelism` ≥ 1) or on the event loop.
 */
export function pipelineWith(
  source: ResourceSource<Resources>,
  downloadOn: (resources: Resources, origin: string) => Download,
): Workloads['pipeline'] {
  return async (input, options) => {
    const origin = checkFetchInput(input)
    const checked = source.check(options)
    const { concurrency, parallelism, timeoutMs, onStart } = checked
    if (origin === undefined) return []
    return lastValueFrom(
      source
        .run({ concurrency, parallelism }, (resources) => {
          const { pool } = resources
          const download = downloadOn(resources, origin)
          const digest = (body: Uint8Array) =>
            pool ? pool.digest(body, { timeoutMs }) : of(sha256Hex(body))
          return mapOutcomes(
            input.urls,
            concurrency,
            (url) =>
              download(url).pipe(
                timeout({ first: timeoutMs }),
                mergeMap(digest),
                map((digest): PipelineValue => ({ digest })),
              ),
            onStart,
          )
        })
        .pipe(inInputOrder(input.urls.length, checked)),
    )
  }
}

/** pipeline on `source`'s resources: core's undici pool to the origin, and the worker pool. */
export function pipelineOn(source: ResourceSource<Resources>): Workloads['pipeline'] {
  return pipelineWith(source, (resources, origin) => {
    const client = resources.client(origin)
    return (url) =>
      fromAbortable((abort) => client.getBody(url, { signal: abort })).pipe(map(({ body }) => body))
  })
}

/** Downloads every page and digests its body, overlapping the two, on pools opened for this call. */
export const pipeline: Workloads['pipeline'] = pipelineOn(oneShot)
