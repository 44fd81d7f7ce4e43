/**
 * `open` of the `native` variant: each workload bound with the layers of its
 * one-shot form — `HttpPools` on Effect's `HttpClient` (one undici agent per
 * origin, `concurrency` connections), the default `Hasher` for the pipeline,
 * Effect's socket probe — built once into the instance's runtime, ready when
 * every worker thread has loaded (none for `fetch` or `scanPort` alone).
 * `index.ts` loads this module on the variant's first open.
 */
import type { Instance, OpenOptions } from '@arena/core'
import * as Layer from 'effect/Layer'
import { fetchCall } from './fetch.ts'
import { Hasher, hasherFor } from './hasher.ts'
import { httpPools } from './http-pools.ts'
import { openInstance } from './instance.ts'
import { nativeHttp } from './native-http.ts'
import { nativeTcp } from './native-tcp.ts'
import { pipelineCall } from './pipeline.ts'
import { scanPortCall } from './scan-port.ts'

/** Opens the native variant for `options`. */
export const openNative = (options: OpenOptions): Promise<Instance> =>
  openInstance(options, ({ concurrency, parallelism }: OpenOptions) => {
    const pools = httpPools(nativeHttp, concurrency)
    return {
      workloads: (bind) => ({
        fetch: bind('fetch', fetchCall, pools),
        scanPort: bind('scanPort', scanPortCall, nativeTcp),
        pipeline: bind(
          'pipeline',
          pipelineCall,
          Layer.merge(pools, hasherFor(parallelism)),
          Hasher.use((hasher) => hasher.ready),
        ),
      }),
    }
  })
