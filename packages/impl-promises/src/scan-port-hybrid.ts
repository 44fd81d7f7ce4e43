/**
 * scanPort, hybrid form (the course's threads-plus-coroutines scanner): the
 * port list is split into contiguous chunks, one per worker thread, and each
 * worker scans its chunk concurrently with the same promise code as the
 * default variant. The concurrency budget is shared out so the total in flight
 * never exceeds `concurrency`. The threads are kept between calls
 * (`scan-workers.ts`); an abort is forwarded to every worker, which settles and
 * sends back its outcomes. Asked for results as they complete, each worker
 * sends them in batches and each outcome is reported as its batch arrives on
 * this thread. `onStart` is not reported: a connect starts on another thread,
 * and its start would reach this one only in a batch as late as its outcome.
 */
import { abortedFailure, checkScanInput, failed } from '@arena/core'
import { oneShot, type Step } from './lifecycle.ts'
import { reported } from './limit.ts'
import { ScanWorkers } from './scan-workers.ts'

/** Splits `total` into `parts` near-equal integers. */
function share(total: number, parts: number): number[] {
  return Array.from(
    { length: parts },
    (_, i) => Math.floor(total / parts) + (i < total % parts ? 1 : 0),
  )
}

/** The scan threads to keep: one per unit of parallelism (at least one), never more than can each have a connect in flight. */
export const keepScanWorkers = ({
  concurrency,
  parallelism,
}: {
  readonly concurrency: number
  readonly parallelism: number
}) => new ScanWorkers(Math.max(1, Math.min(parallelism, concurrency)))

/** scanPort on the kept scan threads. */
export const scanPortHybridOn: Step<ScanWorkers, 'scanPort'> = {
  check: checkScanInput,
  async run(workers, { host, ports }, { concurrency, timeoutMs, signal, onOutcome }) {
    if (signal?.aborted)
      return ports.map((_, index) => reported(onOutcome, index, failed(abortedFailure)))
    const threads = Math.min(workers.size, concurrency, ports.length)
    const sizes = share(ports.length, threads)
    const budgets = share(concurrency, threads)
    let start = 0
    const parts = await Promise.all(
      sizes.map((size, i) => {
        const offset = start
        const chunk = ports.slice(offset, offset + size)
        start += size
        return workers.scan(
          i,
          { host, ports: chunk, concurrency: budgets[i] ?? 1, timeoutMs },
          signal,
          onOutcome && ((index, outcome) => onOutcome(offset + index, outcome)),
        )
      }),
    )
    return parts.flat()
  },
}

/** Scans on `max(1, parallelism)` worker threads, each running the promise scanner on its chunk. */
export const scanPortHybrid = oneShot(keepScanWorkers, scanPortHybridOn)
