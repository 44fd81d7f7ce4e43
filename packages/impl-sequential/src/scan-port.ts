/**
 * scanPort, sequential style: one connect probe at a time, in port order,
 * each under its own deadline. A probe cut off by its own timeout means
 * nothing answered: the port is `filtered`. An abort of the run is `aborted`.
 * Each outcome is reported as the loop stores it.
 */
import {
  abortedFailure,
  checkRunOptions,
  checkScanInput,
  deadline,
  failed,
  failureOf,
  type Outcome,
  type RunOptions,
  type ScanInput,
  type ScanResult,
  type ScanValue,
  success,
  tcpProbe,
} from '@arena/core'

/** Probes every port, one after the other. */
export async function scanPort(input: ScanInput, options: RunOptions): Promise<ScanResult> {
  checkScanInput(input)
  const { timeoutMs, signal, onStart, onOutcome } = checkRunOptions(options)
  const results: Outcome<ScanValue>[] = []
  for (const [index, port] of input.ports.entries()) {
    let outcome: Outcome<ScanValue> = failed(abortedFailure)
    if (!signal?.aborted) {
      const limit = deadline(timeoutMs, signal)
      onStart?.(index)
      try {
        outcome = success({ state: await tcpProbe(input.host, port, { signal: limit }) })
      } catch (error) {
        const failure = failureOf(error, limit)
        outcome = failure.kind === 'timeout' ? success({ state: 'filtered' }) : failed(failure)
      }
    }
    results.push(outcome)
    onOutcome?.(index, outcome)
  }
  return results
}
