import { getEventListeners } from 'node:events'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { DEADLINE_EXCEEDED, deadline, disposableDeadline } from '../src/deadline.ts'
import { failureOf } from '../src/outcome.ts'

const timers = () => process.getActiveResourcesInfo().filter((type) => type === 'Timeout').length

afterEach(() => {
  vi.useRealTimers()
})

describe('disposableDeadline', () => {
  it('aborts after timeoutMs with the one prebuilt TimeoutError, which classifies as a timeout', () => {
    vi.useFakeTimers()
    const limit = disposableDeadline(100)
    vi.advanceTimersByTime(99)
    expect(limit.aborted).toBe(false)
    vi.advanceTimersByTime(1)
    expect(limit.aborted).toBe(true)
    expect(limit.reason).toBe(DEADLINE_EXCEEDED)
    expect(failureOf(new Error('whatever the client threw'), limit)).toEqual({ kind: 'timeout' })
    expect(disposableDeadline(1, undefined)).not.toBe(limit)
  })

  it('leaves no timer and never aborts once disposed', () => {
    const before = timers()
    const outer = new AbortController()
    const limits = Array.from({ length: 100 }, () => disposableDeadline(50, outer.signal))
    expect(timers()).toBe(before + 100)
    for (const limit of limits) limit[Symbol.dispose]()
    expect(timers()).toBe(before)
    outer.abort()
    expect(limits.some((limit) => limit.aborted)).toBe(false)
  })

  it('is disposed by `using` at the end of its block', () => {
    vi.useFakeTimers()
    let kept: AbortSignal | undefined
    {
      using limit = disposableDeadline(100)
      kept = limit
    }
    vi.advanceTimersByTime(1000)
    expect(kept.aborted).toBe(false)
  })

  it('follows the outer signal with its reason, and clears its timer then', () => {
    const before = timers()
    const outer = new AbortController()
    const limit = disposableDeadline(10_000, outer.signal)
    const reason = new Error('run aborted')
    outer.abort(reason)
    expect(limit.aborted).toBe(true)
    expect(limit.reason).toBe(reason)
    expect(timers()).toBe(before)
    const late = disposableDeadline(10_000, outer.signal)
    expect(late.aborted && late.reason === reason).toBe(true)
    late[Symbol.dispose]()
  })

  it('puts one listener on an outer signal however many deadlines follow it, none once they are gone', () => {
    const outer = new AbortController()
    const listeners = () => getEventListeners(outer.signal, 'abort').length
    const limits = Array.from({ length: 500 }, () => disposableDeadline(10_000, outer.signal))
    expect(listeners()).toBe(1)
    for (const limit of limits.slice(0, 499)) limit[Symbol.dispose]()
    expect(listeners()).toBe(1)
    limits[499]?.[Symbol.dispose]()
    expect(listeners()).toBe(0)
    // Disposed twice, or after the listener went: nothing breaks, and the next one follows again.
    limits[0]?.[Symbol.dispose]()
    const next = disposableDeadline(10_000, outer.signal)
    limits[1]?.[Symbol.dispose]()
    expect(listeners()).toBe(1)
    outer.abort()
    expect(next.aborted).toBe(true)
    next[Symbol.dispose]()
  })

  it('refuses a timeout that is not a whole number of milliseconds in range', () => {
    for (const bad of [-1, 1.5, Number.NaN, 3_600_001, '10' as unknown as number]) {
      expect(() => disposableDeadline(bad)).toThrow(TypeError)
    }
  })
})

describe('deadline (the AbortSignal.timeout + AbortSignal.any idiom)', () => {
  it('aborts with a TimeoutError after timeoutMs, or with the outer signal’s reason first', async () => {
    const limit = deadline(20, undefined)
    await new Promise((resolve) => limit.addEventListener('abort', resolve))
    expect(failureOf(undefined, limit)).toEqual({ kind: 'timeout' })
    const outer = new AbortController()
    const joined = deadline(10_000, outer.signal)
    outer.abort(new Error('stop'))
    expect(joined.reason).toEqual(new Error('stop'))
  })
})
