#!/usr/bin/env node
/**
 * `pnpm bench:primitives`: core's shared primitives against the fastest raw
 * Node code doing the same work, in interleaved rounds in this one process,
 * against the mock world in a process of its own (started as the harness
 * starts it). Three groups — `core.get` against the harness's undici
 * `dispatch` ceiling, `tcpProbe` lanes against its raw connect loop over
 * 1–65535, a worker loading core's kernel against a bare worker — each
 * printing rates, ranges and ratios, then the targets of issue 13 — and what
 * two raw threads hashing at once get on this machine (`cpu`).
 * Options: --fetch-rounds (30), --scan-rounds (3), --worker-pairs (20),
 * --cpu-rounds (8), --only fetch,scan,workers,cpu.
 */
import { availableParallelism, loadavg } from 'node:os'
import { parseArgs } from 'node:util'
import { expectInteger, medianOf } from '../packages/core/src/index.ts'
import { startWorld } from '../packages/harness/src/world.ts'
import { describeCpu, measureCpu } from './primitives/cpu-scaling.ts'
import {
  CEILING_FETCH,
  CORE_GET,
  CORE_GET_BARE,
  CORE_GET_IDIOM,
  FETCH_POINT,
  measureFetch,
} from './primitives/fetch-tools.ts'
import { describeTimings, speedRatio, type Timings } from './primitives/interleave.ts'
import {
  CEILING_SCAN,
  CORE_PROBE,
  CORE_PROBE_IDIOM,
  measureScan,
  RAW_WITH_STACKS,
  SCAN_POINT,
} from './primitives/scan-tools.ts'
import { BARE_WORKER, KERNEL_WORKER, measureWorkerStart } from './primitives/worker-start.ts'

const { values } = parseArgs({
  options: {
    'fetch-rounds': { type: 'string', default: '30' },
    'scan-rounds': { type: 'string', default: '3' },
    'worker-pairs': { type: 'string', default: '20' },
    'cpu-rounds': { type: 'string', default: '8' },
    only: { type: 'string', default: 'fetch,scan,workers,cpu' },
  },
})
const count = (name: string, value: string | undefined) =>
  expectInteger(`--${name}`, Number(value), 1, 1000)
const fetchRounds = count('fetch-rounds', values['fetch-rounds'])
const scanRounds = count('scan-rounds', values['scan-rounds'])
const workerPairs = count('worker-pairs', values['worker-pairs'])
const cpuRounds = count('cpu-rounds', values['cpu-rounds'])
const groups = new Set((values.only ?? '').split(','))
for (const group of groups) {
  if (!['fetch', 'scan', 'workers', 'cpu'].includes(group))
    throw new TypeError(`Expected --only to list fetch, scan, workers or cpu, got ${group}`)
}

const load = () =>
  loadavg()
    .map((x) => x.toFixed(1))
    .join(' ')
const targets: string[] = []
const target = (label: string, value: number, goal: number, atLeast: boolean) => {
  const met = atLeast ? value >= goal : value <= goal
  targets.push(
    `  ${label.padEnd(72)}${value.toFixed(2)}×  (target ${atLeast ? '≥' : '≤'} ${goal}×) ${met ? 'met' : 'MISSED'}`,
  )
}
/** Targets on speed, by the wall clock and by CPU time. */
const speedTargets = (timings: Timings, tool: string, reference: string, label: string) => {
  target(`${label}, wall clock`, speedRatio(timings, tool, reference).median, 0.9, true)
  target(`${label}, CPU`, speedRatio(timings, tool, reference, 'cpuSeconds').median, 0.9, true)
}

