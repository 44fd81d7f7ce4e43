import { describe, expect, it } from 'vitest'
import { cellStats, deriveFigures } from '../src/derive.ts'
import { bytesId, formatBytes, formatCompact, formatNumber } from '../src/format.ts'
import type { Ceiling, Cell, Point, Sample } from '../src/results.ts'

const point: Point = {
  id: 'c4-b1k-l0',
  label: 'x',
  concurrency: 4,
  parallelism: 0,
  timeoutMs: 1000,
  items: 100,
  bytes: 1024,
  latencyMs: 0,
}

const sample = (wallMs: number, round = 0): Sample => ({
  round,
  wallMs,
  startupMs: 2,
  coldWallMs: wallMs + 5,
  coldItems: 100,
  itemsPerSecond: 100 / (wallMs / 1000),
  megabytesPerSecond: 0.1,
  cpuUserMs: 5,
  cpuSystemMs: 1,
  peakRssBytes: 1e8,
  loopDelayP99Ms: 1,
  loopDelayMaxMs: 2,
  loopUtilization: 0.5,
  gcMs: 0,
  verdict: { ok: true, items: 100, discrepancyCount: 0, tally: { ok: 100 }, summary: 'ok' },
})

const ok = (variant: string, walls: number[], section: 'speed' | 'robustness' = 'speed'): Cell => {
  const samples = walls.map((w, i) => sample(w, i))
  return {
    id: `x/${variant}/fetch/${point.id}`,
    implementation: 'x',
    variant,
    workload: 'fetch',
    section,
    point,
    status: 'ok',
    stats: cellStats(samples, 1),
    samples,
    failedRuns: [],
  }
}

const ceiling = (verified: boolean, itemsPerSecond = 20_000): Ceiling => ({
  workload: 'fetch',
  pointId: point.id,
  tool: 'ceiling/default',
  available: true,
  verified,
  itemsPerSecond,
  note: '',
})

describe('derived figures', () => {
  it('summarise samples with start-up and the cold call apart from the warm figure', () => {
    const stats = cellStats([sample(10), sample(12), sample(11)], 1)
    expect(stats.medianWallMs).toBe(11)
    expect(stats.medianStartupMs).toBe(2)
    expect(stats.medianColdWallMs).toBe(16)
    expect(stats.ciWallMs[0]).toBeLessThanOrEqual(11)
    expect(stats.ciWallMs[1]).toBeGreaterThanOrEqual(11)
  })

  it('take ratios against the baseline on the same point, and shares of a verified ceiling only', () => {
    const base = ok('default', [10, 10.1, 9.9])
    const fast = ok('fast', [5, 5.1, 4.9])
    const facts = { cells: [base, fast], baseline: 'x/default', seed: 1 }
    const verified = deriveFigures({ ...facts, ceilings: [ceiling(true)] })
    expect(verified.cells[fast.id]?.ratio?.value).toBeCloseTo(2, 1)
    expect(verified.cells[fast.id]?.ratio?.significant).toBe(true)
    expect(verified.cells[base.id]?.ratio?.value).toBe(1)
    expect(verified.cells[fast.id]?.percentOfCeiling).toBeCloseTo(100, 0)
    const unverified = deriveFigures({ ...facts, ceilings: [ceiling(false)] })
    expect(unverified.cells[fast.id]?.percentOfCeiling).toBeUndefined()
  })

  it('give a robustness cell neither a ratio nor a share of the ceiling', () => {
    const robust = { ...ok('default', [10]), section: 'robustness' as const }
    const figures = deriveFigures({
      cells: [robust],
      ceilings: [ceiling(true)],
      baseline: 'x/default',
      seed: 1,
    })
    expect(figures.cells[robust.id]).toBeUndefined()
  })
})

