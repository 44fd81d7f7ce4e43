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
import { startFor } from './hash-workers.ts'
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
  const { concurrency, parallelism, timeoutMs, signal, onStart, onOutcome } =
    checkRunOptions(options)
  if (kept) {
    expectConcurrency(kept, concurrency)
    expectParallelism(kept, parallelism, 'pipeline')
  }
  if (origin === undefined) return []
  // onStart is the request's start; a worker taking the body later is the same item, not a new start.
  const call = new DigestCall(paths.length, { onOutcome })
  let workers = kept?.workers
  if (!call.watch(signal, () => workers?.cancel(call))) return call.promise
  const ownWorkers = workers === undefined && parallelism > 0
  if (ownWorkers) {
    workers = await startFor(call, parallelism)
    if (workers === undefined) return call.promise
  }
  const origins = kept?.origins ?? new Origins(concurrency)
  const pool = workers
  try {
    if (pool) {
      const sweep = setInterval(() => pool.expire(timeoutMs), Math.max(1, timeoutMs / 4))
      call.onFinish(() => clearInterval(sweep))
    }
    await downloadPages(
      origins.pool(origin),
      paths,
      { concurrency, timeoutMs, signal, onStart },
      {
        keep: pool
          ? (index, body) => pool.post(call, index, [body], undefined, false)
          : (index, body) => call.set(index, sha256Hex(body)),
        page: () => {},
        fail: (index, failure) => call.fail(index, 1, failure),
      },
    )
    return await call.promise
  } finally {
    // After an abort the answer is final at once; threads still starting take 150 ms or more to end.
    const closing = kept ? undefined : Promise.all([origins.close(), ownWorkers && pool?.close()])
    if (!signal?.aborted) await closing
  }
}
