/**
 * Two runs side by side: each verified speed cell present in both, this run's
 * throughput against the other's, through core's `compareCells`, with its
 * significance in words.
 */
import { compareCells, type Results } from '@arena/core'
import { okCells } from './cells.ts'
import { type RatioView, ratioView, significanceWording } from './ratios.ts'

/** One cell compared with the same cell in another run. */
export interface ComparisonRow {
  readonly cellId: string
  /** Median items per second in the other run and in this one. */
  readonly before: number
  readonly after: number
  readonly ratio: RatioView
  readonly wording: string
}

/** Each speed cell verified in both runs, `after` against `before`. */
export function compareRuns(after: Results, before: Results): ComparisonRow[] {
  const old = new Map(okCells(before, 'speed').map((c) => [c.id, c]))
  return okCells(after, 'speed').flatMap((cell) => {
    const previous = old.get(cell.id)
    if (!previous) return []
    const ratio = ratioView(compareCells(cell, previous, after.seed))
    return [
      {
        cellId: cell.id,
        before: previous.stats.medianItemsPerSecond,
        after: cell.stats.medianItemsPerSecond,
        ratio,
        wording: significanceWording(ratio.value, ratio.low, ratio.high, ratio.significant),
      },
    ]
  })
}
