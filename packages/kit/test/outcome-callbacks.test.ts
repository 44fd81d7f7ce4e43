import { failed, type Outcome, success } from '@arena/core'
import { describe, expect, it } from 'vitest'
import { outcomeRecorder } from '../src/conformance/outcomes.ts'

type Hooks = ReturnType<typeof outcomeRecorder>['hooks']

/** Runs a fake workload of `n` items that reports through `hooks` as `report` says. */
async function run(
  n: number,
  report: (hooks: Hooks, results: Outcome<unknown>[]) => Promise<void>,
) {
  const recorder = outcomeRecorder()
  const results = Array.from({ length: n }, (_, i) =>
    i % 3 === 0 ? failed({ kind: 'timeout' as const, message: 'x' }) : success({ i }),
  )
  await report(recorder.hooks, results)
  recorder.settle()
  return recorder.problemsWith(results)
}

describe('the onOutcome recorder', () => {
  it('accepts each outcome once, out of order, before the call settles', async () => {
    const problems = await run(6, async (hooks, results) => {
      for (const i of [5, 0, 3, 1, 4, 2]) {
        hooks.onStart(i)
        await new Promise((r) => setTimeout(r, 1))
        hooks.onOutcome(i, results[i] as Outcome<unknown>)
      }
    })
    expect(problems).toEqual([])
  })

  it('catches a missing, a doubled and a late outcome, and a start after the outcome', async () => {
    const problems = await run(4, async (hooks, results) => {
      hooks.onOutcome(0, results[0] as Outcome<unknown>)
      hooks.onOutcome(0, results[0] as Outcome<unknown>)
      hooks.onOutcome(1, results[1] as Outcome<unknown>)
      hooks.onStart(1)
      hooks.onOutcome(2, results[2] as Outcome<unknown>)
      // Item 3 is reported only after the call settled.
      setTimeout(() => hooks.onOutcome(3, results[3] as Outcome<unknown>), 10)
    })
    expect(problems).toEqual([
      'onStart(1) came after its outcome',
      'onOutcome(3) came after the call had settled',
      'item 0: onOutcome called 2 times, expected once',
    ])
  })

  it('catches an outcome that is not the one the call resolved with', async () => {
    await expect(
      run(2, async (hooks, results) => {
        hooks.onOutcome(0, results[1] as Outcome<unknown>)
        hooks.onOutcome(1, results[1] as Outcome<unknown>)
      }),
    ).rejects.toThrow(/onOutcome\(0\) reported another outcome/)
  })
})
