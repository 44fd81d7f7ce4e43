/**
 * The `native` variant: the default programs on Effect's own clients, by
 * layer. `index.ts` loads this module on the variant's first call, so the
 * other variants do not carry Effect's HTTP and socket stacks in their heap.
 */
import { fetchWith } from './fetch.ts'
import { hasherFor } from './hasher.ts'
import { nativeHttp } from './native-http.ts'
import { nativeTcp } from './native-tcp.ts'
import { pipelineWith } from './pipeline.ts'
import { scanPortWith } from './scan-port.ts'

/** `fetch` on Effect's `HttpClient`. */
export const fetchNative = fetchWith(nativeHttp)

/** `scanPort` on Effect's socket module. */
export const scanPortNative = scanPortWith(nativeTcp)

/** `pipeline` on Effect's `HttpClient` and the default worker pool. */
export const pipelineNative = pipelineWith(nativeHttp, hasherFor)
