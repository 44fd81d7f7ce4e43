/**
 * The ceiling's `pipeline`: the dispatch client of `pages.ts` keeping each
 * 2xx body in its own `ArrayBuffer`, handed the moment it is complete to the
 * least busy raw worker (transferred, not copied) — so downloads and hashing
 * overlap — or hashed on the spot with parallelism 0. Failures of either half
 * end their item; the first answer of each item wins.
 */
import {
  checkRunOptions,
  type PipelineInput,
  type PipelineResult,
  type RunOptions,
  sha256Hex,
} from '@arena/core'
import { DigestCall } from './digest-call.ts'
import { HashWorkers } from './hash-workers.ts'
import { expectConcurrency, expectParallelism, type Kept } from './kept.ts'
import { Origins } from './origins.ts'
import { downloadPages, pagePaths } from './pages.ts'

/** Downloads and hashes every page, on the instance's pools and workers when `kept` is given. */
export async function pipelinePages(
  input: PipelineInput,
  options: RunOptions,
  kept?: Kept,
): Promise<PipelineResult> {
  const { origin, paths } = pagePaths(input)
  const { concurrency, parallelism, timeoutMs, signal } = checkRunOptions(options)
  if (kept) {
    expectConcurrency(kept, concurrency)
    expectParallelism(kept, parallelism)
  }
  if (origin === undefined) return []
  const origins = kept?.origins ?? new Origins(concurrency)
  let workers = kept?.workers
  try {
    if (parallelism > 0) workers ??= await HashWorkers.start(parallelism)
    const call = new DigestCall(paths.length)
    const pool = workers
    if (call.watch(signal, () => pool?.cancel(call))) {
      if (pool) {
        const sweep = setInterval(() => pool.expire(timeoutMs), Math.max(1, timeoutMs / 4))
        call.onFinish(() => clearInterval(sweep))
      }
      await downloadPages(
        origins.pool(origin),
        paths,
        { concurrency, timeoutMs, signal },
        {
          keep: pool
            ? (index, body) => pool.post(call, index, [body])
            : (index, body) => call.set(index, sha256Hex(body)),
          page: () => {},
          fail: (index, failure) => call.fail(index, 1, failure),
        },
      )
    }
    return await call.promise
  } finally {
    // After an abort the answer is final at once; threads still starting take 150 ms or more to end.
    const closing = kept ? undefined : Promise.all([origins.close(), workers?.close()])
    if (!signal?.aborted) await closing
  }
}
