/**
 * A recorder of core's per-item callbacks for the ceiling tests: `onOutcome`
 * exactly once per item, the outcome the call resolves with, before the call
 * settles; `onStart` at most once per item and before its outcome.
 */
import type { Outcome, RunOptions } from '@arena/core'

/** Runs `call` with recording hooks; resolves its result and every problem the callbacks had. */
export async function withHooks<T>(
  call: (hooks: Pick<RunOptions, 'onOutcome' | 'onStart'>) => Promise<readonly Outcome<T>[]>,
): Promise<{ result: readonly Outcome<T>[]; problems: string[]; started: number }> {
  const outcomes = new Map<number, Outcome<unknown>[]>()
  const starts = new Map<number, number>()
  const problems: string[] = []
  let settled = false
  let result: readonly Outcome<T>[]
  try {
    result = await call({
      onOutcome(index, outcome) {
        if (settled) problems.push(`onOutcome(${index}) after the call settled`)
        outcomes.set(index, [...(outcomes.get(index) ?? []), outcome])
      },
      onStart(index) {
        if (settled) problems.push(`onStart(${index}) after the call settled`)
        if (outcomes.has(index)) problems.push(`onStart(${index}) after its outcome`)
        starts.set(index, (starts.get(index) ?? 0) + 1)
      },
    })
  } finally {
    settled = true
  }
  // Anything late arrives in this pause.
  await new Promise((resolve) => setTimeout(resolve, 50))
  result.forEach((outcome, index) => {
    const reported = outcomes.get(index) ?? []
    if (reported.length !== 1) problems.push(`item ${index}: onOutcome ${reported.length} times`)
    else if (JSON.stringify(reported[0]) !== JSON.stringify(outcome))
      problems.push(`item ${index}: onOutcome reported another outcome`)
    if ((starts.get(index) ?? 0) > 1) problems.push(`item ${index}: onStart more than once`)
  })
  if (outcomes.size > result.length) problems.push('onOutcome for an index out of range')
  return { result, problems: problems.slice(0, 5), started: starts.size }
}
