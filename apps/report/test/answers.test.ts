import type { OkCell, Results } from '@arena/core'
import { describe, expect, it } from 'vitest'
import { answers } from '../src/answers.ts'
import { centralPoint, variantNames } from '../src/central.ts'
import { overviewData } from '../src/overview-chart.ts'
import { fixture, withSequential } from './fixtures/results.ts'

const answerOf = (results: Results, workload: string) => {
  const found = answers(results).find((a) => a.workload === workload)
  if (!found) throw new Error(`no answer for ${workload}`)
  return found
}

describe('the central point of a workload', () => {
  it('is where the most variants were verified, then the most work at once', () => {
    const results = fixture()
    expect(results.workloads.map((w) => [w.id, centralPoint(results, w.id)?.point.id])).toEqual([
      // Four variants ran 1 KiB at 64, two anywhere else.
      ['fetch', 'c64-b1k-l0'],
      // Two everywhere: the most workers, then the largest items.
      ['hash', 'p2-s1m'],
      // beta failed 1–1024 at 100; the full range, then the highest concurrency.
      ['scanPort', 'r65535-c2000'],
      ['pipeline', 'c64-p2-b64k'],
    ])
    expect(centralPoint(results, 'fetch')?.cells.map((c) => c.variant)).toEqual([
      'tuned',
      'default',
      'default',
      'native',
    ])
  })

  it('names variants by title, tuned ones marked, and by key where two titles read the same', () => {
    const results = fixture()
    const beta = results.contestants.find((c) => c.id === 'beta')
    if (!beta?.variants[0]) throw new Error('fixture changed')
    beta.variants[0].title = 'alpha'
    const names = variantNames(results)
    expect(names.get('alpha/default')).toBe('alpha [alpha/default]')
    expect(names.get('beta/default')).toBe('alpha [beta/default]')
    expect(names.get('beta/tuned')).toBe('beta tuned (tuned)')
  })

  it('charts every variant there, fastest first, with its interval and the verified ceiling', () => {
    const results = fixture()
    const fetch = overviewData(results).find((d) => d.workload === 'fetch')
    expect(fetch?.rows.map((r) => [r.label, r.kind, r.text])).toEqual([
      ['beta tuned (tuned)', 'tuned', '40,000'],
      ['alpha', 'idiomatic', '20,000'],
      ['beta', 'idiomatic', '10,000'],
      ['alpha, native client', 'idiomatic', '4,000'],
    ])
    const alpha = results.cells.find((c) => c.id === 'alpha/default/fetch/c64-b1k-l0') as OkCell
    expect(fetch?.rows[1]).toMatchObject({
      low: alpha.stats.ciItemsPerSecond[0],
      high: alpha.stats.ciItemsPerSecond[1],
    })
    expect(fetch?.ceiling).toEqual({ y: 40_000, label: 'ceiling (default) 40,000' })
    // No verified ceiling at the pipeline's central point: none drawn.
    expect(overviewData(results).find((d) => d.workload === 'pipeline')?.ceiling).toBeUndefined()
  })
})

