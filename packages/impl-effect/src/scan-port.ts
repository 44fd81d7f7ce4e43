/**
 * scanPort, Effect style: `Effect.forEach` over the ports with `concurrency`
 * fibers at most, each probe under `Effect.timeout`. A probe cut off by its
 * own timeout means nothing answered: the port is `filtered`, recovered from
 * the typed `TimeoutError`. An abort of the call interrupts every probe and
 * leaves the unfinished ports `aborted`.
 */
import {
  checkRunOptions,
  checkScanInput,
  type Outcome,
  type RunOptions,
  type ScanInput,
  type ScanValue,
} from '@arena/core'
import * as Effect from 'effect/Effect'
import { type Call, oneShot, settle } from './run.ts'
import { sharedTcp, Tcp } from './tcp.ts'

/** The outcome of one port: its probe under `timeoutMs`, where a timeout means `filtered`. */
export const probePort =
  (probe: Tcp['Service']['probe'], host: string, timeoutMs: number) =>
  (port: number): Effect.Effect<Outcome<ScanValue>> =>
    probe(host, port).pipe(
      Effect.timeout(timeoutMs),
      Effect.catchTag('TimeoutError', () => Effect.succeed('filtered' as const)),
      settle((state) => ({ state })),
    )

/** The `scanPort` program for `input`: validated now, started by whoever runs it. */
export const scanPortCall = (input: ScanInput, options: RunOptions): Call<ScanValue, Tcp> => {
  checkScanInput(input)
  const checked = checkRunOptions(options)
  const { concurrency, timeoutMs } = checked
  return {
    count: input.ports.length,
    options: checked,
    program: (record, start) =>
      Effect.gen(function* () {
        const scan = probePort((yield* Tcp).probe, input.host, timeoutMs)
        yield* Effect.forEach(
          input.ports,
          (port, index) =>
            scan(port).pipe(
              start(index),
              Effect.flatMap((outcome) => record(index, outcome)),
            ),
          { concurrency, discard: true },
        )
      }),
  }
}

/** Probes every port with at most `concurrency` connects in flight. */
export const scanPort = oneShot(scanPortCall, () => sharedTcp)
