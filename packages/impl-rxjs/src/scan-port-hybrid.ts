/**
 * scanPort, hybrid form (the course's threads-plus-coroutines scanner): the
 * port list is split into contiguous chunks, one per scan thread, and each
 * thread scans its chunk with the default variant's RxJS stream, its share of
 * the concurrency budget keeping the total in flight within `concurrency`.
 * On the main thread each chunk is an Observable of indexed outcomes, merged
 * and placed in input order; an abort unsubscribes them, which cancels each
 * thread's job. The threads are the resource source's: started for this
 * call, or an instance's, kept between calls.
 */
import { checkScanInput, type OpenOptions, type Workloads } from '@arena/core'
import { lastValueFrom, merge } from 'rxjs'
import { oneShotOf, type ResourceSource } from './instance.ts'
import { inInputOrder } from './outcomes.ts'
import { ScanThreads } from './scan-threads.ts'
import type { ScanJob } from './scan-worker.ts'

/** Splits `total` into `parts` near-equal integers. */
function share(total: number, parts: number): number[] {
  return Array.from(
    { length: parts },
    (_, i) => Math.floor(total / parts) + (i < total % parts ? 1 : 0),
  )
}

/** The hybrid's scan threads for `needs`, as `open` and the one-shot source start them. */
export const openScanThreads = (needs: OpenOptions) => new ScanThreads(needs)

/** scanPort on `source`'s scan threads: every port, on `max(1, parallelism)` threads. */
export function scanPortHybridOn(source: ResourceSource<ScanThreads>): Workloads['scanPort'] {
  return async (input, options) => {
    checkScanInput(input)
    const checked = source.check(options)
    const { concurrency, parallelism, timeoutMs } = checked
    const { host, ports } = input
    if (ports.length === 0) return []
    // An instance keeps max(1, parallelism) threads; a one-shot call starts only those it uses.
    const used = Math.min(Math.max(1, parallelism), concurrency, ports.length)
    return lastValueFrom(
      source
        .run({ concurrency, parallelism: used }, (threads) => {
          const budgets = share(concurrency, used)
          let offset = 0
          const chunks = share(ports.length, used).map((size, i) => {
            const job: ScanJob = {
              host,
              ports: ports.slice(offset, offset + size),
              concurrency: budgets[i] ?? 1,
              timeoutMs,
            }
            offset += size
            return threads.scan(i, job, offset - size)
          })
          return merge(...chunks)
        })
        .pipe(inInputOrder(ports.length, checked)),
    )
  }
}

/** Scans on `max(1, parallelism)` threads started for this call, each running the RxJS scanner on its chunk. */
export const scanPortHybrid: Workloads['scanPort'] = scanPortHybridOn(oneShotOf(openScanThreads))
