#!/usr/bin/env node
/**
 * `pnpm bench:referee`: does the harness measure what the code does? The
 * harness's figure for one cell (by default promises/default, fetch at the
 * default profile's c64-b1k-l0: 2,000 × 1 KiB at concurrency 64), from a
 * real `arena` run of that one point, against the same code run back to
 * back in a plain warm loop in this process — the same variant opened once,
 * the same seeded input, every answer verified — alternated `--pairs` times.
 * It prints both medians and their ratio, and the target (within 10 %).
 * Options: --pairs (3), --calls (15, per plain loop), --impl, --variant,
 * --workload, --point, --profile (default), --instrument (the plain loop's
 * calls wear what the harness's timed call wears inside its clock: an
 * event-loop delay histogram at 1 ms, a GC observer, and per-item
 * onStart/onOutcome stores).
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

const { values } = parseArgs({
  options: {
    pairs: { type: 'string', default: '3' },
    calls: { type: 'string', default: '15' },
    impl: { type: 'string', default: 'promises' },
    variant: { type: 'string', default: 'default' },
    workload: { type: 'string', default: 'fetch' },
    point: { type: 'string', default: 'c64-b1k-l0' },
    profile: { type: 'string', default: 'default' },
    instrument: { type: 'boolean', default: false },
  },
})
const pairs = expectInteger('--pairs', Number(values.pairs), 1, 20)
const calls = expectInteger('--calls', Number(values.calls), 1, 200)
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

/** A plain warm loop: open once, one warm-up, then `calls` verified calls back to back. */
async function plainLoop(): Promise<number[]> {
  const world = await startWorld()
  const { concurrency, parallelism, timeoutMs } = point as NonNullable<typeof point>
  const instance = await openVariant(variant as NonNullable<typeof variant>, {
    concurrency,
    parallelism,
    workload,
  })
  const run = instance.workloads[workload] as (i: unknown, o: RunOptions) => Promise<unknown>
  const options: RunOptions = { concurrency, parallelism, timeoutMs }
  const spec = row.spec(point as never, seed, 1) as never
  const rates: number[] = []
  try {
    for (let i = 0; i <= calls; i++) {
      const check = row.watch(spec, world.ready, parallelism)
      const input = row.input(spec, world.ready, `plain-${i}`)
      const items = row.count(spec)
      const startedAt = new Float64Array(items)
      const doneAt = new Float64Array(items)
      const worn: RunOptions = values.instrument
        ? {
            ...options,
            onStart: (index) => {
              startedAt[index] = performance.now()
            },
            onOutcome: (index) => {
              doneAt[index] = performance.now()
            },
          }
        : options
      // What the harness's timed call wears inside its clock, when asked for.
      const delay = values.instrument ? monitorEventLoopDelay({ resolution: 1 }) : undefined
      const observer = values.instrument ? new PerformanceObserver(() => {}) : undefined
      observer?.observe({ entryTypes: ['gc'] })
      delay?.enable()
      const start = performance.now()
      const result = await run(input, worn)
      const ms = performance.now() - start
      delay?.disable()
      observer?.disconnect()
      const verdict = check.verdict(result as never)
      if (!verdict.ok) throw new Error(`the plain loop's answer ${i} failed verification`)
      if (i > 0) rates.push(row.count(spec) / (ms / 1000))
    }
  } finally {
    await instance.close()
    await world.close()
  }
  return rates
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

console.log(
  `Referee check — ${values.impl}/${values.variant} ${workload} ${point.id} (${point.label}); Node ${process.version}, ${availableParallelism()} cores, load ${load()}`,
)
const plain: number[] = []
const harness: number[] = []
for (let pair = 0; pair < pairs; pair++) {
  const rates = await plainLoop()
  const loopMedian = medianOf(rates) ?? Number.NaN
  plain.push(loopMedian)
  const figure = harnessRun()
  harness.push(figure)
  console.log(
    `  pair ${pair + 1}: plain loop${values.instrument ? ' (instrumented)' : ''} median ${Math.round(loopMedian)}/s (${calls} calls, ${Math.round(Math.min(...rates))}–${Math.round(Math.max(...rates))}; the first five ${rates
      .slice(0, 5)
      .map(Math.round)
      .join(', ')}); harness ${Math.round(figure)}/s`,
  )
}
const p = medianOf(plain) ?? Number.NaN
const h = medianOf(harness) ?? Number.NaN
const ratio = h / p
console.log(
  `harness ÷ plain loop: ${ratio.toFixed(3)} (harness ${Math.round(h)}/s, plain ${Math.round(p)}/s, medians of ${pairs} pairs); target within 10%: ${Math.abs(ratio - 1) <= 0.1 ? 'met' : 'MISSED'} (load ${load()})`,
)
