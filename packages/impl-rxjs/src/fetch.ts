/**
 * fetch, RxJS style: `from(urls)` through `mergeMap(…, concurrency)`, each
 * request an Observable over core's undici pool to the URLs' origin under the
 * `timeout` operator. A timeout or an abort unsubscribes the request, which
 * aborts it. The pool is the resource source's: one opened for this call, or
 * an instance's, kept between calls.
 */
import { checkFetchInput, type Workloads } from '@arena/core'
import { lastValueFrom, timeout } from 'rxjs'
import { fromAbortable } from './from-abortable.ts'
import type { ResourceSource } from './instance.ts'
import { inInputOrder, mapOutcomes } from './outcomes.ts'
import { oneShot, type Resources } from './resources.ts'

/** fetch on `source`'s HTTP pools: every URL with at most `concurrency` requests in flight. */
export function fetchOn(source: ResourceSource<Resources>): Workloads['fetch'] {
  return async (input, options) => {
    const origin = checkFetchInput(input)
    const checked = source.check(options)
    const { concurrency, timeoutMs, onStart } = checked
    if (origin === undefined) return []
    return lastValueFrom(
      source
        .run({ concurrency, parallelism: 0 }, (resources) => {
          const client = resources.client(origin)
          return mapOutcomes(
            input.urls,
            concurrency,
            (url) =>
              fromAbortable((abort) => client.get(url, { signal: abort })).pipe(
                timeout({ first: timeoutMs }),
              ),
            onStart,
          )
        })
        .pipe(inInputOrder(input.urls.length, checked)),
    )
  }
}

/** Downloads every URL with at most `concurrency` requests in flight, on a pool opened for this call. */
export const fetch: Workloads['fetch'] = fetchOn(oneShot)
