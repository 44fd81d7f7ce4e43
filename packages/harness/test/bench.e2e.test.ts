import { fileURLToPath } from 'node:url'
import { parseResults } from '@arena/core/results'
import { describe, expect, it } from 'vitest'
import { discoverContestants, findWorkspaceRoot } from '../src/discover.ts'
import { planCells, shuffled } from '../src/plan.ts'
import {
  faultPoint,
  fetchPoint,
  hashPoint,
  type Profile,
  pipelinePoint,
  profiles,
  scanPoint,
} from '../src/profiles.ts'
import { lineProgress } from '../src/progress.ts'
import { runBench } from '../src/runner.ts'
import { markdownSummary } from '../src/summary.ts'

const root = findWorkspaceRoot(fileURLToPath(import.meta.url))

const tiny: Profile = {
  name: 'tiny',
  description: 'a few items per workload, for the end-to-end test',
  points: {
    fetch: [fetchPoint(4, 1024, 0, 200)],
    hash: [hashPoint(1, 64 * 1024, 20)],
    scanPort: [scanPoint(1024, 200)],
    pipeline: [pipelinePoint(4, 1, 16 * 1024, 50)],
  },
  robustness: { fetch: [faultPoint('status-10', { status: 0.1 }, 50)] },
  repetition: {
    minRounds: 2,
    maxRounds: 2,
    targetHalfWidthPercent: 5,
    warmups: 1,
    warmupScale: 0.5,
    heap: 'minor',
    serverCapacitySeconds: 1,
    watchdogSeconds: 60,
    robustnessRounds: 1,
    maxIterations: 3,
    sampleTargetMs: 1500,
  },
}

describe('shuffled interleaving', () => {
  it('is a permutation, reproducible for a seed, different from round to round', () => {
    const items = Array.from({ length: 12 }, (_, i) => i)
    expect(shuffled(items, 5).sort((a, b) => a - b)).toEqual(items)
    expect(shuffled(items, 5)).toEqual(shuffled(items, 5))
    expect(shuffled(items, 5)).not.toEqual(shuffled(items, 6))
  })
})

describe('a tiny end-to-end bench', () => {
  it('runs every cell of the promises contestant each round in a fresh child, verifies and measures it', async () => {
    const { found } = await discoverContestants(root)
    const filters = { implementations: ['promises'], variants: [], workloads: [] }
    const lines: string[] = []
    const results = await runBench({
      root,
      profile: tiny,
      seed: 3,
      contestants: found,
      filters,
      baseline: 'promises/default',
      aa: [],
      ceilings: true,
      progress: lineProgress((line) => lines.push(line)),
    })
    expect(parseResults(JSON.parse(JSON.stringify(results)))).toEqual(results)
    const plans = planCells({ profile: tiny, contestants: found, filters, aa: [] })
    expect(results.cells.map((c) => c.id).sort()).toEqual(plans.map((p) => p.id).sort())
    const robust = results.cells.filter((c) => c.section === 'robustness')
    expect(robust.map((c) => c.id)).toEqual(['promises/default/fetch/faults-status-10'])
    expect(robust[0]?.samples).toHaveLength(1)
    expect(robust[0]?.samples[0]?.verdict.tally['http-status']).toBeGreaterThan(0)
    expect(results.derived.cells[robust[0]?.id ?? '']?.ratio).toBeUndefined()
    for (const cell of results.cells.filter((c) => c.section === 'speed')) {
      expect(cell.status, `${cell.id}: ${cell.status === 'failed' && cell.failure.message}`).toBe(
        'ok',
      )
      expect(cell.samples.map((s) => s.round)).toEqual([0, 1])
      expect(cell.samples.every((s) => s.verdict.ok)).toBe(true)
      // Start-up and the cold call are their own figures, never inside the warm one.
      expect(cell.samples.every((s) => s.coldWallMs >= s.startupMs)).toBe(true)
      expect(results.derived.cells[cell.id]?.percentOfCeiling).toBeGreaterThan(0)
    }
    // Every ceiling was measured by tools run like contestants, and verified.
    for (const ceiling of results.ceilings) expect(ceiling.verified, ceiling.note).toBe(true)
    // Each round ran every cell once (the ceiling tools' too); the two rounds in different orders.
    const order = (round: number) =>
      lines
        .filter((l) => l.includes(`] round ${round} `) && !l.includes(' ceiling/'))
        .map((l) => l.split(' ')[3]?.replace(/:$/, ''))
    expect(order(1).sort()).toEqual(plans.map((p) => p.id).sort())
    // A robustness cell runs once; the speed cells run every round.
    expect(order(2).sort()).toEqual(
      plans
        .filter((p) => p.section === 'speed')
        .map((p) => p.id)
        .sort(),
    )
    expect(order(1)).not.toEqual(order(2))
    const fetchCell = results.cells.find((c) => c.workload === 'fetch')
    expect(fetchCell?.status === 'ok' && fetchCell.stats.maxServerPeakInFlight).toBeLessThanOrEqual(
      4,
    )
    expect(results.ceilings.map((c) => c.workload).sort()).toEqual([
      'fetch',
      'hash',
      'pipeline',
      'scanPort',
    ])
    const summary = markdownSummary(results)
    expect(summary).toMatch(/\| promises\/default \| c4-b1k-l0 \|/)
    // Robustness cells are listed by their outcomes in their own table, not as speeds.
    expect(summary).toMatch(
      /### robustness[\s\S]*\| promises\/default \| faults-status-10 \| ok \d+ · http-status \d+ \(50 verified\) \|/,
    )
    // A short workload is measured an odd number of times per child; the sample is the median.
    const iterated = results.cells.flatMap((c) => c.samples).filter((s) => s.iterationWallMs)
    expect(iterated.length).toBeGreaterThan(0)
    for (const s of iterated) {
      const walls = [...(s.iterationWallMs ?? [])].sort((a, b) => a - b)
      expect(walls.length % 2).toBe(1)
      expect(walls.length).toBeLessThanOrEqual(3)
      expect(s.wallMs).toBe(walls[(walls.length - 1) / 2])
    }
  })

  it('starts no run past the minimum once the time budget is spent, and says so', async () => {
    const { found } = await discoverContestants(root)
    const lines: string[] = []
    const results = await runBench({
      root,
      profile: {
        ...tiny,
        // A target no cell can meet, so every cell would want all its rounds.
        repetition: {
          ...tiny.repetition,
          minRounds: 2,
          maxRounds: 4,
          targetHalfWidthPercent: 0,
          budgetSeconds: 0,
        },
      },
      seed: 3,
      contestants: found,
      filters: { implementations: ['promises'], variants: ['default'], workloads: ['hash'] },
      baseline: 'promises/default',
      aa: [],
      ceilings: false,
      progress: lineProgress((line) => lines.push(line)),
    })
    expect(results.cells.map((c) => c.samples.length)).toEqual(results.cells.map(() => 2))
    expect(lines.join('\n')).toMatch(/time budget of 0 s reached: 2 extra run\(s\)/)
  })
})

