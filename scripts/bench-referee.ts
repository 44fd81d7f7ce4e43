#!/usr/bin/env node
/**
 * `pnpm bench:referee`: does the harness measure what the code does? The
 * harness's figure for one cell (by default promises/default, fetch at the
 * default profile's c64-b1k-l0: 2,000 × 1 KiB at concurrency 64), from a
 * real `arena` run of that one point, against the same code in a plain loop
 * in a fresh child process — the same variant opened once, warmed up as the
 * profile warms a cell, then called back to back on the same seeded input,
 * every answer verified — alternated `--pairs` times. It prints two ratios:
 * against the plain loop's first `--calls` calls after the same warm-up (what
 * the harness adds or takes away: the target is within 10 %), and against
 * its calls once `--deep-ms` have passed (how far the profile's warm-up is
 * from a process that has run for that long: the JIT's part, not the
 * harness's). Options: --pairs (3), --calls (1), --deep-ms (3000), --impl,
 * --variant, --workload, --point, --profile (default), --instrument (the
 * plain loop's calls wear what the harness's timed call wears inside its
 * clock: an event-loop delay histogram at 1 ms, a GC observer, and per-item
 * onStart/onOutcome callbacks).
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { availableParallelism, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks'
import { parseArgs } from 'node:util'
import {
  expectInteger,
  medianOf,
  openVariant,
  type RunOptions,
  type WorkloadId,
} from '../packages/core/src/index.ts'
import {
  discoverContestants,
  findWorkspaceRoot,
  profiles,
  rowOf,
} from '../packages/harness/src/index.ts'
import { startWorld } from '../packages/harness/src/world.ts'
import type { MockWorldInfo } from '../packages/kit/src/mock-world.ts'

const { values } = parseArgs({
  options: {
    pairs: { type: 'string', default: '3' },
    calls: { type: 'string', default: '1' },
    impl: { type: 'string', default: 'promises' },
    variant: { type: 'string', default: 'default' },
    workload: { type: 'string', default: 'fetch' },
    point: { type: 'string', default: 'c64-b1k-l0' },
    profile: { type: 'string', default: 'default' },
    instrument: { type: 'boolean', default: false },
    'deep-ms': { type: 'string', default: '3000' },
    child: { type: 'string' },
  },
})
const pairs = expectInteger('--pairs', Number(values.pairs), 1, 20)
const calls = expectInteger('--calls', Number(values.calls), 1, 200)
const deepMs = expectInteger('--deep-ms', Number(values['deep-ms']), 0, 60_000)
const profile = profiles[values.profile ?? '']
if (!profile) throw new TypeError(`Expected --profile to be one of ${Object.keys(profiles)}`)
const workload = values.workload as WorkloadId
const point = profile.points[workload]?.find((p) => p.id === values.point)
if (!point)
  throw new TypeError(
    `Expected --point to be a ${workload} point of ${profile.name}, got ${values.point}`,
  )

const root = findWorkspaceRoot(process.cwd())
const { found } = await discoverContestants(root)
const variant = found
  .find((c) => c.implementation.id === values.impl)
  ?.implementation.variants.find((v) => v.id === values.variant)
if (!variant)
  throw new TypeError(
    `Expected --impl/--variant to name a variant, got ${values.impl}/${values.variant}`,
  )

const row = rowOf(workload)
const seed = 1
const load = () =>
  loadavg()
    .map((x) => x.toFixed(1))
    .join(' ')

/**
 * A plain warm loop, in a fresh child process of its own (this script, with
 * `--child`), as a harness child is fresh: the variant opened once, warmed up
 * as the profile warms a cell (the cold call and the warm-ups on the warm-up
 * share of the input, more until the warm-up time has passed), then calls
 * back to back on the full input, every answer verified, each call's rate and
 * when it started (ms since the warm-up began) printed as JSON.
 */
async function plainChild(world: MockWorldInfo): Promise<void> {
  const { concurrency, parallelism, timeoutMs } = point as NonNullable<typeof point>
  const instance = await openVariant(variant as NonNullable<typeof variant>, {
    concurrency,
    parallelism,
    workload,
  })
  const run = instance.workloads[workload] as (i: unknown, o: RunOptions) => Promise<unknown>
  const options: RunOptions = { concurrency, parallelism, timeoutMs }
  const { warmups, warmupScale, warmupMs = 0 } = (profile as NonNullable<typeof profile>).repetition
  const scale = Math.min(warmupScale, 2000 / (point as NonNullable<typeof point>).items)
  const call = async (i: number, callScale: number, seedOffset: number) => {
    const spec = row.spec(point as never, seed + seedOffset, callScale) as never
    const check = row.watch(spec, world, parallelism)
    const input = row.input(spec, world, `plain-${process.pid}-${i}`)
    const worn: RunOptions = values.instrument
      ? { ...options, onStart: () => {}, onOutcome: () => {} }
      : options
    const delay = values.instrument ? monitorEventLoopDelay({ resolution: 1 }) : undefined
    const observer = values.instrument ? new PerformanceObserver(() => {}) : undefined
    observer?.observe({ entryTypes: ['gc'] })
    delay?.enable()
    const start = performance.now()
    const result = await run(input, worn)
    const ms = performance.now() - start
    delay?.disable()
    observer?.disconnect()
    if (!check.verdict(result as never).ok)
      throw new Error(`the plain loop's answer ${i} failed verification`)
    check.stop()
    return row.count(spec) / (ms / 1000)
  }
  const since = performance.now()
  const at = () => performance.now() - since
  const rates: { atMs: number; rate: number }[] = []
  try {
    await call(0, scale, 1)
    for (let i = 0; i < warmups || (i < 200 && at() < warmupMs); i++)
      await call(1 + i, scale, 2 + i)
    for (let i = 0; i < calls || at() < deepMs + 10 * 300; i++) {
      const atMs = at()
      rates.push({ atMs, rate: await call(1000 + i, 1, 0) })
      if (i >= calls && rates.filter((r) => r.atMs >= deepMs).length >= 10) break
    }
  } finally {
    await instance.close()
  }
  process.stdout.write(JSON.stringify(rates))
}

