/**
 * `open` of the `tuned` variant: the layers of its one-shot workloads —
 * `Clients` (core's HTTP client per origin, `concurrency` connections) and
 * the default `Hasher` — built once into the instance's runtime, ready when
 * every worker thread has loaded. Its scan needs nothing kept.
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
  openInstance(options, ({ concurrency, parallelism }: OpenOptions) => ({
    layer: Layer.merge(clients(concurrency), hasherFor(parallelism)),
    ready: Hasher.use((hasher) => hasher.ready),
    workloads: (bind) => ({
      fetch: bind(fetchTunedCall),
      scanPort: bind(scanPortTunedCall),
      pipeline: bind(pipelineTunedCall),
    }),
  }))
