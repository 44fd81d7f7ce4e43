/**
 * scanPort, Effect style: `Effect.forEach` over the ports with `concurrency`
 * fibers at most, each probe under `Effect.timeout`. A probe cut off by its
 * own timeout means nothing answered: the port is `filtered`, recovered from
 * the typed `TimeoutError`. An abort of the run interrupts every probe and
 * leaves the unfinished ports `aborted`.
 */
import {
  checkRunOptions,
  checkScanInput,
  type Outcome,
  type RunOptions,
  type ScanInput,
  type ScanResult,
  type ScanValue,
} from '@arena/core'
import * as Effect from 'effect/Effect'
import type * as Layer from 'effect/Layer'
import { runOutcomes, settle } from './run.ts'
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

/** The `scanPort` workload on the `Tcp` layer `tcp`. */
export const scanPortWith =
  (tcp: Layer.Layer<Tcp>) =>
  async (input: ScanInput, options: RunOptions): Promise<ScanResult> => {
    checkScanInput(input)
    const { concurrency, timeoutMs, signal } = checkRunOptions(options)
    return runOutcomes<ScanValue>(input.ports.length, signal, (record) =>
      Effect.gen(function* () {
        const scan = probePort((yield* Tcp).probe, input.host, timeoutMs)
        yield* Effect.forEach(
          input.ports,
          (port, index) => Effect.flatMap(scan(port), (outcome) => record(index, outcome)),
          { concurrency, discard: true },
        )
      }).pipe(Effect.provide(tcp)),
    )
  }

/** Probes every port with at most `concurrency` connects in flight. */
export const scanPort = scanPortWith(sharedTcp)
