/**
 * fetch, RxJS style: `from(urls)` through `mergeMap(…, concurrency)`, each
 * request an Observable over core's shared undici pool under the `timeout`
 * operator. A timeout or an abort unsubscribes the request, which aborts it.
 */
import {
  checkFetchInput,
  checkRunOptions,
  createHttpClient,
  type FetchInput,
  type FetchResult,
  type RunOptions,
} from '@arena/core'
import { lastValueFrom, timeout } from 'rxjs'
import { fromAbortable } from './from-abortable.ts'
import { inInputOrder, mapOutcomes } from './outcomes.ts'

/** Downloads every URL with at most `concurrency` requests in flight. */
export async function fetch(input: FetchInput, options: RunOptions): Promise<FetchResult> {
  const origin = checkFetchInput(input)
  const { concurrency, timeoutMs, signal } = checkRunOptions(options)
  if (origin === undefined) return []
  const client = createHttpClient({ origin, connections: concurrency })
  try {
    return await lastValueFrom(
      mapOutcomes(input.urls, concurrency, (url) =>
        fromAbortable((abort) => client.get(url, { signal: abort })).pipe(
          timeout({ first: timeoutMs }),
        ),
      ).pipe(inInputOrder(input.urls.length, signal)),
    )
  } finally {
    await client.close()
  }
}