describe('profiles of default variants only', () => {
  it('plan no other variant, unless one is asked for by name', async () => {
    const { found } = await discoverContestants(root)
    const quick = profiles.quick as Profile
    const none = { implementations: [], variants: [], workloads: [] }
    const plans = planCells({ profile: quick, contestants: found, filters: none, aa: [] })
    expect(new Set(plans.map((p) => p.runVariant))).toEqual(new Set(['default']))
    expect(new Set(plans.map((p) => p.implementation)).size).toBe(found.length)
    const asked = planCells({
      profile: quick,
      contestants: found,
      filters: { ...none, variants: ['hybrid'] },
      aa: [],
    })
    expect(asked.length).toBeGreaterThan(0)
    expect(asked.every((p) => p.runVariant === 'hybrid')).toBe(true)
  })
})

/** The harness's ceiling tools as the runner plans them. */
async function ceilingTools() {
  const entry = fileURLToPath(new URL('../src/ceiling/index.ts', import.meta.url))
  const { implementation } = (await import(entry)) as typeof import('../src/ceiling/index.ts')
  return { implementation, entry }
}

describe('planning the default profile', () => {
  it('runs other variants and other ceiling tools at the central points only, and --point keeps its points only', async () => {
    const { found } = await discoverContestants(root)
    const profile = profiles.default as Profile
    const none = { implementations: [], variants: [], workloads: [] }
    const plans = planCells({
      profile,
      contestants: found,
      filters: none,
      aa: [],
      ceiling: await ceilingTools(),
    })
    const central = (p: (typeof plans)[number]) =>
      p.section === 'robustness' || profile.centralPoints?.[p.workload]?.includes(p.point.id)
    const others = plans.filter((p) => p.runVariant !== 'default')
    expect(others.length).toBeGreaterThan(0)
    expect(others.filter((p) => !central(p)).map((p) => p.id)).toEqual([])
    // Every sweep point of a default variant has its default ceiling beside it.
    const points = new Set(
      plans
        .filter((p) => p.role === 'contestant' && p.section === 'speed')
        .map((p) => `${p.workload}/${p.point.id}`),
    )
    const ceilings = new Set(
      plans
        .filter((p) => p.role === 'ceiling' && p.runVariant === 'default')
        .map((p) => `${p.workload}/${p.point.id}`),
    )
    expect([...points].filter((k) => !ceilings.has(k))).toEqual([])

    const one = planCells({
      profile,
      contestants: found,
      filters: { ...none, points: ['c64-b1k-l0'] },
      aa: [],
      ceiling: await ceilingTools(),
    })
    expect(new Set(one.map((p) => p.point.id))).toEqual(new Set(['c64-b1k-l0']))
    expect(one.some((p) => p.role === 'ceiling')).toBe(true)
  })
})
