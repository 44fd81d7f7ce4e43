/**
 * hash, RxJS style: `mergeMap(…, parallelism)` over the buffers, each digest
 * an Observable that leases a worker from the pool, so the stream's own
 * concurrency limit keeps every worker busy and no more; `timeoutMs` bounds
 * each task from when its worker takes it. With `parallelism` 0 the digests
 * are computed on the event loop one at a time, a turn of the loop apart so an
 * abort is still heard.
 */
import {
  abortedFailure,
  checkHashInput,
  checkRunOptions,
  failed,
  type HashInput,
  type HashResult,
  type HashValue,
  type RunOptions,
  sha256Hex,
} from '@arena/core'
import { lastValueFrom, map, Observable } from 'rxjs'
import { inInputOrder, mapOutcomes } from './outcomes.ts'
import { WorkerPool } from './pool.ts'

// Not `asyncScheduler` (a setInterval clamped to 1 ms per item) nor `asapScheduler`
// (a microtask, which never lets the abort event in): one setImmediate.
const nextTurn = new Observable<void>((subscriber) => {
  const handle = setImmediate(() => {
    subscriber.next()
    subscriber.complete()
  })
  return () => clearImmediate(handle)
})

/** Digests every buffer; with `parallelism` ≥ 1 on that many worker threads. */
export async function hash(input: HashInput, options: RunOptions): Promise<HashResult> {
  checkHashInput(input)
  const { parallelism, timeoutMs, signal } = checkRunOptions(options)
  const { buffers } = input
  if (parallelism === 0) {
    return lastValueFrom(
      mapOutcomes(buffers, 1, (buffer) =>
        nextTurn.pipe(map((): HashValue => ({ digest: sha256Hex(buffer) }))),
      ).pipe(inInputOrder(buffers.length, signal)),
    )
  }
  // Already aborted: the stream would start nothing, so start no threads either.
  if (signal?.aborted) return buffers.map(() => failed(abortedFailure))
  const pool = new WorkerPool(parallelism)
  try {
    return await lastValueFrom(
      mapOutcomes(buffers, parallelism, (buffer) =>
        pool.digest(buffer, { timeoutMs }).pipe(map((digest): HashValue => ({ digest }))),
      ).pipe(inInputOrder(buffers.length, signal)),
    )
  } finally {
    const closing = pool.close()
    // After an abort the answers are final; a worker still loading its module takes
    // 150+ ms to terminate, and nobody needs to wait for that.
    if (!signal?.aborted) await closing
  }
}
