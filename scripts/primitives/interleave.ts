/**
 * Interleaved rounds for the primitives benchmark: every tool of a group runs
 * once per round, in an order that rotates from round to round, after one
 * uncounted warm-up round; each answer is checked before its time counts.
 * A tool's ratio to the group's reference is the median of its per-round
 * ratios, which a busy machine (other processes come and go) disturbs less
 * than a ratio of medians. Each run also records the CPU time this process
 * spent on it (user + system): on a shared machine the wall clock measures
 * the neighbours too, while CPU per item measures the code.
 */
import { performance } from 'node:perf_hooks'
import { medianOf } from '../../packages/core/src/index.ts'

/** A named thing to time: resolves with its answer, which `check` judges. */
export type Tools = Readonly<Record<string, () => Promise<unknown>>>

/** One tool's counted rounds: wall-clock seconds and this process's CPU seconds, per round. */
export interface Samples {
  readonly seconds: number[]
  readonly cpuSeconds: number[]
}

/** Samples by tool, in the order the tools were given. */
export type Timings = ReadonlyMap<string, Samples>

/** Runs `rounds` counted rounds (plus one warm-up) of every tool; throws on a wrong answer. */
export async function interleave(
  tools: Tools,
  rounds: number,
  check: (tool: string, answer: unknown) => void,
): Promise<Timings> {
  const names = Object.keys(tools)
  const timings = new Map<string, Samples>(
    names.map((name) => [name, { seconds: [], cpuSeconds: [] }]),
  )
  for (let round = -1; round < rounds; round++) {
    for (let k = 0; k < names.length; k++) {
      const name = names[(k + Math.max(0, round)) % names.length] as string
      const cpu = process.cpuUsage()
      const start = performance.now()
      const answer = await (tools[name] as () => Promise<unknown>)()
      const elapsed = (performance.now() - start) / 1000
      const { user, system } = process.cpuUsage(cpu)
      check(name, answer)
      if (round < 0) continue
      timings.get(name)?.seconds.push(elapsed)
      timings.get(name)?.cpuSeconds.push((user + system) / 1e6)
    }
  }
  return timings
}

/** A ratio's median and range over rounds. */
export interface Ratio {
  readonly median: number
  readonly min: number
  readonly max: number
}

/**
 * Speed of `tool` relative to `reference` (> 1: faster), by the wall clock or
 * by CPU time: the median and range of per-round ratios.
 */
export function speedRatio(
  timings: Timings,
  tool: string,
  reference: string,
  clock: keyof Samples = 'seconds',
): Ratio {
  const mine = timings.get(tool)?.[clock] ?? []
  const theirs = timings.get(reference)?.[clock] ?? []
  const ratios = mine.map((seconds, i) => (theirs[i] ?? Number.NaN) / seconds)
  return {
    median: medianOf(ratios) ?? Number.NaN,
    min: Math.min(...ratios),
    max: Math.max(...ratios),
  }
}

/** One line per tool: its median rate (or time) with the range, and its speed relative to `reference`. */
export function describeTimings(
  timings: Timings,
  reference: string,
  items: number,
  unit: 'rate' | 'time',
): string[] {
  const ratio = (r: Ratio) => `${r.median.toFixed(2)}× (${r.min.toFixed(2)}–${r.max.toFixed(2)})`
  const lines = [
    `  ${'tool'.padEnd(36)}${'wall clock'.padEnd(26)}${'speed'.padEnd(20)}${'CPU µs/item'.padEnd(22)}by CPU`,
  ]
  for (const [name, { seconds, cpuSeconds }] of timings) {
    const median = medianOf(seconds) ?? Number.NaN
    const low = Math.min(...seconds)
    const high = Math.max(...seconds)
    const wall =
      unit === 'rate'
        ? `${Math.round(items / median)}/s (${Math.round(items / high)}–${Math.round(items / low)})`
        : `${median.toFixed(3)} s (${low.toFixed(3)}–${high.toFixed(3)})`
    const perItem = (s: number) => ((s / items) * 1e6).toFixed(1)
    const cpu = `${perItem(medianOf(cpuSeconds) ?? Number.NaN)} (${perItem(Math.min(...cpuSeconds))}–${perItem(Math.max(...cpuSeconds))})`
    const [bySpeed, byCpu] =
      name === reference
        ? ['reference', 'reference']
        : [
            ratio(speedRatio(timings, name, reference)),
            ratio(speedRatio(timings, name, reference, 'cpuSeconds')),
          ]
    lines.push(
      `  ${name.padEnd(36)}${wall.padEnd(26)}${bySpeed.padEnd(20)}${cpu.padEnd(22)}${byCpu}`,
    )
  }
  return lines
}
