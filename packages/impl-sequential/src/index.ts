/**
 * No concurrency at all: a plain `for` loop that awaits each item before the
 * next, hashing on the event loop — the course's "before" picture, and the
 * reference every other variant's speed-up is measured against.
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
  id: 'sequential',
  title: 'Sequential (no concurrency)',
  style:
    "No concurrency at all: a plain `for` loop that awaits each item before the next, hashing on the event loop — the course's before picture",
  variants: [
    {
      id: 'default',
      title: 'sequential',
      kind: 'idiomatic',
      description:
        'A `for` loop over the items that awaits each one before the next, on the shared undici client (one connection) and TCP probe; sha256 on the event loop. It declares `concurrency: 1` and `parallelism: 0`, so the kit and the harness hold it to that, and the report shows every other variant’s speed-up over it.',
      workloads: { fetch, hash, scanPort, pipeline },
      limits: { concurrency: 1, parallelism: 0 },
    },
  ],
})
