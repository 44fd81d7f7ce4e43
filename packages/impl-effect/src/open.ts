/**
 * `open` of the default variant: the same layers its one-shot workloads
 * provide for a single call — `HttpPools` on core's shared undici pool (one
 * per origin, `concurrency` connections each), the `Hasher` on a pool of
 * `parallelism` worker threads (or the event loop for 0), and core's probe —
 * built once into the instance's runtime. It is ready when every worker
 * thread has loaded.
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
  openInstance(options, ({ concurrency, parallelism }: OpenOptions) => ({
    layer: Layer.mergeAll(httpPools(sharedHttp, concurrency), hasherFor(parallelism), sharedTcp),
    ready: Hasher.use((hasher) => hasher.ready),
    workloads: (bind) => ({
      fetch: bind(fetchCall),
      hash: bind(hashCall),
      scanPort: bind(scanPortCall),
      pipeline: bind(pipelineCall),
    }),
  }))
