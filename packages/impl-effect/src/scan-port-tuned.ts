/**
 * scanPort, `tuned` variant: `concurrency` long-lived lanes (`lanes`) instead
 * of a fiber per port, each probe with its deadline inside its own callback
 * (`attempt`) instead of `Effect.timeout`; a probe past its deadline means
 * `filtered`. It needs no service: core's probe holds nothing between
 * probes. Interruption and the outcome boundary are the default ones.
 */
import {
  checkRunOptions,
  checkScanInput,
  failed,
  type RunOptions,
  type ScanInput,
  type ScanValue,
  success,
  tcpProbe,
} from '@arena/core'
import * as Effect from 'effect/Effect'
import * as Layer from 'effect/Layer'
import { attempt, lanes } from './lanes.ts'
import { type Call, oneShot } from './run.ts'

/** The tuned `scanPort` program for `input`: validated now, started by whoever runs it. */
export const scanPortTunedCall = (
  input: ScanInput,
  options: RunOptions,
): Call<ScanValue, never> => {
  checkScanInput(input)
  const checked = checkRunOptions(options)
  const { concurrency, timeoutMs } = checked
  const { host, ports } = input
  return {
    count: ports.length,
    options: checked,
    program: (record, start) =>
      lanes(ports.length, concurrency, (index) =>
        attempt(timeoutMs, (signal) => tcpProbe(host, ports[index] as number, { signal })).pipe(
          start(index),
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
  }
}

/** `scanPort` on `concurrency` lanes; a probe past its deadline means `filtered`. */
export const scanPortTuned = oneShot(scanPortTunedCall, () => Layer.empty)
