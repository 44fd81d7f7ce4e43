import { parseResults } from '@arena/core'
import { describe, expect, it } from 'vitest'
import { renderPage } from '../src/page.ts'
import {
  baselineChoices,
  codeLines,
  compareRuns,
  lessonFor,
  ratioTone,
  significanceWording,
  speedups,
  tableRows,
  verdictFor,
  warnings,
} from '../src/view-model.ts'
import { fixture, withSequential } from './fixtures/results.ts'

describe('the fixture', () => {
  it('is a valid results file', () => {
    expect(() => parseResults(fixture())).not.toThrow()
  })
})

describe('verdict rules', () => {
  it('names the winning style, its margin with an interval and the point, from idiomatic variants only', () => {
    const v = verdictFor(fixture(), 'fetch')
    expect(v.winner).toBe('Alpha style')
    expect(v.text).toMatch(
      /^Alpha style wins 2 of 2 point\(s\); widest at point c64-b1k-l0: 2\.00× \[\d\.\d\d–\d\.\d\d\] over beta\/default\.$/,
    )
    // beta/tuned is 2× faster than alpha, but tuned variants do not take part in the verdict.
    expect(v.text).not.toMatch(/tuned/)
  })

  it('calls a tie a tie', () => {
    expect(verdictFor(fixture(), 'hash')).toMatchObject({
      text: 'No significant difference between the styles at any of 2 point(s).',
    })
    expect(verdictFor(fixture(), 'hash').winner).toBeUndefined()
  })

  it('does not crown a style whose rival failed', () => {
    expect(verdictFor(fixture(), 'scanPort').text).toBe(
      'Only Alpha style has verified results; nothing to compare.',
    )
  })

  it('derives the lesson from the numbers', () => {
    expect(lessonFor(fixture(), 'hash')).toMatch(
      /a pool of 2 workers runs 4\.00× the event loop's throughput on 2 cores; .*loop delay p99 250\.0 ms, against 2\.0 ms/,
    )
    expect(lessonFor(fixture(), 'fetch')).toMatch(/from 1 to 64 multiplies throughput by 40\.00×/)
  })
})

describe('speed-up over no concurrency', () => {
  it('takes the variant that declares concurrency 1 and parallelism 0 as the reference, per point', () => {
    const view = speedups(withSequential())
    expect(view?.reference).toBe('seq/default')
    const fetch = view?.workloads.find((w) => w.workload === 'fetch')
    expect(fetch?.points.map((p) => p.id)).toEqual(['c64-b1k-l0', 'c1-b1k-l0'])
    const alpha = fetch?.rows.find((r) => r.variantKey === 'alpha/default')
    expect(alpha?.ratios['c64-b1k-l0']?.value).toBeCloseTo(10, 5)
    expect(alpha?.ratios['c64-b1k-l0']?.significant).toBe(true)
    // Same walls as the reference at concurrency 1: no significant difference.
    expect(alpha?.ratios['c1-b1k-l0']).toMatchObject({ value: 1, significant: false })
    // The tuned variant ran only c64; the reference is not its own row.
    expect(
      fetch?.rows.find((r) => r.variantKey === 'beta/tuned')?.ratios['c1-b1k-l0'],
    ).toBeUndefined()
    expect(fetch?.rows.some((r) => r.variantKey === 'seq/default')).toBe(false)
    // Workloads the reference did not run have no table.
    expect(view?.workloads.map((w) => w.workload)).toEqual(['fetch'])
  })

  it('is absent when no variant declares no concurrency', () => {
    expect(speedups(fixture())).toBeUndefined()
    expect(renderPage(fixture(), [])).not.toContain('id="speedups"')
  })

  it('is rendered as a table per workload, coloured like the ratios', () => {
    const page = renderPage(withSequential(), [])
    const section = page.slice(page.indexOf('id="speedups"'), page.indexOf('id="tables-speed"'))
    expect(section).toMatch(/<td class="num tone-faster-5">10\.00× \[/)
    expect(section).toMatch(/<td class="num tone-same">1\.00× .*\(n\.s\.\)<\/td>/)
  })
})

describe('ratio colouring and wording', () => {
  it('colours by direction and size, and not at all when not significant', () => {
    expect(ratioTone(1.5, false)).toBe('same')
    expect(ratioTone(1.05, true)).toBe('faster-1')
    expect(ratioTone(3, true)).toBe('faster-5')
    expect(ratioTone(10, true)).toBe('faster-5')
    expect(ratioTone(0.5, true)).toBe('slower-4')
    expect(ratioTone(0.9, true)).toBe('slower-1')
  })

  it('words significance plainly', () => {
    expect(significanceWording(1.25, 1.1, 1.4, true)).toBe('1.25× faster (95% CI 1.10–1.40)')
    expect(significanceWording(0.5, 0.4, 0.625, true)).toBe('2.00× slower (95% CI 1.60–2.50)')
    expect(significanceWording(1.01, 0.97, 1.05, false)).toBe(
      'no significant difference (1.01× [0.97–1.05] (n.s.))',
    )
  })

  it('computes each row against every baseline on the same point, and shows a failed cell as failed', () => {
    const rows = tableRows(fixture())
    const beta = rows.find((r) => r.cellId === 'beta/default/fetch/c64-b1k-l0')
    expect(beta?.ratios['alpha/default']).toMatchObject({ significant: true, tone: 'slower-4' })
    expect(beta?.ratios['alpha/default']?.value).toBeCloseTo(0.5, 5)
    expect(beta?.ratios['beta/default']).toMatchObject({
      value: 1,
      significant: false,
      tone: 'same',
    })
    const failed = rows.find((r) => r.cellId === 'beta/default/scanPort/r1024-c100')
    expect(failed).toMatchObject({ status: 'failed', ratios: {} })
    expect(failed?.itemsPerSecond).toBeUndefined()
    expect(baselineChoices(fixture())).toEqual(['alpha/default', 'beta/default', 'beta/tuned'])
  })
})

describe('comparing runs and warnings', () => {
  it('reports a change only where the interval excludes 1', () => {
    const before = fixture()
    const after = fixture()
    const slower = after.cells.find((c) => c.id === 'alpha/default/fetch/c64-b1k-l0')
    if (!slower) throw new Error('fixture changed')
    slower.samples = slower.samples.map((s) => ({ ...s, wallMs: s.wallMs * 2 }))
    const rows = compareRuns(after, before)
    expect(rows.find((r) => r.cellId === slower.id)?.wording).toMatch(/^2\.00× slower/)
    expect(rows.find((r) => r.cellId === 'beta/default/fetch/c64-b1k-l0')?.wording).toMatch(
      /^no significant difference/,
    )
    expect(
      rows.some((r) => r.cellId.includes('scanPort/r1024-c100') && r.cellId.startsWith('beta')),
    ).toBe(false)
  })

  it('warns about fewer cores than workers asked for, and about failed cells', () => {
    const results = fixture()
    expect(warnings(results)).toEqual([
      '1 cell(s) failed; they are shown with their reason and never as a speed.',
    ])
    results.environment.cores = 1
    expect(warnings(results)[0]).toMatch(/taken on 1 cores, fewer than the 2 worker threads/)
  })

  it('counts code lines without blanks and comments', () => {
    expect(codeLines('// a\n/* b\n c */\nconst x = 1\n\n  return x // y\n')).toBe(2)
  })
})
