import { describe, expect, it } from 'vitest'
import { defineImplementation, effectiveLimits, isSequential } from '../src/implementation.ts'
import { failureOf, HttpStatusError, WorkerCrashedError } from '../src/outcome.ts'

describe('failureOf', () => {
  it('classifies every kind of thrown error', () => {
    expect(failureOf(new HttpStatusError(503))).toMatchObject({ kind: 'http-status', status: 503 })
    expect(failureOf(new DOMException('t', 'TimeoutError'))).toEqual({ kind: 'timeout' })
    expect(failureOf(new DOMException('a', 'AbortError'))).toEqual({ kind: 'aborted' })
    expect(failureOf(new WorkerCrashedError('boom'))).toMatchObject({ kind: 'worker-crashed' })
    expect(failureOf(Object.assign(new Error('reset'), { code: 'ECONNRESET' }))).toMatchObject({
      kind: 'network',
      code: 'ECONNRESET',
    })
    expect(
      failureOf(
        new Error('wrapped', { cause: Object.assign(new Error('x'), { code: 'UND_ERR_SOCKET' }) }),
      ),
    ).toMatchObject({
      code: 'UND_ERR_SOCKET',
    })
  })

  it('lets an aborted signal decide why, whatever the client threw', () => {
    expect(
      failureOf(
        new Error('socket hang up'),
        AbortSignal.abort(new DOMException('t', 'TimeoutError')),
      ),
    ).toEqual({ kind: 'timeout' })
    expect(failureOf(new Error('socket hang up'), AbortSignal.abort())).toEqual({ kind: 'aborted' })
    expect(failureOf(new HttpStatusError(500), new AbortController().signal)).toMatchObject({
      kind: 'http-status',
    })
  })
})

describe('defineImplementation', () => {
  const fn = async () => []
  const base = { id: 'demo', title: 'Demo', style: 'A style.' }
  it('says which workload the default variant still lacks', () => {
    expect(() =>
      defineImplementation({
        ...base,
        variants: [
          {
            id: 'default',
            title: 'd',
            kind: 'idiomatic',
            description: '',
            workloads: { fetch: fn },
          },
        ],
      }),
    ).toThrow(
      'Expected the default variant to implement every workload; write hash, scanPort, pipeline',
    )
  })

  it('rejects bad ids, duplicate variants and unknown workloads', () => {
    const all = { fetch: fn, hash: fn, scanPort: fn, pipeline: fn }
    const variant = {
      id: 'default',
      title: 'd',
      kind: 'idiomatic',
      description: '',
      workloads: all,
    } as const
    expect(() => defineImplementation({ ...base, id: 'Bad Id', variants: [variant] })).toThrow(
      /kebab-case/,
    )
    expect(() => defineImplementation({ ...base, variants: [variant, variant] })).toThrow(/unique/)
    expect(() =>
      defineImplementation({
        ...base,
        variants: [{ ...variant, workloads: { ...all, sort: fn } as never }],
      }),
    ).toThrow(/"fetch", "hash", "scanPort", "pipeline"/)
    expect(defineImplementation({ ...base, variants: [variant] }).id).toBe('demo')
  })

  it('accepts declared limits and names a bad one', () => {
    const all = { fetch: fn, hash: fn, scanPort: fn, pipeline: fn }
    const variant = {
      id: 'default',
      title: 'd',
      kind: 'idiomatic',
      description: '',
      workloads: all,
    } as const
    const limits = { concurrency: 1, parallelism: 0 }
    expect(
      defineImplementation({ ...base, variants: [{ ...variant, limits }] }).variants[0].limits,
    ).toEqual(limits)
    expect(() =>
      defineImplementation({ ...base, variants: [{ ...variant, limits: { concurrency: 0 } }] }),
    ).toThrow('Expected variants[0].limits.concurrency to be an integer from 1 and up, got 0')
    expect(() =>
      defineImplementation({
        ...base,
        variants: [{ ...variant, limits: { threads: 2 } as never }],
      }),
    ).toThrow(/a key of variants\[0\]\.limits.*"concurrency", "parallelism"/)
  })
})

describe('effectiveLimits and isSequential', () => {
  it('caps the asked figures at the declared ones, and only there', () => {
    expect(effectiveLimits(undefined, { concurrency: 64, parallelism: 2 })).toEqual({
      concurrency: 64,
      parallelism: 2,
    })
    expect(
      effectiveLimits({ concurrency: 1, parallelism: 0 }, { concurrency: 64, parallelism: 2 }),
    ).toEqual({ concurrency: 1, parallelism: 0 })
    expect(effectiveLimits({ concurrency: 8 }, { concurrency: 4, parallelism: 2 })).toEqual({
      concurrency: 4,
      parallelism: 2,
    })
    expect(isSequential({ concurrency: 1, parallelism: 0 })).toBe(true)
    expect(isSequential({ concurrency: 1 })).toBe(false)
    expect(isSequential(undefined)).toBe(false)
  })
})
