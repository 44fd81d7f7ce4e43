import { abortedFailure, failed, type Outcome, success } from '@arena/core'
import { map, type Observable, tap, timeout, timer } from 'rxjs'
import { TestScheduler } from 'rxjs/testing'
import { describe, expect, it } from 'vitest'
import { mapOutcomesInLanes } from '../src/lanes.ts'
import { inInputOrder, mapOutcomes } from '../src/outcomes.ts'

const testScheduler = () =>
  new TestScheduler((actual, expected) => expect(actual).toEqual(expected))

describe('mapOutcomes + inInputOrder', () => {
  it('places each outcome at its input position, whatever order they finish in', () => {
    testScheduler().run(({ expectObservable }) => {
      const run = mapOutcomes([30, 10, 20], 3, (ms) => timer(ms).pipe(map(() => ms)))
      expectObservable(run.pipe(inInputOrder(3, {}))).toBe('30ms (a|)', {
        a: [success(30), success(10), success(20)],
      })
    })
  })

  it('ends a failed or timed-out item alone, with its failure, and lets the others finish', () => {
    testScheduler().run(({ expectObservable, cold }) => {
      const work: Record<string, Observable<string>> = {
        slow: cold('50ms a|', { a: 'slow' }).pipe(timeout({ first: 20 })),
        broken: cold('5ms #', undefined, Object.assign(new Error('reset'), { code: 'ECONNRESET' })),
        fast: cold('10ms a|', { a: 'fast' }),
      }
      const run = mapOutcomes(
        ['slow', 'broken', 'fast'],
        3,
        (name) => work[name] as Observable<string>,
      )
      expectObservable(run.pipe(inInputOrder(3, {}))).toBe('20ms (a|)', {
        a: [
          failed({ kind: 'timeout' }),
          failed({ kind: 'network', code: 'ECONNRESET', message: 'reset' }),
          success('fast'),
        ],
      })
    })
  })

  it('on abort, emits at once: finished items keep their outcome, the rest are aborted and unsubscribed', () => {
    testScheduler().run(({ expectObservable, expectSubscriptions, cold }) => {
      const controller = new AbortController()
      const items = [
        cold('30ms a|', { a: 1 }),
        cold('10ms b|', { b: 2 }),
        cold('40ms c|', { c: 3 }),
      ]
      timer(15).subscribe(() => controller.abort())
      const run = mapOutcomes(items, 2, (item) => item)
      expectObservable(run.pipe(inInputOrder(3, { signal: controller.signal }))).toBe('15ms (a|)', {
        a: [failed(abortedFailure), success(2), failed(abortedFailure)],
      })
      expectSubscriptions(items[0]?.subscriptions ?? []).toBe('^ 14ms !')
      expectSubscriptions(items[2]?.subscriptions ?? []).toBe('11ms ^ 3ms !')
    })
  })

  it('subscribes nothing when the signal is already aborted', () => {
    testScheduler().run(({ expectObservable, expectSubscriptions, cold }) => {
      const items = [cold('10ms a|', { a: 1 }), cold('10ms b|', { b: 2 })]
      const run = mapOutcomes(items, 2, (item) => item)
      expectObservable(run.pipe(inInputOrder(2, { signal: AbortSignal.abort() }))).toBe('(a|)', {
        a: [failed(abortedFailure), failed(abortedFailure)],
      })
      for (const item of items) expectSubscriptions(item.subscriptions).toBe([])
    })
  })
})

describe.each([
  ['mapOutcomes', mapOutcomes],
  ['mapOutcomesInLanes', mapOutcomesInLanes],
])('%s + inInputOrder: the per-item callbacks', (_, mapper) => {
  /** Runs items that finish after `ms` (virtual), aborted at `abortMs`, and logs every callback and the emission with its virtual time. */
  const logged = (durations: number[], concurrency: number, signal: () => AbortSignal) => {
    const log: string[] = []
    let emitted: Outcome<number>[] | undefined
    const scheduler = testScheduler()
    scheduler.run(({ cold, flush }) => {
      const at = () => scheduler.now()
      mapper(
        durations,
        concurrency,
        (ms) => cold(`${ms}ms (a|)`, { a: ms }),
        (index) => log.push(`${at()} start ${index}`),
      )
        .pipe(
          inInputOrder(durations.length, {
            signal: signal(),
            onOutcome: (index, outcome) =>
              log.push(`${at()} outcome ${index} ${outcome.ok ? 'ok' : outcome.failure.kind}`),
          }),
          tap(() => log.push(`${at()} emitted`)),
        )
        .subscribe((results) => {
          emitted = results
        })
      flush()
    })
    return { log, emitted }
  }

  it('starts an item as it leaves the queue, reports it as it finishes, and each aborted item once before the array', () => {
    const { log, emitted } = logged([30, 10, 40], 2, () => {
      const controller = new AbortController()
      timer(15).subscribe(() => controller.abort())
      return controller.signal
    })
    expect(log).toEqual([
      '0 start 0',
      '0 start 1',
      '10 outcome 1 ok',
      '10 start 2',
      '15 outcome 0 aborted',
      '15 outcome 2 aborted',
      '15 emitted',
    ])
    expect(emitted).toEqual([failed(abortedFailure), success(10), failed(abortedFailure)])
  })

  it('reports every item once, in completion order, when nothing aborts', () => {
    const { log } = logged([30, 10, 20], 3, () => new AbortController().signal)
    expect(log).toEqual([
      '0 start 0',
      '0 start 1',
      '0 start 2',
      '10 outcome 1 ok',
      '20 outcome 2 ok',
      '30 outcome 0 ok',
      '30 emitted',
    ])
  })

  it('starts nothing and reports every item aborted when the signal is already aborted', () => {
    const { log } = logged([10, 10], 2, () => AbortSignal.abort())
    expect(log).toEqual(['0 outcome 0 aborted', '0 outcome 1 aborted', '0 emitted'])
  })
})
