import type { OkCell, Results } from '@arena/core'
import { parseResults } from '@arena/core/results'
import { describe, expect, it } from 'vitest'
import { codeLines, codeViews, markRoles } from '../src/code.ts'
import { compareRuns } from '../src/compare.ts'
import { renderPage } from '../src/page.ts'
import { ratioTone, significanceWording } from '../src/ratios.ts'
import { baselineChoices, tableRows } from '../src/rows.ts'
import { speedups } from '../src/speedups.ts'
import { verdicts } from '../src/verdicts.ts'
import { warnings } from '../src/warnings.ts'
import { fixture, withSequential } from './fixtures/results.ts'

const verdictOf = (results: Results, workload: string) => {
  const found = verdicts(results).find((v) => v.workload === workload)
  if (!found) throw new Error(`no verdict for ${workload}`)
  return found
}
const rowOf = (results: Results, cellId: string) => {
  const found = tableRows(results).find((r) => r.cellId === cellId)
  if (!found) throw new Error(`no row ${cellId}`)
  return found
}
const BETA_C64 = 'beta/default/fetch/c64-b1k-l0'
const NOTHING_DRAWN = { overviews: [], curves: [], robustness: [] }

describe('the fixture', () => {
  it('is a valid schema-2 results file', () => {
    expect(() => parseResults(fixture())).not.toThrow()
    expect(() => parseResults(withSequential())).not.toThrow()
  })
})

describe('verdicts', () => {
  it("take each workload's title and lesson from the file, in the file's order", () => {
    const results = fixture()
    results.workloads[0] = {
      ...(results.workloads[0] as Results['workloads'][number]),
      lesson: 'L',
    }
    expect(verdicts(results).map((v) => [v.workload, v.title, v.lesson])).toEqual(
      results.workloads.map((w) => [w.id, w.title, w.lesson]),
    )
  })

  it('quote the stored ratios of idiomatic variants against the baseline, never tuned ones', () => {
    const [native, line, ...rest] = verdictOf(fixture(), 'fetch').comparisons
    expect(rest).toEqual([])
    expect(native).toMatch(
      /^alpha, native client \(alpha\/native\): slower at 1 of 1 point; widest 0\.20×/,
    )
    expect(line).toMatch(
      /^beta \(beta\/default\): slower at 8 of 8 points; widest 0\.26× \[\d\.\d\d–\d\.\d\d\] at /,
    )
    // beta/tuned is 2× faster than alpha, but tuned variants do not take part in the verdict.
    expect(`${native}${line}`).not.toMatch(/tuned/)
  })

  it('read the figures the file stores rather than computing their own', () => {
    const results = fixture()
    const stored = results.derived.cells[BETA_C64]
    if (!stored?.ratio) throw new Error('fixture changed')
    stored.ratio = { ...stored.ratio, value: 5, ci: [4.5, 5.5], significant: true }
    expect(verdictOf(results, 'fetch').comparisons[1]).toMatch(
      /faster at 1, slower at 7 of 8 points; widest 5\.00× \[4\.50–5\.50\] at 1,000 × 1 KiB, 0 ms latency, concurrency 64\.$/,
    )
  })

  it('call a tie a tie, and do not compare a baseline whose rival failed', () => {
    expect(verdictOf(fixture(), 'hash').comparisons).toEqual([
      'beta (beta/default): no significant difference at 9 of 9 points.',
    ])
    const results = fixture()
    results.cells = results.cells.filter(
      (c) => c.workload !== 'scanPort' || c.implementation !== 'beta' || c.status === 'failed',
    )
    const scan = verdictOf(results, 'scanPort')
    expect(scan.comparisons).toEqual([
      'Only the baseline alpha/default has verified results here; nothing to compare.',
    ])
    expect(scan.failed).toBe(1)
  })

  it('say so when the baseline has no verified cell, and still list an undescribed workload', () => {
    const results = fixture()
    results.baseline = 'gamma/default'
    results.workloads = results.workloads.filter((w) => w.id !== 'pipeline')
    expect(verdictOf(results, 'fetch').comparisons).toEqual([
      'The baseline gamma/default has no verified result here, so there are no ratios to quote.',
    ])
    expect(verdictOf(results, 'pipeline')).toMatchObject({ title: 'pipeline', lesson: '' })
  })
})

