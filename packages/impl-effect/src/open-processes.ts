/**
 * `open` of the processes variant: the default's layers with the `Hasher` on
 * a pool of `parallelism` child processes instead of threads, built once into
 * the instance's runtime; the pipeline shares the fetch's HTTP pools and the
 * hash's processes. Ready when every process has loaded.
 */
import type { Instance, OpenOptions } from '@arena/core'
import * as Layer from 'effect/Layer'
import { hashCall } from './hash.ts'
import { Hasher, hasherFor } from './hasher.ts'
import { sharedHttp } from './http.ts'
import { httpPools } from './http-pools.ts'
import { openInstance } from './instance.ts'
import { pipelineCall } from './pipeline.ts'

/** Opens the processes variant for `options`. */
export const openProcesses = (options: OpenOptions): Promise<Instance> =>
  openInstance(options, ({ concurrency, parallelism }: OpenOptions) => {
    const pools = httpPools(sharedHttp, concurrency)
    const hasher = hasherFor(parallelism, 'processes')
    const ready = Hasher.use((hasher) => hasher.ready)
    return {
      workloads: (bind) => ({
        hash: bind('hash', hashCall, hasher, ready),
        pipeline: bind('pipeline', pipelineCall, Layer.merge(pools, hasher), ready),
      }),
    }
  })
