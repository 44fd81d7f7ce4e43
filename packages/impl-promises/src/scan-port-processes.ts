/**
 * scanPort on child processes (the course's "coroutine + process" homework):
 * the port list is split into contiguous chunks, one per kept scan process,
 * and each process scans its chunk with async lanes of core's TCP probe. The
 * concurrency budget is shared out so the total in flight never exceeds
 * `concurrency`. Each port's outcome is reported as it arrives from its
 * process (there is no `onStart`: a connect starts inside a process, which
 * sends outcomes only); an abort is forwarded to every process, which settles
 * and sends back what it finished.
 */
import { abortedFailure, checkScanInput, failed, type Outcome, type ScanValue } from '@arena/core'
import { oneShot, type Step } from './lifecycle.ts'
import { ProcessResources } from './process-resources.ts'

/** Splits `total` into `parts` near-equal integers. */
function share(total: number, parts: number): number[] {
  return Array.from(
    { length: parts },
    (_, i) => Math.floor(total / parts) + (i < total % parts ? 1 : 0),
  )
}

/** scanPort on the kept scan processes. */
export const scanPortProcessesOn: Step<ProcessResources, 'scanPort'> = {
  check: checkScanInput,
  async run(kept, { host, ports }, { concurrency, timeoutMs, signal, onOutcome }) {
    if (signal?.aborted)
      return ports.map((_, i) => {
        const outcome: Outcome<ScanValue> = failed(abortedFailure)
        onOutcome?.(i, outcome)
        return outcome
      })
    const scanners = kept.scanners()
    const parts = Math.min(scanners.size, concurrency, ports.length)
    const sizes = share(ports.length, parts)
    const budgets = share(concurrency, parts)
    let start = 0
    const results = await Promise.all(
      sizes.map((size, i) => {
        const offset = start
        start += size
        return scanners.scan(
          i,
          {
            host,
            ports: ports.slice(offset, offset + size),
            concurrency: budgets[i] ?? 1,
            timeoutMs,
          },
          signal,
          onOutcome && ((index, outcome) => onOutcome(offset + index, outcome)),
        )
      }),
    )
    return results.flat()
  },
}

/** Scans in `max(1, parallelism)` child processes, each running async lanes over its chunk. */
export const scanPortProcesses = oneShot(
  (options) => new ProcessResources(options),
  scanPortProcessesOn,
)
