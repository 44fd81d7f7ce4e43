import { abortedFailure, failed, success } from '@arena/core'
import { map, type Observable, timeout, timer } from 'rxjs'
import { TestScheduler } from 'rxjs/testing'
import { describe, expect, it } from 'vitest'
import { inInputOrder, mapOutcomes } from '../src/outcomes.ts'

const testScheduler = () =>
  new TestScheduler((actual, expected) => expect(actual).toEqual(expected))

describe('mapOutcomes + inInputOrder', () => {
  it('places each outcome at its input position, whatever order they finish in', () => {
    testScheduler().run(({ expectObservable }) => {
      const run = mapOutcomes([30, 10, 20], 3, (ms) => timer(ms).pipe(map(() => ms)))
      expectObservable(run.pipe(inInputOrder(3, undefined))).toBe('30ms (a|)', {
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
      expectObservable(run.pipe(inInputOrder(3, undefined))).toBe('20ms (a|)', {
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
      expectObservable(run.pipe(inInputOrder(3, controller.signal))).toBe('15ms (a|)', {
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
      expectObservable(run.pipe(inInputOrder(2, AbortSignal.abort()))).toBe('(a|)', {
        a: [failed(abortedFailure), failed(abortedFailure)],
      })
      for (const item of items) expectSubscriptions(item.subscriptions).toBe([])
    })
  })
})
