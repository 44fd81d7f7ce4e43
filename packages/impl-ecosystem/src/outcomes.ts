/**
 * Each item's done callback, in one place: `onOutcome(index, outcome)` is
 * called as an item's outcome is known, from inside the function that makes
 * it — p-map's mapper, or the handler of a piscina task. Without a callback
 * nothing is wrapped, so a run that asks for none pays one branch per call.
 */
import type { Outcome, RunOptions } from '@arena/core'

/** `outcome`, once handed to `onOutcome` when there is one. */
export function reported<T>(
  onOutcome: RunOptions['onOutcome'],
  index: number,
  outcome: Outcome<T>,
): Outcome<T> {
  onOutcome?.(index, outcome)
  return outcome
}

/** The mapper `map`, reporting each outcome it resolves with to `onOutcome`; `map` itself without one. */
export function reporting<T, R>(
  onOutcome: RunOptions['onOutcome'],
  map: (item: T, index: number) => Promise<Outcome<R>>,
): (item: T, index: number) => Promise<Outcome<R>> {
  if (!onOutcome) return map
  return async (item, index) => reported(onOutcome, index, await map(item, index))
}
