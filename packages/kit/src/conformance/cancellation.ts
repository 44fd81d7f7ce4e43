/**
 * The conformance kit's abort-at-any-moment property: every workload of a
 * variant is aborted at random moments (fast-check); the call settles within
 * {@link RANDOM_ABORT_SETTLE_MS} of the abort, every item has exactly one
 * outcome (its true answer, or `aborted`), nothing is left running and no
 * rejection goes unhandled (checked after each test).
 */
import {
  expectedFetch,
  expectedHash,
  expectedPipeline,
  fetchInput,
  fetchSpec,
  hashInput,
  hashSpec,
  type Outcome,
  type RunOptions,
  type Workloads,
} from '@arena/core'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { expectedScanFromTruth, recordTruth } from '../ground-truth.ts'
import { tagUrls } from '../mock-server.ts'
import { snapshotResources, waitForNoLeaks } from '../resources.ts'
import type { MockWorldInfo } from '../start-mock-world.ts'
import {
  expectVerified,
  nextTag,
  options,
  RANDOM_ABORT_SETTLE_MS,
  runAndAbort,
  world,
} from './support.ts'

/** The per-item callbacks of a run, as the outcome checks pass them. */
export type Hooks = Pick<RunOptions, 'onOutcome' | 'onStart'>

/** Each case prepares its input, starts the workload, and only afterwards, outside the timed window, computes the truth. */
export interface Prepared {
  start(signal: AbortSignal, hooks?: Hooks): Promise<readonly Outcome<unknown>[]>
  expected(result: readonly Outcome<unknown>[]): readonly Outcome<unknown>[]
}

/** The abort cases of the variant's workloads `w` on `world`: `undefined` for a workload it lacks. */
export function cancellationCases(
  w: Partial<Workloads>,
  label: string,
  world: () => MockWorldInfo,
): Array<[keyof Workloads, () => Prepared | undefined]> {
  const pages = (bytes: number) => {
    const spec = fetchSpec({
      seed: 21,
      count: 80,
      bytes,
      latency: { kind: 'fixed', ms: 20 },
      faults: { stall: 0.1 },
    })
    return {
      spec,
      input: { urls: tagUrls(fetchInput(spec, world().origin).urls, nextTag(`${label}/abort`)) },
    }
  }
  return [
    [
      'fetch',
      () => {
        const run = w.fetch
        if (!run) return undefined
        const { spec, input } = pages(1024)
        return {
          start: (signal, hooks) => run(input, options({ concurrency: 8, signal, ...hooks })),
          expected: () => expectedFetch(spec),
        }
      },
    ],
    [
      'hash',
      () => {
        const run = w.hash
        if (!run) return undefined
        const spec = hashSpec({ seed: 22, count: 48, bytes: 256 * 1024 })
        const input = hashInput(spec)
        return {
          start: (signal, hooks) => run(input, options({ parallelism: 2, signal, ...hooks })),
          expected: () => expectedHash(spec),
        }
      },
    ],
    [
      'scanPort',
      () => {
        const run = w.scanPort
        if (!run) return undefined
        const { host, open, filtered } = world()
        const ports = [...open, ...filtered, ...Array.from({ length: 200 }, (_, i) => 20_000 + i)]
        const recorder = recordTruth({ host, filtered })
        return {
          start: async (signal, hooks) => {
            try {
              return await run({ host, ports }, options({ concurrency: 4, signal, ...hooks }))
            } catch (error) {
              // Stopped however the scan ends — by `expected` when it answered, here when it
              // threw — so the kit's own timer is never the contestant's leak, and its last
              // poll (/proc and ss, tens of ms) is never inside the settle time it measures.
              recorder.stop()
              throw error
            }
          },
          expected: (result) => expectedScanFromTruth(ports, recorder, result),
        }
      },
    ],
    [
      'pipeline',
      () => {
        const run = w.pipeline
        if (!run) return undefined
        const { spec, input } = pages(16 * 1024)
        return {
          start: (signal, hooks) =>
            run(input, options({ concurrency: 8, parallelism: 2, signal, ...hooks })),
          expected: () => expectedPipeline(spec),
        }
      },
    ],
  ]
}

/**
 * The property itself: aborts a fresh run of the case at random moments
 * (fast-check, five runs) and asserts each settles within
 * {@link RANDOM_ABORT_SETTLE_MS}, answers every item truly or `aborted`, and
 * leaves nothing behind.
 */
export async function checkAbortAtRandom(prepare: () => Prepared | undefined): Promise<void> {
  await fc.assert(
    fc.asyncProperty(fc.integer({ min: 0, max: 150 }), async (delayMs) => {
      const prepared = prepare()
      if (!prepared) return
      const before = snapshotResources()
      const { result, settleMs } = await runAndAbort((signal) => prepared.start(signal), delayMs)
      expectVerified(prepared.expected(result), result, true)
      if (!Number.isNaN(settleMs))
        expect(
          settleMs,
          `settled ${settleMs.toFixed(0)} ms after an abort at ${delayMs} ms`,
        ).toBeLessThan(RANDOM_ABORT_SETTLE_MS)
      expect(await waitForNoLeaks(before), 'left behind after the abort').toEqual([])
    }),
    { numRuns: 5 },
  )
}

/** Registers the abort-at-any-moment property for each of the variant's workloads `w`. */
export function describeCancellation(w: Partial<Workloads>, label: string) {
  describe('cancellation at any moment', () => {
    for (const [name, prepare] of cancellationCases(w, label, world)) {
      const available = Boolean(w[name])
      it.skipIf(!available)(
        `${name}: settles within ${RANDOM_ABORT_SETTLE_MS} ms of an abort at a random moment, nothing lost or left behind`,
        () => checkAbortAtRandom(prepare),
      )
    }
  })
}
