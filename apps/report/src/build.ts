/**
 * Builds the report: reads and validates a results file (and optionally a
 * second one to compare with), computes the view, draws the first screen's
 * charts, the curves and the robustness bars, and writes one HTML file.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { type Results, readResultsFile } from '@arena/core/results'
import { charts } from './charts.ts'
import { compareRuns } from './compare.ts'
import { overviews } from './overview-chart.ts'
import { renderPage } from './page.ts'
import { robustness } from './robustness-chart.ts'

/** Reads and validates a results file: core's one reader, shared with the harness. */
export const loadResults = readResultsFile

/** Builds the page from `results` (compared with `previous`, if given) into `out`; returns its size in bytes. */
export async function buildReport(
  results: Results,
  out: string,
  previous?: Results,
): Promise<number> {
  const [overviewViews, curves, outcomes] = await Promise.all([
    overviews(results),
    charts(results),
    robustness(results),
  ])
  const page = renderPage(
    results,
    { overviews: overviewViews, curves, robustness: outcomes },
    previous ? { rows: compareRuns(results, previous), other: previous } : undefined,
  )
  mkdirSync(dirname(out), { recursive: true })
  writeFileSync(out, page)
  return Buffer.byteLength(page)
}
