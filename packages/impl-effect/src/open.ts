/**
 * `open` of the default variant: each workload bound with the layers its
 * one-shot form provides for a single call — `HttpPools` on core's shared
 * undici pool (one per origin, `concurrency` connections each), the `Hasher`
 * on a pool of `parallelism` worker threads (or the event loop for 0), core's
 * probe — built once into the instance's runtime. The pipeline shares the
 * fetch's pools and the hash's hasher (the same layer objects, built once).
 * Ready when every worker thread has loaded; an instance opened for `fetch`
 * or `scanPort` alone starts none.
 */
import type { Instance, OpenOptions } from '@arena/core'
import * as Layer from 'effect/Layer'
import { fetchCall } from './fetch.ts'
import { hashCall } from './hash.ts'
import { Hasher, hasherFor } from './hasher.ts'
import { sharedHttp } from './http.ts'
import { httpPools } from './http-pools.ts'
import { openInstance } from './instance.ts'
import { pipelineCall } from './pipeline.ts'
import { scanPortCall } from './scan-port.ts'
import { sharedTcp } from './tcp.ts'

/** Opens the default variant for `options`. */
export const open = (options: OpenOptions): Promise<Instance> =>
  openInstance(options, ({ concurrency, parallelism }: OpenOptions) => {
    const pools = httpPools(sharedHttp, concurrency)
    const hasher = hasherFor(parallelism)
    const ready = Hasher.use((hasher) => hasher.ready)
    return {
      workloads: (bind) => ({
        fetch: bind('fetch', fetchCall, pools),
        hash: bind('hash', hashCall, hasher, ready),
        scanPort: bind('scanPort', scanPortCall, sharedTcp),
        pipeline: bind('pipeline', pipelineCall, Layer.merge(pools, hasher), ready),
      }),
    }
  })
