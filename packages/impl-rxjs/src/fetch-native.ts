/**
 * The `native` variant's fetch: `rxjs/fetch`'s `fromFetch` (Node's global
 * fetch, undici's bundled copy) instead of core's shared pool, so the cost of
 * that client shows on its own row. The body is read inside `fromFetch`'s
 * selector: only then does unsubscribing (a timeout, an abort) abort the
 * download too, not just the wait for the headers. Connections are Node's:
 * its global dispatcher keeps them alive between requests and calls, idle and
 * unreferenced, until the server's keep-alive timeout; nothing here can close
 * them, and `Connection: close` on every request would halve the throughput by
 * paying a TCP handshake per page (measured, see the README).
 */
import { crc32 } from 'node:zlib'
import {
  checkFetchInput,
  type FetchValue,
  formatChecksum,
  HttpStatusError,
  type Workloads,
} from '@arena/core'
import { lastValueFrom, map, type Observable, timeout } from 'rxjs'
import { fromFetch } from 'rxjs/fetch'
import type { ResourceSource } from './instance.ts'
import { inInputOrder, mapOutcomes } from './outcomes.ts'
import { oneShot, type Resources } from './resources.ts'

/** GETs `url` and reads its whole body; a non-2xx status errors with `HttpStatusError`. */
export function getBody(url: string): Observable<{ status: number; body: Uint8Array }> {
  return fromFetch(url, {
    selector: async (response) => {
      if (!response.ok) {
        await response.body?.cancel()
        throw new HttpStatusError(response.status)
      }
      return { status: response.status, body: new Uint8Array(await response.arrayBuffer()) }
    },
  })
}

/**
 * fetch on `fromFetch`, its options checked by `source`: Node's fetch keeps
 * its own connections, so there is nothing to lease.
 */
export function fetchNativeOn(source: ResourceSource<Resources>): Workloads['fetch'] {
  return async (input, options) => {
    checkFetchInput(input)
    const checked = source.check(options)
    const { concurrency, timeoutMs, onStart } = checked
    return lastValueFrom(
      mapOutcomes(
        input.urls,
        concurrency,
        (url) =>
          getBody(url).pipe(
            timeout({ first: timeoutMs }),
            map(
              ({ status, body }): FetchValue => ({
                status,
                bytes: body.length,
                checksum: formatChecksum(crc32(body)),
              }),
            ),
          ),
        onStart,
      ).pipe(inInputOrder(input.urls.length, checked)),
    )
  }
}

/** fetch on `fromFetch`: the default variant's stream with Node's fetch as the client. */
export const fetchNative: Workloads['fetch'] = fetchNativeOn(oneShot)