/** Runs a plain child against `world` and returns its calls' rates. */
function plainLoop(world: MockWorldInfo): { atMs: number; rate: number }[] {
  const out = execFileSync(
    process.execPath,
    [
      ...process.execArgv,
      import.meta.filename,
      ...process.argv.slice(2),
      `--child=${JSON.stringify(world)}`,
    ],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
  )
  return JSON.parse(out)
}

/** The harness's median for the cell, from a real run of that one point. */
function harnessRun(): number {
  const out = mkdtempSync(join(tmpdir(), 'arena-referee-'))
  try {
    execFileSync(
      process.execPath,
      [
        join(root, 'packages/harness/src/cli.ts'),
        `--profile=${profile?.name}`,
        `--impl=${values.impl}`,
        `--variant=${values.impl}/${values.variant}`,
        `--workload=${workload}`,
        `--point=${point?.id}`,
        `--out=${out}`,
      ],
      { stdio: ['ignore', 'ignore', 'inherit'] },
    )
    const results = JSON.parse(readFileSync(join(out, 'latest.json'), 'utf8'))
    const cell = results.cells.find(
      (c: { implementation: string; variant: string; status: string }) =>
        c.implementation === values.impl && c.variant === values.variant,
    )
    if (cell?.status !== 'ok') throw new Error('the harness run of the cell was not verified')
    return cell.stats.medianItemsPerSecond
  } finally {
    rmSync(out, { recursive: true, force: true })
  }
}

if (values.child) {
  await plainChild(JSON.parse(values.child) as MockWorldInfo)
  process.exit(0)
}

const { warmupMs = 0 } = profile.repetition
console.log(
  `Referee check — ${values.impl}/${values.variant} ${workload} ${point.id} (${point.label}); profile ${profile.name} (warm-up ${warmupMs} ms); Node ${process.version}, ${availableParallelism()} cores, load ${load()}`,
)
const equal: number[] = []
const deep: number[] = []
const harness: number[] = []
const world = await startWorld()
try {
  for (let pair = 0; pair < pairs; pair++) {
    const rates = plainLoop(world.ready)
    // The harness times its first call after the warm-up: the plain child's first ones are the same depth.
    const atDepth = medianOf(rates.slice(0, calls).map((r) => r.rate)) ?? Number.NaN
    const warm = medianOf(rates.filter((r) => r.atMs >= deepMs).map((r) => r.rate)) ?? Number.NaN
    equal.push(atDepth)
    deep.push(warm)
    const figure = harnessRun()
    harness.push(figure)
    console.log(
      `  pair ${pair + 1}: plain child${values.instrument ? ' (instrumented)' : ''} after the same warm-up ${Math.round(atDepth)}/s (median of its first ${calls} calls: ${rates
        .slice(0, calls)
        .map((r) => Math.round(r.rate))
        .join(
          ', ',
        )}); after ${deepMs / 1000} s ${Math.round(warm)}/s; harness ${Math.round(figure)}/s`,
    )
  }
} finally {
  await world.close()
}
const h = medianOf(harness) ?? Number.NaN
const e = medianOf(equal) ?? Number.NaN
const d = medianOf(deep) ?? Number.NaN
const verdict = (ratio: number) => (Math.abs(ratio - 1) <= 0.1 ? 'met' : 'MISSED')
console.log(
  `harness ÷ plain loop at the same warm-up: ${(h / e).toFixed(3)} (harness ${Math.round(h)}/s, plain ${Math.round(e)}/s, medians of ${pairs} pairs); within 10%: ${verdict(h / e)}`,
)
console.log(
  `harness ÷ plain loop after ${deepMs / 1000} s of calls: ${(h / d).toFixed(3)} (plain ${Math.round(d)}/s); within 10%: ${verdict(h / d)}; the plain loop gains ${(d / e).toFixed(2)}× from the profile's warm-up to ${deepMs / 1000} s (load ${load()})`,
)
