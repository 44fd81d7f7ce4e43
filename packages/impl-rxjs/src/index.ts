/**
 * RxJS 7.8: every workload is one stream. `mergeMap` bounds concurrency, the
 * `timeout` operator sets each operation's deadline, unsubscription cancels,
 * and worker threads are Observables a stream leases.
 */
import { defineImplementation } from '@arena/core'
import { fetch, fetchOn } from './fetch.ts'
import { fetchNative, fetchNativeOn } from './fetch-native.ts'
import { hash, hashOn } from './hash.ts'
import { openInstance } from './instance.ts'
import { pipeline, pipelineOn } from './pipeline.ts'
import { pipelineNative, pipelineNativeOn } from './pipeline-native.ts'
import { openResources } from './resources.ts'
import { scanPort, scanPortOn } from './scan-port.ts'
import { openScanThreads, scanPortHybrid, scanPortHybridOn } from './scan-port-hybrid.ts'
import { scanPortLanes } from './scan-port-lanes.ts'

export { fetch, hash, pipeline, scanPort }

/** The contestant, as the harness and the conformance kit load it. */
export const implementation = defineImplementation({
  id: 'rxjs',
  title: 'RxJS 7.8 + worker_threads',
  style:
    "Each workload is one Observable pipeline: `from(items)` through `mergeMap(work, concurrency)`; each operation is a cold Observable over an AbortSignal-aware primitive, under the `timeout` operator; errors become outcomes with a per-item `catchError`; results arrive out of order and are placed at their input index; the run signal ends the stream with `takeUntil`, and unsubscription aborts every socket, request and worker task still in flight. CPU work goes to a worker pool whose tasks are Observables that lease an idle worker and transfer their buffers. What a variant keeps between calls (worker pool, HTTP pools, scan threads) is one resource that the `using` operator ties to a subscription: one call's stream, or an instance's, held from `open` to `close`.",
  variants: [
    {
      id: 'default',
      title: 'rxjs',
      kind: 'idiomatic',
      description:
        'mergeMap over the shared undici pool and TCP probe, wrapped as Observables; sha256 on a worker pool driven as Observables.',
      workloads: { fetch, hash, scanPort, pipeline },
      open: (options) =>
        openInstance(options, openResources, (source) => ({
          fetch: fetchOn(source),
          hash: hashOn(source),
          scanPort: scanPortOn(source),
          pipeline: pipelineOn(source),
        })),
    },
    {
      id: 'hybrid',
      title: 'rxjs, hybrid scan',
      kind: 'idiomatic',
      description:
        "The course's hybrid scanner: ports split across `parallelism` worker threads, each scanning its chunk with the default RxJS stream and streaming its outcomes back in batches; an instance keeps the threads between scans, and an abort cancels a thread's job instead of terminating it.",
      workloads: { scanPort: scanPortHybrid },
      open: (options) =>
        openInstance(options, openScanThreads, (source) => ({
          scanPort: scanPortHybridOn(source),
        })),
    },
    {
      id: 'native',
      title: 'rxjs, fromFetch',
      kind: 'idiomatic',
      description:
        "fetch and pipeline on `rxjs/fetch`'s `fromFetch` (Node's global fetch) instead of core's undici pool, the body read inside the selector so unsubscription aborts it. Connections are Node's global keep-alive pool: idle ones outlive the call (unreferenced, closed by the server's keep-alive timeout); forcing `Connection: close` to avoid that would measure a TCP handshake per page rather than the client.",
      workloads: { fetch: fetchNative, pipeline: pipelineNative },
      open: (options) =>
        openInstance(options, openResources, (source) => ({
          fetch: fetchNativeOn(source),
          pipeline: pipelineNativeOn(source),
        })),
    },
    {
      id: 'lanes',
      title: 'rxjs, lanes',
      kind: 'tuned',
      description:
        'scanPort in `concurrency` lanes, each pulling the next port from a shared cursor with `expand`, instead of one `mergeMap` over every port: mergeMap buffers the whole input and pays an `Array.shift` and a subscription-list `splice` per item, which at 65,535 ports and concurrency 500 made the scan 1.4–1.5× slower than the promise baseline; in lanes it is on par.',
      workloads: { scanPort: scanPortLanes },
    },
  ],
})
