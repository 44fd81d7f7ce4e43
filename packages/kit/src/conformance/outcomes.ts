/**
 * Results as they complete: a workload reports each item's outcome through
 * `onOutcome` exactly once, as that item finishes — the course's done callback
 * and `as_completed` — and always before its promise settles, never after;
 * `onStart`, when called, comes at most once per item and before its outcome.
 * Checked on each workload under its faults (fetch's and the workers'), and
 * under an abort at a random moment; the outcome reported for an index must be
 * the one the call resolves with at that index, whatever order they came in.
 */
import {
  effectiveLimits,
  expectedFetch,
  expectedHash,
  fetchInput,
  fetchSpec,
  hashInput,
  hashSpec,
  type Outcome,
  type VariantLimits,
  type Workloads,
} from '@arena/core'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { tagUrls } from '../mock-server.ts'
import { cancellationCases, type Hooks } from './cancellation.ts'
import { expectVerified, nextTag, options, runAndAbort, world } from './support.ts'

/** How long after a call settles the kit waits for a late callback, ms. */
const LATE_CALLBACK_WAIT_MS = 100

/** Records a run's callbacks and says what was wrong with them. */
export function outcomeRecorder() {
  const outcomes = new Map<number, Outcome<unknown>[]>()
  const starts = new Map<number, number>()
  const problems: string[] = []
  let settled = false
  const hooks: Required<Hooks> = {
    onOutcome(index, outcome) {
      if (settled) problems.push(`onOutcome(${index}) came after the call had settled`)
      outcomes.set(index, [...(outcomes.get(index) ?? []), outcome])
    },
    onStart(index) {
      if (settled) problems.push(`onStart(${index}) came after the call had settled`)
      if (outcomes.has(index)) problems.push(`onStart(${index}) came after its outcome`)
      starts.set(index, (starts.get(index) ?? 0) + 1)
    },
  }
  return {
    hooks,
    /** Call as soon as the call settles. */
    settle() {
      settled = true
    },
    /** Every problem with the callbacks against the call's `result` (after the late-callback wait). */
    async problemsWith(result: readonly Outcome<unknown>[]): Promise<string[]> {
      await new Promise((resolve) => setTimeout(resolve, LATE_CALLBACK_WAIT_MS))
      const found = [...problems]
      result.forEach((outcome, index) => {
        const reported = outcomes.get(index) ?? []
        if (reported.length !== 1)
          found.push(`item ${index}: onOutcome called ${reported.length} times, expected once`)
        else expect(reported[0], `onOutcome(${index}) reported another outcome`).toEqual(outcome)
        if ((starts.get(index) ?? 0) > 1) found.push(`item ${index}: onStart called more than once`)
      })
      for (const index of outcomes.keys())
        if (index < 0 || index >= result.length || !Number.isInteger(index))
          found.push(`onOutcome called with index ${index}, outside 0–${result.length - 1}`)
      return found.slice(0, 5)
    },
  }
}

/** Runs `start` with a recorder's hooks and asserts the callbacks were right. */
async function expectCallbacks(
  start: (hooks: Hooks) => Promise<readonly Outcome<unknown>[]>,
): Promise<readonly Outcome<unknown>[]> {
  const recorder = outcomeRecorder()
  let result: readonly Outcome<unknown>[]
  try {
    result = await start(recorder.hooks)
  } finally {
    recorder.settle()
  }
  expect(await recorder.problemsWith(result), 'onOutcome / onStart').toEqual([])
  return result
}

/** Registers the callback checks for each of the variant's workloads `w`. */
export function describeOutcomeCallbacks(
  w: Partial<Workloads>,
  label: string,
  limits: VariantLimits | undefined,
) {
  const parallelism = effectiveLimits(limits, { concurrency: 2, parallelism: 2 }).parallelism
  describe('results as they complete (onOutcome)', () => {
    it.skipIf(!w.fetch)(
      'fetch: each outcome reported once, before the call resolves, under faults',
      async () => {
        const run = w.fetch as Workloads['fetch']
        const spec = fetchSpec({
          seed: 31,
          count: 60,
          bytes: 2048,
          latency: { kind: 'uniform', minMs: 0, maxMs: 15 },
          faults: { status: 0.15, reset: 0.1, truncate: 0.1 },
        })
        const input = {
          urls: tagUrls(fetchInput(spec, world().origin).urls, nextTag(`${label}/cb`)),
        }
        const result = await expectCallbacks((hooks) =>
          run(input, options({ concurrency: 6, ...hooks })),
        )
        expectVerified(expectedFetch(spec), result)
      },
    )

    it.skipIf(!w.hash)(
      'hash: each outcome reported once, before the call resolves, with crashing workers',
      async () => {
        const run = w.hash as Workloads['hash']
        const spec = hashSpec({
          seed: 32,
          count: 40,
          bytes: 32 * 1024,
          faults: { throw: 0.1, exit: 0.1 },
        })
        const result = await expectCallbacks((hooks) =>
          run(hashInput(spec), options({ parallelism: 2, ...hooks })),
        )
        expectVerified(expectedHash(spec, parallelism), result)
      },
    )

    for (const [name, prepare] of cancellationCases(w, label, world))
      it.skipIf(!w[name])(
        `${name}: each outcome reported once under an abort at a random moment`,
        () =>
          fc.assert(
            fc.asyncProperty(fc.integer({ min: 0, max: 150 }), async (delayMs) => {
              const prepared = prepare()
              if (!prepared) return
              const recorder = outcomeRecorder()
              let result: readonly Outcome<unknown>[]
              try {
                ;({ result } = await runAndAbort(
                  (signal) => prepared.start(signal, recorder.hooks),
                  delayMs,
                ))
              } finally {
                recorder.settle()
              }
              // The truth first: for a scan it also stops the kit's recorder.
              const expected = prepared.expected(result)
              expect(await recorder.problemsWith(result), 'onOutcome / onStart').toEqual([])
              expectVerified(expected, result, true)
            }),
            { numRuns: 3 },
          ),
      )
  })
}
