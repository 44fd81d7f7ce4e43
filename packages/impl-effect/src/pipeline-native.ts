/**
 * pipeline, `native` variant: the default program on Effect's own
 * `HttpClient` (`native-http.ts`) and the default worker pool, by layer.
 * `index.ts` loads this module on the variant's first call, so the other
 * variants do not carry Effect's HTTP stack in their heap.
 */
import * as Layer from 'effect/Layer'
import { hasherFor } from './hasher.ts'
import { httpPools } from './http-pools.ts'
import { nativeHttp } from './native-http.ts'
import { pipelineCall } from './pipeline.ts'
import { oneShot } from './run.ts'

/** `pipeline` on Effect's `HttpClient` and the default worker pool. */
export const pipelineNative = oneShot(pipelineCall, ({ options }) =>
  Layer.merge(httpPools(nativeHttp, options.concurrency), hasherFor(options.parallelism)),
)
