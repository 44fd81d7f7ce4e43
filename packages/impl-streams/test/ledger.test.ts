import { Readable } from 'node:stream'
import { abortedFailure, failed, type Outcome, success } from '@arena/core'
import { describe, expect, it } from 'vitest'
import { Ledger } from '../src/ledger.ts'

const items = (n: number) => Array.from({ length: n }, (_, i) => i)

/** Records every `onOutcome` call. */
function reports() {
  const calls: [number, Outcome<unknown>][] = []
  return {
    calls,
    onOutcome: (index: number, outcome: Outcome<unknown>) => calls.push([index, outcome]),
  }
}

describe('the ledger', () => {
  it('keeps every answer finished before an abort, even behind an unfinished head, and answers the rest aborted', async () => {
    const controller = new AbortController()
    const { signal } = controller
    const { calls, onOutcome } = reports()
    const ledger = new Ledger<number>(10, onOutcome)
    // Item 0 never answers before the abort; items 1 and 2 answer at once, behind it.
    const mapped = Readable.from(items(10)).map(
      ledger.each(async (item: number) => {
        if (item > 2 || item === 0)
          await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }))
        return item === 0 || item > 2 ? failed(abortedFailure) : success(item)
      }),
      { concurrency: 3, signal },
    )
    setTimeout(() => controller.abort(), 30)
    const outcomes = await ledger.collect(mapped, signal)
    expect(outcomes).toEqual([
      failed(abortedFailure),
      success(1),
      success(2),
      ...items(7).map(() => failed(abortedFailure)),
    ])
    expect(calls.map(([index]) => index).sort((a, b) => a - b)).toEqual(items(10))
    expect(new Map(calls)).toEqual(new Map(outcomes.map((o, i) => [i, o])))
  })

  it('reports each outcome as it completes, not in the order the ordered stream delivers it', async () => {
    const { calls, onOutcome } = reports()
    const ledger = new Ledger<number>(3, onOutcome)
    const mapped = Readable.from([30, 1, 2]).map(
      ledger.each(async (ms: number) => {
        await new Promise((resolve) => setTimeout(resolve, ms))
        return success(ms)
      }),
      { concurrency: 3 },
    )
    expect(await ledger.collect(mapped, undefined)).toEqual([success(30), success(1), success(2)])
    expect(calls.map(([index]) => index)).toEqual([1, 2, 0])
  })

  it('reports nothing once collected, and never the same item twice', async () => {
    const { calls, onOutcome } = reports()
    const ledger = new Ledger<string>(2, onOutcome)
    ledger.settle(0, success('first'))
    ledger.settle(0, success('second'))
    const outcomes = await ledger.collect(Readable.from([]), undefined)
    ledger.settle(1, success('late'))
    expect(outcomes).toEqual([success('first'), failed(abortedFailure)])
    expect(calls).toEqual([
      [0, success('first')],
      [1, failed(abortedFailure)],
    ])
  })

  it('throws what a stage threw when nothing was aborted', async () => {
    const broken = Readable.from(items(4)).map((item: number) => {
      if (item === 2) throw new Error('stage broke')
      return success(item)
    })
    await expect(new Ledger(4, undefined).collect(broken, undefined)).rejects.toThrow('stage broke')
  })
})
