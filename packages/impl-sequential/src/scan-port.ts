/**
 * scanPort, sequential style: one connect probe at a time, in port order,
 * each under its own deadline. A probe cut off by its own timeout means
 * nothing answered: the port is `filtered`. An abort of the run is `aborted`.
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
  const { timeoutMs, signal } = checkRunOptions(options)
  const results: Outcome<ScanValue>[] = []
  for (const port of input.ports) {
    if (signal?.aborted) {
      results.push(failed(abortedFailure))
      continue
    }
    const limit = deadline(timeoutMs, signal)
    try {
      results.push(success({ state: await tcpProbe(input.host, port, { signal: limit }) }))
    } catch (error) {
      const failure = failureOf(error, limit)
      results.push(failure.kind === 'timeout' ? success({ state: 'filtered' }) : failed(failure))
    }
  }
  return results
}