describe('table rows', () => {
  it('use the stored ratio against the run baseline and core’s ratio against any other', () => {
    const results = fixture()
    const beta = rowOf(results, BETA_C64)
    expect(beta.ratios['alpha/default']).toMatchObject({ significant: true, tone: 'slower-4' })
    expect(beta.ratios['alpha/default']?.value).toBeCloseTo(0.5, 5)
    expect(beta.ratios['beta/default']).toMatchObject({
      value: 1,
      significant: false,
      tone: 'same',
    })
    expect(beta.ratios['beta/tuned']?.value).toBeCloseTo(0.25, 5)
    const stored = results.derived.cells[BETA_C64]
    if (!stored?.ratio) throw new Error('fixture changed')
    stored.ratio = { ...stored.ratio, value: 0.7, ci: [0.6, 0.8] }
    expect(rowOf(results, BETA_C64).ratios['alpha/default']?.text).toBe('0.70× [0.60–0.80]')
  })

  it('show the stored share of a verified ceiling and none of an unverified one', () => {
    const results = fixture()
    expect(rowOf(results, 'alpha/default/fetch/c64-b1k-l0').percentOfCeiling).toBeCloseTo(50, 5)
    expect(rowOf(results, 'alpha/default/fetch/c64-b64k-l5').percentOfCeiling).toBeUndefined()
    expect(rowOf(results, 'alpha/default/scanPort/r1024-c100').percentOfCeiling).toBeUndefined()
    const stored = results.derived.cells['alpha/default/fetch/c64-b1k-l0']
    if (!stored) throw new Error('fixture changed')
    stored.percentOfCeiling = 12
    expect(rowOf(results, 'alpha/default/fetch/c64-b1k-l0').percentOfCeiling).toBe(12)
  })

  it('show a failed cell with its reason and no figure, and a one-run cell with no interval', () => {
    const results = fixture()
    const failed = rowOf(results, 'beta/default/scanPort/r1024-c100')
    expect(failed).toMatchObject({ status: 'failed', ratios: {} })
    expect(failed.failure).toMatch(/^wrong-answer: 3 of 1024 outcomes wrong/)
    expect(failed.itemsPerSecond).toBeUndefined()
    const robust = rowOf(results, 'alpha/default/fetch/faults-status-10')
    expect(robust).toMatchObject({ n: 1, ratios: {}, outcomes: 'ok 180 · http-status 20' })
    expect(robust.ciItemsPerSecond).toBeUndefined()
    const speed = results.cells.find((c) => c.id === BETA_C64) as OkCell
    speed.stats = { ...speed.stats, n: 1 }
    expect(rowOf(results, BETA_C64).ciItemsPerSecond).toBeUndefined()
    expect(baselineChoices(results)).toEqual([
      'alpha/default',
      'alpha/native',
      'beta/default',
      'beta/tuned',
    ])
  })

  it('print sizes and counts with core’s formatter and no interval for a single run', () => {
    const page = renderPage(fixture(), NOTHING_DRAWN)
    expect(page).toContain('>100 MiB<')
    expect(page).toContain('<dd>16 GiB</dd>')
    const robustness = page.slice(page.indexOf('id="tables-robustness"'), page.indexOf('id="code"'))
    expect(robustness).toContain('ok 180 · http-status 20')
    expect(robustness).not.toMatch(/±|n=1\b|\d–\d/)
    expect(page).toContain(
      'Ceiling c64-b64k-l5: 9,000 pages/s by default, unverified, so no share of it is given',
    )
  })
})

