/**
 * Small wordings the page shares: a ceiling's name (the title of the tool's
 * variant when the file lists the ceiling as a contestant, else its tool
 * without the `ceiling/` prefix), a ratio with its interval, a factor as a
 * share or a multiple, the number of runs behind a figure, a pool's size.
 */
import { type Ceiling, formatNumber, type Results } from '@arena/core'

/** A ceiling's tool, readably: `nmap`, `default`, or the listed tool's title. */
export function ceilingName(results: Results, ceiling: Pick<Ceiling, 'tool'>): string {
  const [owner, id] = ceiling.tool.split('/')
  const listed = results.contestants
    .find((c) => c.id === owner)
    ?.variants.find((v) => v.id === id)?.title
  return listed ?? ceiling.tool.replace(/^ceiling\//, '')
}

const two = (x: number) => formatNumber(x, 2)

/** `2.00× [1.96–2.04]`. */
export function timesText(value: number, ci: readonly [number, number]): string {
  return `${two(value)}× [${two(ci[0])}–${two(ci[1])}]`
}

/** A spread between two rates (≥ 1) in words: `3%` below 1.5×, else `2.4×`. */
export function spreadText(spread: number): string {
  return spread < 1.5 ? `${formatNumber((spread - 1) * 100)}%` : `${formatNumber(spread, 1)}×`
}

/** `7 runs` / `1 run`. */
export function runsText(n: number): string {
  return `${formatNumber(n)} run${n === 1 ? '' : 's'}`
}

/** `1 worker thread`, `2 worker threads`. */
export function threadsText(n: number): string {
  return `${formatNumber(n)} worker thread${n === 1 ? '' : 's'}`
}