describe('the answer for each kind of work', () => {
  it('names concurrency for fetch, then the variant, above the models, and never recommends a tuned variant', () => {
    const a = answerOf(fixture(), 'fetch')
    expect(a.factor).toBe('concurrency')
    // beta tuned is twice alpha, but tuned code is measured against, not recommended.
    expect(a.use).toBe('Use alpha, at least 16 in flight.')
    expect(a.why).toMatch(
      /^What matters most is concurrency: from 1 to 64 in flight alpha gains 20\.00× \[\d+\.\d\d–\d+\.\d\d\], reaching 95% of its best at 16 \[16–64\]; then the variant: alpha, native client runs at 0\.20× \[0\.\d\d–0\.\d\d\] of alpha; while the 2 models' default variants differ by up to 2\.0×; the best reaches 50% of the ceiling \(default\)\./,
    )
    expect(a.why).toMatch(/It costs [\d,.]+ µs of CPU per page/)
    expect(a.sure).toMatch(
      /^Runner-up: beta at 0\.50× \[0\.\d\d–0\.\d\d\], significant \(95% intervals, 7 runs each\)\.$/,
    )
  })

  it('names workers for hash with the stored break-even, and calls the models a tie', () => {
    const a = answerOf(fixture(), 'hash')
    expect(a.factor).toBe('workers')
    expect(a.use).toBe('Use any of alpha or beta, on 2 worker threads.')
    expect(a.why).toMatch(
      /^What matters most is workers: 2 worker threads run 4\.00× \[.*\] the event loop at 1 MiB \(alpha\); a pool pays from 64 KiB warm and from 1 MiB cold; while the 2 models' default variants differ by less than 1%; the best reaches 83% of the ceiling \(default\)\./,
    )
    expect(a.sure).toMatch(/^Tie: beta at 1\.00× \[.*\] of alpha, not significant/)
  })

  it('quotes the break-even the file stores, not one of its own', () => {
    const results = fixture()
    for (const b of results.derived.breakEven)
      if (b.variant === 'alpha/default' && b.workers === 2 && b.mode === 'cold') delete b.bytes
    expect(answerOf(results, 'hash').why).toMatch(/a pool pays from 64 KiB warm and never cold;/)
  })

  it('says the model barely matters where nothing else was swept and the models are close', () => {
    const results = fixture()
    results.cells = results.cells.filter(
      (c) => c.workload !== 'scanPort' || c.point.id === 'r65535-c2000',
    )
    const a = answerOf(results, 'scanPort')
    expect(a.factor).toBe('model')
    expect(a.why).toMatch(
      /^The model barely matters here: the 2 models' default variants differ by up to 4%; the best reaches 97% of the ceiling \(nmap\)\./,
    )
  })

  it('measures against the no-concurrency reference when nothing was swept, never recommending it', () => {
    const results = withSequential()
    results.cells = results.cells.filter(
      (c) => c.workload !== 'fetch' || c.point.id === 'c64-b1k-l0',
    )
    const a = answerOf(results, 'fetch')
    expect(a.use).toBe('Use alpha.')
    expect(a.factor).toBe('reference')
    expect(a.why).toMatch(
      /^What matters most is doing one thing at a time: alpha runs 10\.00× \[.*\] sequential;/,
    )
  })

  it('still quotes the no-concurrency reference when it is close, as the before picture', () => {
    const results = withSequential()
    results.cells = results.cells.filter(
      (c) => c.workload !== 'fetch' || c.point.id === 'c64-b1k-l0' || c.implementation === 'seq',
    )
    // The reference ran c64 in 500 ms, alpha in 50: make it nearly as fast (55.6 ms).
    const seq = results.cells.find((c) => c.id === 'seq/default/fetch/c64-b1k-l0') as OkCell
    seq.samples = seq.samples.map((s) => ({ ...s, wallMs: s.wallMs / 9 }))
    const a = answerOf(results, 'fetch')
    expect(a.factor).toBe('variant')
    expect(a.why).toMatch(/; doing one thing at a time: alpha runs 1\.11× \[.*\] sequential;/)
  })

  it('cautions when the figures rest on fewer than three runs', () => {
    const results = fixture()
    for (const c of results.cells)
      if (c.status === 'ok' && c.point.id === 'p2-s1m') c.stats = { ...c.stats, n: 2 }
    expect(answerOf(results, 'hash').sure).toMatch(
      /\(95% intervals, 2 runs each\)\. Only 2 runs: a hint, not a finding\.$/,
    )
    expect(answerOf(fixture(), 'hash').sure).not.toMatch(/hint/)
  })

  it('says so when a workload has no verified speed result', () => {
    const results = fixture()
    results.cells = results.cells.filter((c) => c.workload !== 'pipeline')
    expect(answerOf(results, 'pipeline')).toMatchObject({
      use: 'No verified speed result in this run.',
      why: '',
      sure: '',
    })
  })
})