describe('speed-up over no concurrency', () => {
  it('takes the variant that declares concurrency 1 and parallelism 0 as the reference, per point', () => {
    const view = speedups(withSequential())
    expect(view?.reference).toBe('seq/default')
    const fetch = view?.workloads.find((w) => w.workload === 'fetch')
    expect(fetch?.title).toBe('I/O-bound fetch')
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
    expect(view?.workloads.map((w) => w.workload)).toEqual(['fetch'])
  })

  it('is absent when no such variant ran, even if one is declared', () => {
    expect(speedups(fixture())).toBeUndefined()
    const declared = withSequential()
    declared.cells = declared.cells.filter((c) => c.implementation !== 'seq')
    expect(speedups(declared)).toBeUndefined()
    expect(renderPage(declared, NOTHING_DRAWN)).not.toContain('id="speedups"')
  })

  it('is rendered as a table per workload, coloured like the ratios', () => {
    const page = renderPage(withSequential(), NOTHING_DRAWN)
    const section = page.slice(page.indexOf('id="speedups"'), page.indexOf('id="tables-speed"'))
    expect(section).toMatch(/<td class="num tone-faster-5">▲ 10\.00× \[/)
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
})

describe('comparing runs, warnings and code', () => {
  it('reports a change only where the interval excludes 1, for speed cells verified in both', () => {
    const before = fixture()
    const after = fixture()
    const slower = after.cells.find((c) => c.id === 'alpha/default/fetch/c64-b1k-l0')
    if (!slower) throw new Error('fixture changed')
    slower.samples = slower.samples.map((s) => ({ ...s, wallMs: s.wallMs * 2 }))
    const rows = compareRuns(after, before)
    expect(rows.find((r) => r.cellId === slower.id)?.wording).toMatch(/^2\.00× slower/)
    expect(rows.find((r) => r.cellId === BETA_C64)?.wording).toMatch(/^no significant difference/)
    expect(rows.map((r) => r.cellId)).not.toContain('beta/default/scanPort/r1024-c100')
    expect(rows.map((r) => r.cellId)).not.toContain('alpha/default/fetch/faults-status-10')
  })

  it('warns about fewer cores than workers, failed cells, too few runs, unverified ceilings, and says what A/A found', () => {
    const results = fixture()
    expect(warnings(results)).toEqual([
      '2 cell(s) failed; they are shown with their reason and never as a speed.',
      '1 ceiling(s) were measured but not verified; they are shown as such and no share of them is given.',
    ])
    const one = results.cells.find((c) => c.id === BETA_C64) as OkCell
    one.stats = { ...one.stats, n: 2 }
    expect(warnings(results)[1]).toBe(
      '1 speed cell(s) rest on fewer than 3 runs: their intervals, and any "significant" resting on them, are a hint, not a finding.',
    )
    results.environment.cores = 1
    expect(warnings(results)[0]).toMatch(/taken on 1 cores, fewer than the 2 worker threads/)
    results.derived.aa = { pairs: 20, significant: 1, ratios: {} }
    expect(warnings(results).at(-1)).toMatch(
      /^A\/A run: 1 of 20 twin cell\(s\).* differ significantly/,
    )
  })

  it('counts code lines without blanks, comments and imports, for contestants that ran', () => {
    expect(codeLines('// a\n/* b\n c */\nconst x = 1\n\n  return x // y\n')).toBe(2)
    expect(
      codeLines(
        "import a from 'a'\nimport {\n  b,\n  c,\n} from 'b'\nimport 'side'\nimport type { D } from 'd'\nconst x = 1\n",
      ),
    ).toBe(1)
    const fetch = codeViews(fixture()).find((v) => v.workload.id === 'fetch')
    expect(fetch?.workload.sourceFile).toBe('fetch.ts')
    expect(fetch?.entries.map((e) => [e.implementation, e.lines])).toEqual([
      ['alpha', 6],
      ['beta', 3],
    ])
  })

  it('marks code lines with the roles their keywords give them, never comments or imports', () => {
    const fetch = codeViews(fixture()).find((v) => v.workload.id === 'fetch')
    const roles = (impl: string) =>
      fetch?.entries
        .find((e) => e.implementation === impl)
        ?.marked.filter((l) => l.roles.length > 0)
        .map((l) => [l.number, l.roles.join(' ')])
    expect(roles('alpha')).toEqual([
      [7, 'limit deadline cancellation'],
      [8, 'limit'],
      [9, 'deadline cancellation'],
      [10, 'cancellation'],
    ])
    expect(roles('beta')).toEqual([[3, 'limit deadline']])
    expect(markRoles('// a timeout comment\nnew Worker(url)\n').map((l) => l.roles)).toEqual([
      [],
      ['workers'],
    ])
  })
})
