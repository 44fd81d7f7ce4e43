/**
 * `open` of the `tuned` variant: each workload bound with the layers of its
 * one-shot form — `Clients` (core's HTTP client per origin, `concurrency`
 * connections) and the default `Hasher` for the pipeline — built once into
 * the instance's runtime, ready when every worker thread has loaded (none
 * for `fetch` or `scanPort` alone). Its scan needs nothing kept.
 */
import type { Instance, OpenOptions } from '@arena/core'
import * as Layer from 'effect/Layer'
import { clients } from './clients.ts'
import { fetchTunedCall } from './fetch-tuned.ts'
import { Hasher, hasherFor } from './hasher.ts'
import { openInstance } from './instance.ts'
import { pipelineTunedCall } from './pipeline-tuned.ts'
import { scanPortTunedCall } from './scan-port-tuned.ts'

/** Opens the tuned variant for `options`. */
export const openTuned = (options: OpenOptions): Promise<Instance> =>
  openInstance(options, ({ concurrency, parallelism }: OpenOptions) => {
    const kept = clients(concurrency)
    return {
      workloads: (bind) => ({
        fetch: bind('fetch', fetchTunedCall, kept),
        scanPort: bind('scanPort', scanPortTunedCall, Layer.empty),
        pipeline: bind(
          'pipeline',
          pipelineTunedCall,
          Layer.merge(kept, hasherFor(parallelism)),
          Hasher.use((hasher) => hasher.ready),
        ),
      }),
    }
  })
