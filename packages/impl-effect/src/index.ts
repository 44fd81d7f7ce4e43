/**
 * Effect 4 fibers: the Effect contestant. Concurrency is bounded by
 * `Effect.forEach` and `Stream.mapEffect`, I/O deadlines are `Effect.timeout`
 * (interrupting the operation), cancellation is fiber interruption, and
 * every resource (HTTP pool, worker threads) is scoped to a layer: built
 * for one call by the one-shot workloads, or once into an open instance's
 * `ManagedRuntime`.
 */

import type { Workloads } from '@arena/core'
import { defineImplementation } from '@arena/core'
import { fetch } from './fetch.ts'
import { fetchTuned } from './fetch-tuned.ts'
import { hash, hashProcesses } from './hash.ts'
import { open } from './open.ts'
import { openHybrid } from './open-hybrid.ts'
import { openProcesses } from './open-processes.ts'
import { openTuned } from './open-tuned.ts'
import { pipeline, pipelineProcesses } from './pipeline.ts'
import { pipelineTuned } from './pipeline-tuned.ts'
import { scanPort } from './scan-port.ts'
import { scanPortHybrid } from './scan-port-hybrid.ts'
import { scanPortTuned } from './scan-port-tuned.ts'

export { fetch, hash, pipeline, scanPort }

/** The contestant, as the harness and the conformance kit load it. */
export const implementation = defineImplementation({
  id: 'effect',
  title: 'Effect 4 fibers',
  style:
    'Effect 4 programs, run at the boundary with `Effect.runPromiseExit(program, { signal })` so an abort interrupts the whole fiber tree. `Effect.forEach` and `Stream.mapEffect` bound concurrency; `Effect.timeout` interrupts an I/O operation past its deadline; typed errors travel in the error channel and become outcomes at the boundary; the HTTP pool and the worker threads are scoped resources of layers, released by their finalizers; CPU work goes to an Effect `Pool` of worker threads that transfers buffers instead of copying them. A one-shot call provides its layers for itself; `open` builds the same layers once into a `ManagedRuntime` whose calls share them, and `close` disposes it.',
  variants: [
    {
      id: 'default',
      title: 'effect',
      kind: 'idiomatic',
      description:
        'Fibers over the shared undici pool and TCP probe; an Effect `Pool` of worker threads (each a plain kernel script, so it starts fast) for sha256; the pipeline as a two-stage `Stream` with a bounded buffer.',
      workloads: { fetch, hash, scanPort, pipeline },
      open,
    },
    {
      id: 'hybrid',
      title: 'effect, hybrid scan',
      kind: 'idiomatic',
      description:
        'The hybrid scanner: ports split across `parallelism` worker threads, each scanning its chunk with Effect fibers and streaming its outcomes back in batches. The scan worker loads Effect, so an open instance, which keeps its threads between calls, saves more here than anywhere.',
      workloads: { scanPort: scanPortHybrid },
      open: openHybrid,
    },
    {
      id: 'processes',
      title: 'effect, child processes',
      kind: 'idiomatic',
      workers: 'processes',
      description:
        "CPU work on child processes instead of threads: the same Effect `Pool` and `Hasher` layer, each resource a `child_process.fork` of a plain kernel script (buffers cloned over IPC with `serialization: 'advanced'`; a process cannot be handed memory). `@effect/platform-node`'s `NodeWorker` can spawn child processes too, but its protocol needs Effect loaded in every worker, which the default's threads avoid for start-up; this variant keeps that choice so the two differ only in threads against processes.",
      workloads: { hash: hashProcesses, pipeline: pipelineProcesses },
      open: openProcesses,
    },
    {
      id: 'native',
      title: 'effect, native clients',
      kind: 'idiomatic',
      description:
        "The default programs on Effect's own clients instead of core's primitives: `HttpClient` on the Node undici adapter (keep-alive, `concurrency` connections; tracing spans and trace headers left on, as they come) and a socket from Effect's socket module for the connect probe.",
      // Loaded on first use: the other variants' runs need not carry Effect's HTTP and socket
      // stacks (~5 MB of heap, which every major GC then marks).
      workloads: {
        fetch: async (input, options) =>
          (await import('./fetch-native.ts')).fetchNative(input, options),
        scanPort: async (input, options) =>
          (await import('./scan-port-native.ts')).scanPortNative(input, options),
        pipeline: async (input, options) =>
          (await import('./pipeline-native.ts')).pipelineNative(input, options),
      } satisfies Partial<Workloads>,
      open: async (options) => (await import('./open-native.ts')).openNative(options),
    },
    {
      id: 'tuned',
      title: 'effect, tuned',
      kind: 'tuned',
      description:
        "Fewer fibers per item: `concurrency` long-lived lanes instead of a fiber per item, each operation's deadline a timer inside its own `Effect.callback` instead of `Effect.timeout` (which forks two fibers per operation), and the pipeline as lanes that download then hash instead of a two-stage stream.",
      workloads: { fetch: fetchTuned, scanPort: scanPortTuned, pipeline: pipelineTuned },
      open: openTuned,
    },
  ],
})
