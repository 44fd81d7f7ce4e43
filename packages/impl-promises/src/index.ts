/**
 * Raw promises + worker_threads: the baseline contestant. Everything the
 * other models get from a library is written here by hand, small. Each
 * variant can be opened: a class (`resources.ts`, `scan-workers.ts`) holds
 * what it keeps, and the one-shot workloads are "keep, run, release" around
 * the same steps (`lifecycle.ts`).
 */
import { defineImplementation } from '@arena/core'
import { fetch, fetchOn, fetchTuned, fetchTunedOn } from './fetch.ts'
import { hash, hashOn } from './hash.ts'
import { hashProcesses, hashProcessesOn } from './hash-processes.ts'
import { checkOpenOptions, openInstance } from './lifecycle.ts'
import { pipeline, pipelineOn, pipelineTuned, pipelineTunedOn } from './pipeline.ts'
import { pipelineProcesses, pipelineProcessesOn } from './pipeline-processes.ts'
import { ProcessResources } from './process-resources.ts'
import { Resources } from './resources.ts'
import { scanPort, scanPortOn, scanPortTuned, scanPortTunedOn } from './scan-port.ts'
import { keepScanWorkers, scanPortHybrid, scanPortHybridOn } from './scan-port-hybrid.ts'
import { scanPortProcesses, scanPortProcessesOn } from './scan-port-processes.ts'

export { fetch, hash, pipeline, scanPort }

/** The contestant, as the harness and the conformance kit load it. */
export const implementation = defineImplementation({
  id: 'promises',
  title: 'Raw promises + worker_threads',
  style:
    'async/await and Promise combinators only, no concurrency library. A hand-written limiter runs `concurrency` async lanes over the items; each operation gets a deadline from `AbortSignal.timeout` joined to the run signal with `AbortSignal.any`; failures are caught into outcomes; CPU work goes to a hand-written `worker_threads` pool that transfers buffers instead of copying them. Opened, a variant keeps its pool and its HTTP clients in a small class until `close()`.',
  variants: [
    {
      id: 'default',
      title: 'promises',
      kind: 'idiomatic',
      description:
        'Async lanes over the shared undici pool and TCP probe; a hand-written worker pool for sha256.',
      workloads: { fetch, hash, scanPort, pipeline },
      open: async (options) =>
        openInstance(new Resources(checkOpenOptions(options)), options, {
          fetch: fetchOn,
          hash: hashOn,
          scanPort: scanPortOn,
          pipeline: pipelineOn,
        }),
    },
    {
      id: 'tuned',
      title: 'promises, cleared timers',
      kind: 'tuned',
      description:
        "The default's code with one change: each request's and probe's deadline is core's `disposableDeadline`, a timer cleared when the operation ends (`using`), instead of `AbortSignal.timeout` + `AbortSignal.any`, whose timer fires — and builds a `TimeoutError` — `timeoutMs` after every operation, however soon it ended. It shows what the idiom's signal plumbing costs.",
      workloads: { fetch: fetchTuned, scanPort: scanPortTuned, pipeline: pipelineTuned },
      open: async (options) =>
        openInstance(new Resources(checkOpenOptions(options)), options, {
          fetch: fetchTunedOn,
          scanPort: scanPortTunedOn,
          pipeline: pipelineTunedOn,
        }),
    },
    {
      id: 'hybrid',
      title: 'promises, hybrid scan',
      kind: 'idiomatic',
      description:
        "The course's hybrid scanner: ports split across `parallelism` worker threads, each scanning its chunk with async lanes.",
      workloads: { scanPort: scanPortHybrid },
      open: async (options) =>
        openInstance(keepScanWorkers(checkOpenOptions(options)), options, {
          scanPort: scanPortHybridOn,
        }),
    },
    {
      id: 'processes',
      title: 'promises, child processes',
      kind: 'idiomatic',
      workers: 'processes',
      description:
        "CPU work on a hand-written pool of `child_process.fork` children instead of threads (buffers cloned over IPC with `serialization: 'advanced'`), and the course's coroutine + process scanner: ports split across `parallelism` child processes, each running async lanes of the TCP probe.",
      workloads: { hash: hashProcesses, pipeline: pipelineProcesses, scanPort: scanPortProcesses },
      open: async (options) =>
        openInstance(new ProcessResources(checkOpenOptions(options)), options, {
          hash: hashProcessesOn,
          pipeline: pipelineProcessesOn,
          scanPort: scanPortProcessesOn,
        }),
    },
  ],
})
