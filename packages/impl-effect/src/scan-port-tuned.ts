/**
 * scanPort, `tuned` variant: `concurrency` long-lived lanes (`lanes`) instead
 * of a fiber per port, each probe with its deadline inside its own callback
 * (`attempt`) instead of `Effect.timeout`; a probe past its deadline means
 * `filtered`. Interruption and the outcome boundary are the default ones.
 */
import {
  checkRunOptions,
  checkScanInput,
  failed,
  type RunOptions,
  type ScanInput,
  type ScanResult,
  type ScanValue,
  success,
  tcpProbe,
} from '@arena/core'
import * as Effect from 'effect/Effect'
import { attempt, lanes } from './lanes.ts'
import { runOutcomes } from './run.ts'

/** `scanPort` on `concurrency` lanes; a probe past its deadline means `filtered`. */
export async function scanPortTuned(input: ScanInput, options: RunOptions): Promise<ScanResult> {
  checkScanInput(input)
  const { concurrency, timeoutMs, signal } = checkRunOptions(options)
  const { host, ports } = input
  return runOutcomes<ScanValue>(ports.length, signal, (record) =>
    lanes(ports.length, concurrency, (index) =>
      attempt(timeoutMs, (signal) => tcpProbe(host, ports[index] as number, { signal })).pipe(
        Effect.flatMap((outcome) =>
          record(
            index,
            outcome.ok
              ? success({ state: outcome.value })
              : outcome.failure.kind === 'timeout'
                ? success({ state: 'filtered' })
                : failed(outcome.failure),
          ),
        ),
      ),
    ),
  )
}
