/**
 * fetch, `native` variant: the default program on Effect's own `HttpClient`
 * (`native-http.ts`) instead of core's shared pool, by layer. `index.ts`
 * loads this module on the variant's first call, so the other variants do
 * not carry Effect's HTTP stack in their heap.
 */
import { fetchCall } from './fetch.ts'
import { httpPools } from './http-pools.ts'
import { nativeHttp } from './native-http.ts'
import { oneShot } from './run.ts'

/** `fetch` on Effect's `HttpClient`. */
export const fetchNative = oneShot(fetchCall, ({ options }) =>
  httpPools(nativeHttp, options.concurrency),
)
