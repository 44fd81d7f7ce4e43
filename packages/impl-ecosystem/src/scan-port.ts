/**
 * scanPort, ecosystem style: `p-map` over the ports with `{ concurrency }`,
 * each connect probe under its own deadline. A probe cut off by its own
 * timeout means nothing answered: the port is `filtered`. An abort of the run
 * is `aborted`. The mapper reports each outcome as it resolves. It keeps
 * nothing between calls: a probe is one connect.
 */
import {
  abortedFailure,
  checkScanInput,
  deadline,
  failed,
  failureOf,
  type Outcome,
  type ScanValue,
  success,
  tcpProbe,
} from '@arena/core'
import pMap from 'p-map'
import { oneShot, type Step } from './lifecycle.ts'
import { reporting } from './outcomes.ts'

/** scanPort on the kept resources (nothing it uses). */
export const scanPortOn: Step<'scanPort'> = {
  check: checkScanInput,
  run: (_kept, { host, ports }, { concurrency, timeoutMs, signal, onStart, onOutcome }) =>
    pMap(
      ports,
      reporting(onOutcome, async (port, index): Promise<Outcome<ScanValue>> => {
        if (signal?.aborted) return failed(abortedFailure)
        const limit = deadline(timeoutMs, signal)
        onStart?.(index)
        try {
          return success({ state: await tcpProbe(host, port, { signal: limit }) })
        } catch (error) {
          const failure = failureOf(error, limit)
          return failure.kind === 'timeout' ? success({ state: 'filtered' }) : failed(failure)
        }
      }),
      { concurrency },
    ),
}

/** Probes every port with at most `concurrency` connects in flight. */
export const scanPort = oneShot(scanPortOn)
