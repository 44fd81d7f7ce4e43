import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { cellStats, type Results } from '@arena/core'
import { RESULTS_SCHEMA_VERSION } from '@arena/core/results'
import { describe, expect, it } from 'vitest'
import { hashPoint } from '../src/profiles.ts'
import { captureEnvironment, readResults, writeResults } from '../src/results-file.ts'

const sample = {
  round: 0,
  wallMs: 12.5,
  startupMs: 0,
  coldWallMs: 14,
  coldItems: 10,
  itemsPerSecond: 800,
  megabytesPerSecond: 0.05,
  cpuUserMs: 10,
  cpuSystemMs: 2,
  peakRssBytes: 1e8,
  loopDelayP99Ms: 1.2,
  loopDelayMaxMs: 3,
  loopUtilization: 0.9,
  gcMs: 0.4,
  verdict: {
    ok: true,
    items: 10,
    discrepancyCount: 0,
    tally: { ok: 10 },
    summary: 'all 10 outcomes correct',
  },
}

export function fixtureResults(): Results {
  return {
    schemaVersion: RESULTS_SCHEMA_VERSION,
    runId: 'test-run',
    profile: 'quick',
    seed: 1,
    baseline: 'promises/default',
    startedAt: '2026-11-24T00:00:00.000Z',
    finishedAt: '2026-11-24T00:01:00.000Z',
    environment: captureEnvironment(process.cwd(), []),
    contestants: [],
    workloads: [],
    ceilings: [
      {
        workload: 'hash',
        pointId: 'p0-s64',
        tool: 'ceiling/default',
        available: true,
        verified: true,
        itemsPerSecond: 1000,
        note: 'x',
      },
    ],
    cells: [
      {
        id: 'promises/default/hash/p0-s64',
        implementation: 'promises',
        variant: 'default',
        workload: 'hash',
        section: 'speed',
        point: hashPoint(0, 64, 10),
        status: 'ok',
        stats: cellStats([sample], 1),
        samples: [sample],
        failedRuns: [],
      },
    ],
    derived: { cells: {}, saturation: [], breakEven: [], scaling: [] },
  }
}

describe('results files', () => {
  it('round-trip through the schema, written atomically with no temporary file left', () => {
    const dir = mkdtempSync(join(tmpdir(), 'arena-results-'))
    const paths = writeResults(dir, fixtureResults())
    expect(readResults(paths.latest)).toEqual(fixtureResults())
    expect(readResults(paths.run)).toEqual(readResults(paths.latest))
    expect(readdirSync(dir).sort()).toEqual(['latest.json', 'test-run.json'])
  })

  it('refuse to write what the schema rejects', () => {
    const dir = mkdtempSync(join(tmpdir(), 'arena-results-'))
    const bad = { ...fixtureResults(), seed: -1 }
    expect(() => writeResults(dir, bad)).toThrow(/seed/)
    expect(readdirSync(dir)).toEqual([])
  })

  it('say in one sentence what is wrong with a file that cannot be used', () => {
    const dir = mkdtempSync(join(tmpdir(), 'arena-results-'))
    const file = (name: string, text: string) => {
      writeFileSync(join(dir, name), text)
      return join(dir, name)
    }
    expect(() => readResults(join(dir, 'absent.json'))).toThrow(
      /Cannot read the results file .*absent\.json \(ENOENT\); run the benchmark first/,
    )
    expect(() => readResults(file('a.json', '{ nope'))).toThrow(/is not valid JSON/)
    expect(() =>
      readResults(file('b.json', JSON.stringify({ ...fixtureResults(), schemaVersion: 99 }))),
    ).toThrow(
      new RegExp(
        `results file of schema version 99 and this code reads version ${RESULTS_SCHEMA_VERSION}; run the benchmark again`,
      ),
    )
    // A cell is a union on its status: an ok cell without statistics, or a failed one without why, is refused.
    const [cell] = fixtureResults().cells
    const { stats: _stats, ...okWithoutStats } = cell as Extract<typeof cell, { status: 'ok' }>
    expect(() =>
      readResults(file('d.json', JSON.stringify({ ...fixtureResults(), cells: [okWithoutStats] }))),
    ).toThrow(/cannot be used: Invalid results file at cells\.0\.stats/)
    expect(() =>
      readResults(
        file(
          'e.json',
          JSON.stringify({ ...fixtureResults(), cells: [{ ...okWithoutStats, status: 'failed' }] }),
        ),
      ),
    ).toThrow(/cannot be used: Invalid results file at cells\.0\.failure/)
    expect(() =>
      readResults(file('c.json', JSON.stringify({ ...fixtureResults(), cells: [{ id: 3 }] }))),
    ).toThrow(/cannot be used: Invalid results file at cells\.0/)
  })
})
