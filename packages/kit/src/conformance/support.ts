/**
 * What every section of the conformance kit shares: the mock world the tests
 * run against, the settle-time rules, run options with the kit's defaults,
 * per-run tags for the server's counters, and the small helpers that verify
 * an answer, time a run and abort one. A section of the kit (pages, hash,
 * scan, cancellation) imports these instead of redefining them.
 */
import { describeVerdict, type Outcome, type RunOptions, verifyOutcomes } from '@arena/core'
import { expect, inject } from 'vitest'
import { WORLD_KEY } from '../provided-world.ts'
import type { MockWorldInfo } from '../start-mock-world.ts'

/** How long after an abort a workload must have settled, in milliseconds. */
export const ABORT_SETTLE_MS = 250
/** How long after an abort at a random moment a workload must have settled, in milliseconds. */
export const RANDOM_ABORT_SETTLE_MS = 100
/** How much earlier than `timeoutMs` a timed-out run may end (timer granularity), in milliseconds. */
export const TIMEOUT_EARLY_MS = 20
/** How much later than `timeoutMs` a timed-out run must have ended, in milliseconds. */
export const TIMEOUT_LATE_MS = 1200

/** The mock world of this test project (started by the kit's global setup). */
export const world = (): MockWorldInfo => inject(WORLD_KEY)

let tagCounter = 0
/** A run tag unique in this process, so the server counts each run apart. */
export const nextTag = (label: string) => `${label}#${++tagCounter}-${process.pid}`

/** Run options with the kit's defaults (concurrency 4, parallelism 0, 5 s per operation). */
export const options = (o: Partial<RunOptions>): RunOptions => ({
  concurrency: 4,
  parallelism: 0,
  timeoutMs: 5000,
  ...o,
})

/** Asserts `actual` is exactly `expected`, item by item; returns the verdict for its tally. */
export function expectVerified<T>(
  expected: readonly Outcome<T>[],
  actual: unknown,
  allowAborted = false,
) {
  const verdict = verifyOutcomes(expected, actual, { allowAborted })
  expect(verdict.ok, describeVerdict(verdict)).toBe(true)
  return verdict
}

/** Asserts a run that timed out took close to `timeoutMs`. */
export function expectNearTimeout(elapsedMs: number, timeoutMs: number) {
  expect(elapsedMs).toBeGreaterThanOrEqual(timeoutMs - TIMEOUT_EARLY_MS)
  expect(elapsedMs).toBeLessThan(timeoutMs + TIMEOUT_LATE_MS)
}

/** Runs `work` and returns its result and wall time in milliseconds. */
export async function timed<T>(work: () => Promise<T>): Promise<{ result: T; elapsedMs: number }> {
  const start = performance.now()
  const result = await work()
  return { result, elapsedMs: performance.now() - start }
}

/** Aborts `run` after `abortAfterMs` and returns its result and how long it took to settle after the abort. */
export async function runAndAbort<T>(
  run: (signal: AbortSignal) => Promise<T>,
  abortAfterMs: number,
) {
  const controller = new AbortController()
  let abortedAt = 0
  const timer = setTimeout(() => {
    abortedAt = performance.now()
    controller.abort()
  }, abortAfterMs)
  try {
    const result = await run(controller.signal)
    return { result, settleMs: abortedAt === 0 ? Number.NaN : performance.now() - abortedAt }
  } finally {
    clearTimeout(timer)
  }
}

/** How many outcomes are `aborted` failures. */
export const countAborted = (outcomes: readonly Outcome<unknown>[]) =>
  outcomes.filter((o) => !o.ok && o.failure.kind === 'aborted').length
