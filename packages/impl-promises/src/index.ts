/**
 * Raw promises + worker_threads: the baseline contestant. Everything the
 * other models get from a library is written here by hand, small.
 */
import { defineImplementation } from '@arena/core'
import { fetch } from './fetch.ts'
import { hash } from './hash.ts'
import { pipeline } from './pipeline.ts'
import { scanPort } from './scan-port.ts'
import { scanPortHybrid } from './scan-port-hybrid.ts'

export { fetch, hash, pipeline, scanPort }

/** The contestant, as the harness and the conformance kit load it. */
export const implementation = defineImplementation({
  id: 'promises',
  title: 'Raw promises + worker_threads',
  style:
    'async/await and Promise combinators only, no concurrency library. A hand-written limiter runs `concurrency` async lanes over the items; each operation gets a deadline from `AbortSignal.timeout` joined to the run signal with `AbortSignal.any`; failures are caught into outcomes; CPU work goes to a hand-written `worker_threads` pool that transfers buffers instead of copying them.',
  variants: [
    {
      id: 'default',
      title: 'promises',
      kind: 'idiomatic',
      description:
        'Async lanes over the shared undici pool and TCP probe; a hand-written worker pool for sha256.',
      workloads: { fetch, hash, scanPort, pipeline },
    },
    {
      id: 'hybrid',
      title: 'promises, hybrid scan',
      kind: 'idiomatic',
      description:
        "The course's hybrid scanner: ports split across `parallelism` worker threads, each scanning its chunk with async lanes.",
      workloads: { scanPort: scanPortHybrid },
    },
  ],
})