console.log(
  `Primitives benchmark — Node ${process.version}, ${availableParallelism()} cores, load average ${load()}`,
)
/** What the idiom costs per operation: CPU µs per item, the idiom's minus the cleared timer's, per round. */
const idiomLine = (timings: Timings, tuned: string, idiom: string, items: number, noun: string) => {
  const a = timings.get(tuned)?.cpuSeconds ?? []
  const b = timings.get(idiom)?.cpuSeconds ?? []
  const extra = b.map((s, i) => ((s - (a[i] ?? Number.NaN)) / items) * 1e6)
  const speed = speedRatio(timings, tuned, idiom)
  return `  timeout+any costs ${(medianOf(extra) ?? Number.NaN).toFixed(1)} CPU µs more per ${noun} than the cleared timer (${Math.min(...extra).toFixed(1)} to ${Math.max(...extra).toFixed(1)}); the cleared timer runs ${speed.median.toFixed(2)}× as fast (${speed.min.toFixed(2)}–${speed.max.toFixed(2)})`
}

const world = await startWorld()
try {
  if (groups.has('fetch')) {
    const { count: pages, bytes, concurrency } = FETCH_POINT
    console.log(
      `\nfetch ${pages} × ${bytes} B, concurrency ${concurrency}, warm pools, ${fetchRounds} interleaved rounds (speed vs ${CEILING_FETCH}):`,
    )
    const timings = await measureFetch(world.ready.origin, fetchRounds)
    for (const line of describeTimings(timings, CEILING_FETCH, pages, 'rate')) console.log(line)
    speedTargets(timings, CORE_GET, CEILING_FETCH, `${CORE_GET} / ceiling`)
    speedTargets(timings, CORE_GET_BARE, CEILING_FETCH, `${CORE_GET_BARE} / ceiling`)
    console.log(idiomLine(timings, CORE_GET, CORE_GET_IDIOM, pages, 'request'))
  }
  if (groups.has('scan')) {
    const { concurrency, timeoutMs } = SCAN_POINT
    console.log(
      `\nscan 1–65535, concurrency ${concurrency}, timeout ${timeoutMs} ms, ${scanRounds} interleaved rounds (speed vs ${CEILING_SCAN}):`,
    )
    const { timings, tallies } = await measureScan(world.ready, scanRounds)
    for (const line of describeTimings(timings, CEILING_SCAN, 65535, 'time')) console.log(line)
    for (const [tool, tally] of tallies)
      console.log(`  last answer of ${tool}: ${JSON.stringify(tally)}`)
    speedTargets(timings, CORE_PROBE, CEILING_SCAN, `${CORE_PROBE} / ceiling`)
    speedTargets(timings, CORE_PROBE, RAW_WITH_STACKS, `${CORE_PROBE} / ${RAW_WITH_STACKS}`)
    console.log(idiomLine(timings, CORE_PROBE, CORE_PROBE_IDIOM, 65535, 'probe'))
  }
  if (groups.has('workers')) {
    console.log(`\nworker start, new Worker to first message, ${workerPairs} alternated pairs:`)
    const { ms, ratio } = await measureWorkerStart(workerPairs)
    for (const [name, values] of ms) {
      const sorted = [...values].sort((a, b) => a - b)
      const median = sorted[Math.floor(sorted.length / 2)] ?? Number.NaN
      console.log(
        `  ${name.padEnd(36)}median ${median.toFixed(1)} ms (min ${(sorted[0] ?? Number.NaN).toFixed(1)}, max ${(sorted.at(-1) ?? Number.NaN).toFixed(1)})`,
      )
    }
    console.log(
      `  ${KERNEL_WORKER} / ${BARE_WORKER}: paired ratio median ${ratio.median.toFixed(2)}× (${ratio.min.toFixed(2)}–${ratio.max.toFixed(2)})`,
    )
    target(`${KERNEL_WORKER} start / ${BARE_WORKER}`, ratio.median, 1.2, false)
  }
  if (groups.has('cpu')) {
    console.log(
      `\nsha256 of 1 MiB buffers, ${cpuRounds} interleaved rounds of 256 items (what 2 threads get on this machine):`,
    )
    for (const line of describeCpu(await measureCpu(cpuRounds))) console.log(line)
  }
} finally {
  await world.close()
}
console.log(`\nTargets (load average now ${load()}):`)
for (const line of targets) console.log(line)
