/**
 * hash, RxJS style: `mergeMap(…, parallelism)` over the buffers, each digest
 * an Observable that leases a worker from the pool, so the stream's own
 * concurrency limit keeps every worker busy and no more; `timeoutMs` bounds
 * each task from when its worker takes it. The pool is the resource source's:
 * one started for this call, or an instance's, kept between calls. With
 * `parallelism` 0 the digests are computed on the event loop one at a time, a
 * turn of the loop apart so an abort is still heard.
 */
import { checkHashInput, type HashValue, sha256Hex, type Workloads } from '@arena/core'
import { lastValueFrom, map, Observable } from 'rxjs'
import type { ResourceSource } from './instance.ts'
import { inInputOrder, mapOutcomes } from './outcomes.ts'
import { oneShot, type Resources } from './resources.ts'

// Not `asyncScheduler` (a setInterval clamped to 1 ms per item) nor `asapScheduler`
// (a microtask, which never lets the abort event in): one setImmediate.
const nextTurn = new Observable<void>((subscriber) => {
  const handle = setImmediate(() => {
    subscriber.next()
    subscriber.complete()
  })
  return () => clearImmediate(handle)
})

/** hash on `source`'s worker pool: every buffer, on `parallelism` workers or on the event loop. */
export function hashOn(source: ResourceSource<Resources>): Workloads['hash'] {
  return async (input, options) => {
    checkHashInput(input)
    const checked = source.check(options)
    const { concurrency, parallelism, timeoutMs, onStart } = checked
    const { buffers } = input
    return lastValueFrom(
      source
        .run({ concurrency, parallelism }, ({ pool }) =>
          pool
            ? mapOutcomes(buffers, parallelism, (buffer, index) =>
                pool
                  .digest(buffer, { timeoutMs, onTaken: onStart && (() => onStart(index)) })
                  .pipe(map((digest): HashValue => ({ digest }))),
              )
            : mapOutcomes(buffers, 1, (buffer, index) =>
                nextTurn.pipe(
                  map((): HashValue => {
                    onStart?.(index)
                    return { digest: sha256Hex(buffer) }
                  }),
                ),
              ),
        )
        .pipe(inInputOrder(buffers.length, checked)),
    )
  }
}

/** Digests every buffer; with `parallelism` ≥ 1 on that many worker threads started for this call. */
export const hash: Workloads['hash'] = hashOn(oneShot)
