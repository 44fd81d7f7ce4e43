/**
 * Node's own stream helpers: every workload is `Readable.from(items)` through
 * `.map(fn, { concurrency, signal })` into a `stream/promises` `pipeline`,
 * the hashing done by a small hand-written `worker_threads` pool fed by a map
 * whose concurrency is the parallelism. Both variants can be opened: the
 * `Resources` they keep (the pool, an HTTP client per origin) live from
 * `open` to `close`, and the one-shot workloads keep them for one call
 * (`lifecycle.ts`).
 */
import { defineImplementation } from '@arena/core'
import { fetch, fetchOn } from './fetch.ts'
import { hash, hashOn } from './hash.ts'
import { openInstance } from './lifecycle.ts'
import { pipeline, pipelineOn } from './pipeline.ts'
import { scanPort, scanPortOn } from './scan-port.ts'
import {
  fetchUnordered,
  fetchUnorderedOn,
  hashUnordered,
  hashUnorderedOn,
  pipelineUnordered,
  pipelineUnorderedOn,
  scanPortUnordered,
  scanPortUnorderedOn,
} from './tuned.ts'

export { fetch, hash, pipeline, scanPort }

/** The contestant, as the harness and the conformance kit load it. */
export const implementation = defineImplementation({
  id: 'streams',
  title: 'Node streams: Readable.map + pipeline',
  style:
    "Node's own stream helpers: `Readable.from(items).map(fn, { concurrency, signal })` bounds the operations in flight and keeps input order, `stream/promises` `pipeline` runs the stages to a sink that keeps every outcome delivered; each operation gets a deadline from `AbortSignal.timeout` joined to the run signal; an abort errors the streams and every undelivered item is `aborted`. CPU work goes to a small hand-written `worker_threads` pool, fed by a map whose concurrency is the parallelism. Opened, a variant keeps its pool and HTTP clients until `close()`.",
  variants: [
    {
      id: 'default',
      title: 'streams',
      kind: 'idiomatic',
      description:
        "`Readable.from(items).map(fn, { concurrency, signal })` and `pipeline` over the shared undici pool and TCP probe; the pipeline is two maps in a row (downloads at `concurrency`, digests at `parallelism`); a hand-written worker pool for sha256. Node's map is ordered: a slow item at its head stops new items once 2 × concurrency − 1 wait behind it.",
      workloads: { fetch, hash, scanPort, pipeline },
      open: (options) =>
        openInstance(options, {
          fetch: fetchOn,
          hash: hashOn,
          scanPort: scanPortOn,
          pipeline: pipelineOn,
        }),
    },
    {
      id: 'unordered',
      title: 'streams, unordered map',
      kind: 'tuned',
      description:
        'The same streams, stages and pool with a hand-written unordered map in place of `Readable.prototype.map`: exactly `concurrency` calls stay in flight whatever is slow, results flow in the order they finish with their index, and the sink puts them back in input order. It removes the ordered map’s head-of-line stall.',
      workloads: {
        fetch: fetchUnordered,
        hash: hashUnordered,
        scanPort: scanPortUnordered,
        pipeline: pipelineUnordered,
      },
      open: (options) =>
        openInstance(options, {
          fetch: fetchUnorderedOn,
          hash: hashUnorderedOn,
          scanPort: scanPortUnorderedOn,
          pipeline: pipelineUnorderedOn,
        }),
    },
  ],
})
