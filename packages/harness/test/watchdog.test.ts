import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { startMockWorld } from '@arena/kit/mock-world'
import { describe, expect, it } from 'vitest'
import type { ChildJob } from '../src/child.ts'
import { fetchPoint, hashPoint } from '../src/profiles.ts'
import { spawnCell } from '../src/spawn-cell.ts'

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url))

const job = (entry: string): ChildJob => ({
  type: 'run',
  cell: {
    id: 'x/default/hash/p0-s64',
    implementation: 'x',
    variant: 'default',
    runVariant: 'default',
    workload: 'hash',
    section: 'speed',
    role: 'contestant',
    point: hashPoint(0, 64, 10),
    entry,
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

describe("the child's warm-up", () => {
  const calls = async (warmupMs?: number) => {
    const file = join(mkdtempSync(join(tmpdir(), 'arena-warmup-')), 'calls')
    process.env.ARENA_TEST_CALLS_FILE = file
    try {
      const base = job(fixture('counting-impl.ts'))
      const result = await spawnCell(
        { ...base, ...(warmupMs !== undefined && { warmupMs }) },
        { deadlineMs: 30_000 },
      )
      expect(result).toHaveProperty('sample')
    } finally {
      delete process.env.ARENA_TEST_CALLS_FILE
    }
    return readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((line) => line.split(' ').map(Number) as [number, number, number])
  }

  it('warms up until the warm-up time has passed, on the warm-up share, then times the full input', async () => {
    const all = await calls(300)
    const warm = all.filter(([items]) => items === 5)
    const timed = all.filter(([items]) => items === 10)
    expect(timed).toHaveLength(1)
    expect(all.at(-1), 'the timed call comes last').toEqual(timed[0])
    const [, first] = warm[0] as [number, number, number]
    const [, lastStart, lastEnd] = warm.at(-1) as [number, number, number]
    // The job asked for no fixed warm-up: every call past the cold one is the warm-up time's.
    expect(warm.length).toBeGreaterThan(2)
    expect(lastStart - first, 'the last warm-up began within the warm-up time').toBeLessThan(300)
    expect(lastEnd - first, 'and ended after it').toBeGreaterThanOrEqual(280)
  })

  it('runs only the cold call and the fixed warm-ups without a warm-up time', async () => {
    const all = await calls()
    expect(all.map(([items]) => items)).toEqual([5, 10])
  })
})

describe('the watchdog and the child protocol', () => {
  it('kills a child that hangs and records a hang', async () => {
    const result = await spawnCell(job('unused'), {
      deadlineMs: 1500,
      childModule: fixture('hang-child.ts'),
    })
    expect(result).toMatchObject({ failure: { reason: 'hang' } })
  })

  it('kills what the hung child started too (its process group), so no tool outlives it', async () => {
    const pidFile = join(mkdtempSync(join(tmpdir(), 'arena-watchdog-')), 'tool.pid')
    process.env.ARENA_TEST_PID_FILE = pidFile
    try {
      const result = await spawnCell(job('unused'), {
        deadlineMs: 1500,
        childModule: fixture('hang-with-tool-child.ts'),
      })
      expect(result).toMatchObject({ failure: { reason: 'hang' } })
    } finally {
      delete process.env.ARENA_TEST_PID_FILE
    }
    const tool = Number(readFileSync(pidFile, 'utf8'))
    expect(tool).toBeGreaterThan(0)
    const alive = () => {
      try {
        process.kill(tool, 0)
        return !readFileSync(`/proc/${tool}/stat`, 'utf8').includes(') Z ')
      } catch {
        return false
      }
    }
    for (let i = 0; i < 50 && alive(); i++) await new Promise((r) => setTimeout(r, 20))
    expect(alive(), `the tool ${tool} outlived its killed child`).toBe(false)
  })

  it('records a crash with the tail of its stderr', async () => {
    const result = await spawnCell(job('unused'), {
      deadlineMs: 10_000,
      childModule: fixture('crash-child.ts'),
    })
    expect(result).toMatchObject({
      failure: { reason: 'crash', message: expect.stringMatching(/code 3.*contestant exploded/) },
    })
  })

  it('survives a flood of output and records garbage as garbage', async () => {
    const result = await spawnCell(job('unused'), {
      deadlineMs: 10_000,
      childModule: fixture('garbage-child.ts'),
    })
    expect(result).toMatchObject({ failure: { reason: 'garbage' } })
  })

  it('runs a real child and fails a wrong answer instead of timing it', async () => {
    const result = await spawnCell(job(fixture('wrong-impl.ts')), { deadlineMs: 30_000 })
    expect(result).toMatchObject({
      failure: {
        reason: 'wrong-answer',
        message: expect.stringMatching(/^the cold call: 5 of 5 outcomes wrong/),
      },
    })
  })

  it('records a run past its concurrency limit as limit-exceeded, with what the server saw', async () => {
    const world = await startMockWorld()
    try {
      const point = fetchPoint(2, 1024, 20, 40)
      const base = job(fixture('greedy-impl.ts'))
      const result = await spawnCell(
        {
          ...base,
          cell: { ...base.cell, id: 'greedy/default/fetch/c2', workload: 'fetch', point },
          world: world.info,
        },
        { deadlineMs: 30_000 },
      )
      expect(result).toMatchObject({
        failure: {
          reason: 'limit-exceeded',
          message: expect.stringMatching(/the server saw \d+ requests in flight; the limit was 2/),
        },
      })
    } finally {
      await world.close()
    }
  })

  it('kills the child at once when the run is interrupted', async () => {
    const controller = new AbortController()
    const pending = spawnCell(job('unused'), {
      deadlineMs: 60_000,
      childModule: fixture('hang-child.ts'),
      signal: controller.signal,
    })
    setTimeout(() => controller.abort(), 200)
    expect(await pending).toMatchObject({ failure: { reason: 'error', message: /interrupted/ } })
  })
})
