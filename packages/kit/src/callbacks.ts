/**
 * A recorder of one run's per-item callbacks, for the tests of results as
 * they complete: every `onStart` and `onOutcome` in the order they came, the
 * outcome each index reported, and every callback that came after the run
 * settled (the contract allows none). The kit's own suite checks
 * exactly-once and timing on every contestant; a contestant's tests use this
 * to check what its style promises beyond that: the order outcomes come in,
 * and when an item starts.
 */
import type { Outcome, RunOptions } from '@arena/core'

/** One callback, as it came. */
export interface Event {
  readonly kind: 'start' | 'outcome'
  readonly index: number
}

/** Records the callbacks of one run: pass `hooks` in its options, and call `settle()` when it settles. */
export function recordCallbacks() {
  const events: Event[] = []
  const reported = new Map<number, Outcome<unknown>>()
  const late: Event[] = []
  let settled = false
  const record = (event: Event) => {
    if (settled) late.push(event)
    events.push(event)
  }
  const hooks: Required<Pick<RunOptions, 'onStart' | 'onOutcome'>> = {
    onStart: (index) => record({ kind: 'start', index }),
    onOutcome: (index, outcome) => {
      record({ kind: 'outcome', index })
      reported.set(index, outcome)
    },
  }
  return {
    hooks,
    events,
    late,
    settle() {
      settled = true
    },
    /** The outcome each index reported, in index order (`undefined` where none came). */
    outcomes: (count: number) => Array.from({ length: count }, (_, i) => reported.get(i)),
    /** The indices in the order their outcomes came. */
    order: () => events.filter((e) => e.kind === 'outcome').map((e) => e.index),
    /** The most items at once that had started and not yet reported an outcome. */
    peakStarted(): number {
      const running = new Set<number>()
      let peak = 0
      for (const { kind, index } of events) {
        if (kind === 'start') running.add(index)
        else running.delete(index)
        peak = Math.max(peak, running.size)
      }
      return peak
    },
  }
}

/** Runs `call` with a recorder's hooks; returns its result and the recorder, settled. */
export async function withCallbacks<T>(
  call: (hooks: ReturnType<typeof recordCallbacks>['hooks']) => Promise<T> | undefined,
) {
  const recorder = recordCallbacks()
  try {
    const result = await call(recorder.hooks)
    return { result, recorder }
  } finally {
    recorder.settle()
  }
}