const at = (variant: string, changes: Partial<Point>, walls: number[], items = 100): Cell => {
  const p = { ...point, ...changes, items }
  const id = `x/${variant}/${p.parallelism > 0 || p.bytes !== 1024 ? 'hash' : 'fetch'}/${JSON.stringify(changes)}`
  const samples = walls.map((w, i) => ({
    ...sample(w, i),
    itemsPerSecond: items / (w / 1000),
    coldWallMs: w + (p.parallelism > 0 ? 60 : 0),
  }))
  return {
    id,
    implementation: 'x',
    variant,
    workload: p.parallelism > 0 || p.bytes !== 1024 ? 'hash' : 'fetch',
    section: 'speed',
    point: { ...p, id },
    status: 'ok',
    stats: cellStats(samples, 1),
    samples,
    failedRuns: [],
  }
}

describe('sweep answers', () => {
  it('find the smallest concurrency reaching 95% of the best throughput, with an interval', () => {
    // 100 items: at c1 100 ms (1,000/s), c4 30 ms, c16 20.5 ms, c64 20 ms (5,000/s).
    const cells = [
      at('d', { concurrency: 1 }, [100, 101, 99]),
      at('d', { concurrency: 4 }, [30, 30.5, 29.5]),
      at('d', { concurrency: 16 }, [20.5, 20.6, 20.4]),
      at('d', { concurrency: 64 }, [20, 20.1, 19.9]),
    ]
    const { saturation } = deriveFigures({ cells, ceilings: [], baseline: 'x/d', seed: 1 })
    expect(saturation).toHaveLength(1)
    expect(saturation[0]).toMatchObject({
      concurrency: 16,
      bestConcurrency: 64,
      swept: [1, 4, 16, 64],
    })
    expect(saturation[0]?.ci[0]).toBeGreaterThanOrEqual(4)
    expect(saturation[0]?.ci[1]).toBeLessThanOrEqual(64)
  })

  it('find the work size from which a pool beats the loop, warm and cold apart', () => {
    // The pool of 2 halves the time of big items, loses on tiny ones; its cold call pays 60 ms.
    const size = (bytes: number, loopMs: number, poolMs: number) => [
      at('d', { parallelism: 0, bytes }, [loopMs, loopMs * 1.01, loopMs * 0.99]),
      at('d', { parallelism: 2, bytes }, [poolMs, poolMs * 1.01, poolMs * 0.99]),
    ]
    const cells = [...size(64, 10, 30), ...size(65536, 100, 60), ...size(1 << 20, 1000, 520)]
    const { breakEven, scaling } = deriveFigures({ cells, ceilings: [], baseline: 'x/d', seed: 1 })
    const warm = breakEven.find((b) => b.mode === 'warm')
    const cold = breakEven.find((b) => b.mode === 'cold')
    expect(warm).toMatchObject({ workers: 2, bytes: 65536, confirmedBytes: 65536 })
    // Cold: 64 KiB is 120 ms on the pool against 100 ms on the loop; 1 MiB wins.
    expect(cold).toMatchObject({ workers: 2, bytes: 1 << 20 })
    expect(scaling.find((s) => s.bytes === 1 << 20)).toMatchObject({ workers: 2, reference: 0 })
    expect(scaling.find((s) => s.bytes === 1 << 20)?.efficiency).toBeCloseTo(1000 / 520 / 2, 2)
  })
})

describe('the number formatter', () => {
  it('prints sizes in binary units and numbers with separators', () => {
    expect(formatBytes(64)).toBe('64 B')
    expect(formatBytes(64 * 1024)).toBe('64 KiB')
    expect(formatBytes(1 << 20)).toBe('1 MiB')
    expect(formatBytes(1536 * 1024)).toBe('1.5 MiB')
    expect(formatNumber(12345.678, 1)).toBe('12,345.7')
    expect(formatCompact(2)).toBe('2')
    expect(formatCompact(0.125, 2)).toBe('0.13')
    expect(bytesId(1 << 20)).toBe('1m')
    expect(bytesId(64 * 1024)).toBe('64k')
    expect(bytesId(64)).toBe('64')
  })
})
