/**
 * What an opened ceiling instance keeps between calls — its connection pools
 * and its worker threads — and the rule a call on it must follow: at most the
 * concurrency it was opened for, exactly its parallelism, and only the
 * workload it was opened for when it was opened for one.
 */
import type { WorkloadId } from '@arena/core'
import type { HashWorkers } from './hash-workers.ts'
import type { Origins } from './origins.ts'

/** An instance's resources. */
export interface Kept {
  readonly concurrency: number
  readonly parallelism: number
  /** The one workload it was opened for, when its opener named one. */
  readonly workload: WorkloadId | undefined
  readonly origins: Origins
  /** `undefined` when opened with parallelism 0, or for a workload that hashes nothing. */
  readonly workers: HashWorkers | undefined
}

/** Checks a call's concurrency against the instance's. */
export function expectConcurrency(kept: Kept, concurrency: number): void {
  if (concurrency > kept.concurrency) {
    throw new TypeError(
      `Expected concurrency to be at most ${kept.concurrency} (what the instance was opened for), got ${concurrency}`,
    )
  }
}

/** Checks a hashing call's parallelism and workload against the instance's. */
export function expectParallelism(kept: Kept, parallelism: number, workload: WorkloadId): void {
  if (parallelism !== kept.parallelism) {
    throw new TypeError(
      `Expected parallelism to be ${kept.parallelism} (the workers the instance keeps), got ${parallelism}`,
    )
  }
  if (parallelism > 0 && kept.workers === undefined) {
    throw new TypeError(
      `Expected a ${kept.workload} call: the instance was opened for ${kept.workload} and keeps no workers for ${workload}`,
    )
  }
}
