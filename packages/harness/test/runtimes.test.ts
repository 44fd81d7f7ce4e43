// Runtimes without installing one: an empty runtimes folder stands for a runtime that is missing,
// and a folder holding a stand-in `bun` (a shell script that reports a version and then fails to
// run anything, as a runtime that cannot run the module would) for one that fails. Through the
// real runner, both end as failed cells with the reason, the mock world on the harness's Node.
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, it } from 'vitest'
import type { ChildJob } from '../src/child.ts'
import { discoverContestants, findWorkspaceRoot } from '../src/discover.ts'
import { planCells } from '../src/plan.ts'
import { hashPoint, type Profile, profiles } from '../src/profiles.ts'
import { lineProgress } from '../src/progress.ts'
import { runBench } from '../src/runner.ts'
import { launchOf, type PreparedRuntime, prepareRuntime, runtimeNames } from '../src/runtimes.ts'
import { spawnCell } from '../src/spawn-cell.ts'
import { startWorld } from '../src/world.ts'

const root = findWorkspaceRoot(fileURLToPath(import.meta.url))
const quiet = { install: false, log: () => {} }

/** A runtimes folder whose `bun` reports 1.4.5 and fails to run any module, saying why on stderr. */
function failingBun(): string {
  const dir = mkdtempSync(join(tmpdir(), 'arena-runtimes-'))
  const bin = join(dir, 'bun', 'node_modules', 'bun', 'bin')
  mkdirSync(bin, { recursive: true })
  writeFileSync(
    join(dir, 'bun', 'package.json'),
    JSON.stringify({ dependencies: { bun: '1.4.5' } }),
  )
  writeFileSync(
    join(bin, 'bun.exe'),
    [
      '#!/bin/sh',
      'if [ "$1" = "--version" ]; then echo 1.4.5; exit 0; fi',
      'echo "error: this bun cannot run modules" >&2',
      'echo "Bun v1.4.5 (Linux x64)" >&2',
      'exit 7',
    ].join('\n'),
  )
  chmodSync(join(bin, 'bun.exe'), 0o755)
  return dir
}

const tinyHash: Profile = {
  ...(profiles.quick as Profile),
  name: 'tiny',
  points: { fetch: [], hash: [hashPoint(1, 64 * 1024, 20)], scanPort: [], pipeline: [] },
  robustness: {},
  centralPoints: {},
}

afterEach(() => {
  delete process.env.ARENA_RUNTIMES_DIR
})

describe('the runtimes', () => {
  it('names five, and node24 is the harness’s own Node', () => {
    expect(runtimeNames).toEqual(['node22', 'node24', 'node26', 'bun', 'deno'])
    expect(launchOf('node24')).toMatchObject({ executable: process.execPath })
  })

  it('says in one sentence that a runtime is not installed, and installs nothing when told not to', () => {
    const empty = mkdtempSync(join(tmpdir(), 'arena-runtimes-'))
    const bun = prepareRuntime('bun', { ...quiet, dir: empty })
    expect(bun).toMatchObject({ name: 'bun', version: 'unavailable' })
    expect(bun.unavailable).toMatch(/^bun is not installed: .*bun\.exe does not exist/)
    expect(prepareRuntime('deno', { ...quiet, dir: failingBun() }).unavailable).toMatch(
      /^deno is not installed/,
    )
  })

  it('reads the version the binary reports', () => {
    expect(prepareRuntime('bun', { ...quiet, dir: failingBun() })).toEqual({
      name: 'bun',
      version: '1.4.5',
    })
  })

  it('puts a runtime other than the default in every cell and its id', async () => {
    const { found } = await discoverContestants(root)
    const filters = { implementations: ['promises'], variants: [], workloads: [] }
    const base = { profile: tinyHash, contestants: found, filters, aa: [] }
    const bun: PreparedRuntime = { name: 'bun', version: '1.4.5' }
    const plain = planCells(base)
    const onBun = planCells({ ...base, runtime: bun })
    expect(onBun.map((p) => p.id)).toEqual(plain.map((p) => `${p.id}@bun`))
    expect(onBun.every((p) => p.runtime === bun)).toBe(true)
    const onNode = planCells({ ...base, runtime: { name: 'node24', version: '24.21.0' } })
    expect(onNode.map((p) => p.id)).toEqual(plain.map((p) => p.id))
  })
})

describe('a runtime that fails', () => {
  const job = (runtime: PreparedRuntime): ChildJob => ({
    type: 'run',
    cell: {
      id: 'x/default/hash/p0-s64@bun',
      implementation: 'x',
      variant: 'default',
      runVariant: 'default',
      workload: 'hash',
      section: 'speed',
      role: 'contestant',
      point: hashPoint(0, 64, 10),
      entry: 'unused',
      runtime,
    },
    round: 0,
    seed: 1,
    warmups: 0,
    warmupScale: 0.5,
    heap: 'minor',
    iterations: { max: 1, targetMs: 0 },
    world: {
      origin: 'http://127.0.0.1:9',
      host: '127.0.0.1',
      open: [],
      filtered: [],
      lowPorts: { open: [], filtered: [] },
    },
  })

  it('is a crash of the cell with the runtime’s own words, not of the harness', async () => {
    process.env.ARENA_RUNTIMES_DIR = failingBun()
    const result = await spawnCell(job({ name: 'bun', version: '1.4.5' }), { deadlineMs: 10_000 })
    expect(result).toEqual({
      failure: {
        reason: 'crash',
        message:
          'the child (bun 1.4.5) exited (code 7) without an answer: error: this bun cannot run modules',
      },
    })
  })

  it('leaves the mock world on the harness’s Node, saying why', async () => {
    process.env.ARENA_RUNTIMES_DIR = failingBun()
    const world = await startWorld({ name: 'bun', version: '1.4.5' })
    try {
      expect(world.runtime).toEqual({
        name: 'node24',
        version: process.versions.node,
        fallback:
          'The mock world exited under bun (code 7) before it was ready: error: this bun cannot run modules',
      })
      expect(world.ready.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    } finally {
      await world.close()
    }
  })
})

describe('a run under a runtime that is missing or fails', () => {
  it.each([
    ['missing', () => mkdtempSync(join(tmpdir(), 'arena-runtimes-')), /^bun is not installed: /],
    [
      'failing',
      failingBun,
      /^the child \(bun 1\.4\.5\) exited \(code 7\) without an answer: error: this bun cannot run modules$/,
    ],
  ])('records every cell as failed with the reason (%s)', async (_, dir, reason) => {
    process.env.ARENA_RUNTIMES_DIR = dir()
    const runtime = prepareRuntime('bun', quiet)
    const { found } = await discoverContestants(root)
    const results = await runBench({
      root,
      profile: tinyHash,
      seed: 1,
      contestants: found,
      filters: { implementations: ['promises'], variants: [], workloads: ['hash'] },
      baseline: 'promises/default',
      aa: [],
      ceilings: false,
      progress: lineProgress(() => {}),
      runtime,
      // The world asked onto the same runtime, which cannot run it either: it stays on Node, saying why.
      worldRuntime: runtime,
    })
    expect(results.cells.length).toBeGreaterThan(0)
    for (const cell of results.cells) {
      expect(cell.id).toMatch(/@bun$/)
      expect(cell.runtime).toEqual({ name: 'bun', version: runtime.version })
      expect(cell.status === 'failed' && cell.failure.message).toMatch(reason)
    }
    expect(results.environment.runtime).toMatchObject({
      name: 'bun',
      world: { name: 'node24', fallback: expect.stringMatching(/bun/) },
    })
  })
})
