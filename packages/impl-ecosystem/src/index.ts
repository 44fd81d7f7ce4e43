/**
 * What most Node teams reach for instead of writing their own: p-map bounds
 * the I/O, piscina runs the worker pool (fed through a p-limit so a task's
 * deadline starts on a free thread).
 */
import { defineImplementation } from '@arena/core'
import { fetch } from './fetch.ts'
import { hash } from './hash.ts'
import { pipeline } from './pipeline.ts'
import { scanPort } from './scan-port.ts'

export { fetch } from './fetch.ts'
export { hash } from './hash.ts'
export { pipeline } from './pipeline.ts'
export { scanPort } from './scan-port.ts'

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
    },
  ],
})
