/**
 * What most Node teams reach for instead of writing their own: p-map bounds
 * the I/O, piscina runs the worker pool (fed through a p-limit so a task's
 * deadline starts on a free thread).
 */
import { defineImplementation } from '@arena/core'
import { fetch, fetchOn } from './fetch.ts'
import { hash, hashOn } from './hash.ts'
import { openInstance } from './lifecycle.ts'
import { pipeline, pipelineOn } from './pipeline.ts'
import { scanPort, scanPortOn } from './scan-port.ts'

export { fetch, hash, pipeline, scanPort }

/** The contestant, as the harness and the conformance kit load it. */
export const implementation = defineImplementation({
  id: 'ecosystem',
  title: 'Ecosystem: p-map + piscina',
  style:
    'What most Node teams reach for: p-limit and p-map bound the I/O, piscina runs the worker pool',
  variants: [
    {
      id: 'default',
      title: 'ecosystem',
      kind: 'idiomatic',
      description:
        '`p-map` with `{ concurrency }` over the shared undici pool and TCP probe; a piscina pool of `parallelism` threads for sha256, fed through a `p-limit` so each task’s deadline starts on a free thread.',
      workloads: { fetch, hash, scanPort, pipeline },
      open: (options) =>
        openInstance(options, {
          fetch: fetchOn,
          hash: hashOn,
          scanPort: scanPortOn,
          pipeline: pipelineOn,
        }),
    },
  ],
})
