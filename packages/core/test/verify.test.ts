import { describe, expect, it } from 'vitest'
import type { Outcome } from '../src/outcome.ts'
import { describeVerdict, verifyOutcomes } from '../src/verify.ts'

const ok = (digest: string): Outcome<{ digest: string }> => ({ ok: true, value: { digest } })
const timeout: Outcome<never> = { ok: false, failure: { kind: 'timeout' } }
const aborted: Outcome<never> = { ok: false, failure: { kind: 'aborted' } }
const expected = [ok('a'), ok('b'), ok('c'), timeout]

describe('verifyOutcomes', () => {
  it('accepts the exact answer and tallies it', () => {
    const verdict = verifyOutcomes(expected, [ok('a'), ok('b'), ok('c'), timeout])
    expect(verdict).toMatchObject({ ok: true, discrepancyCount: 0, tally: { ok: 3, timeout: 1 } })
  })

  it('lists missing, extra, wrong, out-of-order and duplicated answers', () => {
    const problems = (actual: unknown) =>
      verifyOutcomes(expected, actual).discrepancies.map((d) => `${d.index}:${d.problem}`)
    expect(problems([ok('a'), ok('b')])).toEqual(['2:missing', '3:missing'])
    expect(problems([ok('a'), ok('b'), ok('c'), timeout, ok('d')])).toEqual(['4:extra'])
    expect(problems([ok('a'), ok('x'), ok('c'), timeout])).toEqual(['1:wrong'])
    expect(problems([ok('b'), ok('a'), ok('c'), timeout])).toEqual([
      '0:out-of-order',
      '1:out-of-order',
    ])
    expect(problems([ok('a'), ok('a'), ok('c'), timeout])).toEqual(['1:duplicated'])
    expect(
      problems([ok('a'), ok('b'), ok('c'), { ok: false, failure: { kind: 'network', code: 'X' } }]),
    ).toEqual(['3:wrong'])
  })

  it('treats holes and junk as missing or malformed, never as answers', () => {
    // biome-ignore lint/suspicious/noSparseArray: the hole is the subject of this test
    const sparse = [ok('a'), , ok('c'), timeout]
    expect(verifyOutcomes(expected, sparse).discrepancies).toMatchObject([
      { index: 1, problem: 'missing' },
    ])
    expect(
      verifyOutcomes(expected, [ok('a'), { ok: 'yes' }, ok('c'), timeout]).discrepancies[0]
        ?.problem,
    ).toBe('malformed')
    expect(verifyOutcomes(expected, 'nope')).toMatchObject({
      ok: false,
      discrepancies: [{ problem: 'malformed' }],
    })
    expect(
      verifyOutcomes(expected, [
        ok('a'),
        { ok: false, failure: { kind: 'gremlins' } },
        ok('c'),
        timeout,
      ]).ok,
    ).toBe(false)
  })

  it('accepts aborted outcomes only when the run was aborted on purpose', () => {
    const actual = [ok('a'), aborted, aborted, timeout]
    expect(verifyOutcomes(expected, actual).ok).toBe(false)
    expect(verifyOutcomes(expected, actual, { allowAborted: true }).ok).toBe(true)
  })

  it('describes a verdict in one line', () => {
    expect(describeVerdict(verifyOutcomes(expected, [ok('a'), ok('x'), ok('c'), timeout]))).toBe(
      '1 of 4 outcomes wrong: #1 wrong, expected ok digest=b, got ok digest=x',
    )
  })
})
