/**
 * scanPort, raw-promise style: `concurrency` lanes of connect probes, each
 * under its own deadline. A probe cut off by its own timeout means nothing
 * answered: the port is `filtered`. An abort of the run is `aborted`.
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
import { mapConcurrent } from './limit.ts'

/** Probes every port with at most `concurrency` connects in flight. */
export async function scanPort(input: ScanInput, options: RunOptions): Promise<ScanResult> {
  checkScanInput(input)
  const { concurrency, timeoutMs, signal } = checkRunOptions(options)
  return mapConcurrent(input.ports, concurrency, async (port): Promise<Outcome<ScanValue>> => {
    if (signal?.aborted) return failed(abortedFailure)
    const limit = deadline(timeoutMs, signal)
    try {
      return success({ state: await tcpProbe(input.host, port, { signal: limit }) })
    } catch (error) {
      const failure = failureOf(error, limit)
      return failure.kind === 'timeout' ? success({ state: 'filtered' }) : failed(failure)
    }
  })
}
