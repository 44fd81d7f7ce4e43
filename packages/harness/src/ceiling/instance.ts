/**
 * Opening the ceiling as a long-lived service holds it: the connection pools
 * (made per origin on first use, sized to the opened concurrency) and the
 * worker threads (started now, unless the instance is opened for fetch or
 * scanPort alone; open resolves once each has posted its first message).
 * `close` destroys the pools and terminates the workers, and resolves once
 * every thread has exited.
 */
import {
  expectInteger,
  expectOneOf,
  type FetchInput,
  type HashInput,
  type Instance,
  MAX_CONCURRENCY,
  MAX_PARALLELISM,
  type OpenOptions,
  type PipelineInput,
  type RunOptions,
  type WorkloadId,
  workloadIds,
} from '@arena/core'
import { fetchPages } from './fetch.ts'
import { hashBuffers } from './hash.ts'
import { HashWorkers } from './hash-workers.ts'
import type { Kept } from './kept.ts'
import { Origins } from './origins.ts'
import { pipelinePages } from './pipeline.ts'
import { scanPorts } from './scan-port.ts'

/** The workloads that hash, and so need the workers. */
const HASHING: ReadonlySet<WorkloadId> = new Set(['hash', 'pipeline'])

/**
 * Opens the default variant for calls of at most `concurrency` and exactly `parallelism`.
 * @throws TypeError for options out of range
 */
export async function openCeiling(options: OpenOptions): Promise<Instance> {
  const concurrency = expectInteger('options.concurrency', options?.concurrency, 1, MAX_CONCURRENCY)
  const parallelism = expectInteger('options.parallelism', options?.parallelism, 0, MAX_PARALLELISM)
  const workload = options.workload
  if (workload !== undefined) expectOneOf('options.workload', workload, workloadIds)
  // Opened for fetch or scanPort alone, the instance has nothing to hash: no threads to start or keep.
  const hashes = workload === undefined || HASHING.has(workload)
  const workers = hashes && parallelism > 0 ? await HashWorkers.start(parallelism) : undefined
  const origins = new Origins(concurrency)
  const kept: Kept = { concurrency, parallelism, workload, origins, workers }
  return {
    workloads: {
      fetch: (input: FetchInput, run: RunOptions) => fetchPages(input, run, kept),
      hash: (input: HashInput, run: RunOptions) => hashBuffers(input, run, kept),
      scanPort: scanPorts,
      pipeline: (input: PipelineInput, run: RunOptions) => pipelinePages(input, run, kept),
    },
    close: async () => {
      await Promise.all([kept.origins.close(), workers?.close()])
    },
  }
}
