/**
 * Builds the report: reads and validates a results file (and optionally a
 * second one to compare with), computes the view, renders the charts and
 * writes one HTML file.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { parseResults, type Results } from '@arena/core/results'
import { charts } from './charts.ts'
import { renderPage } from './page.ts'
import { compareRuns } from './view-model.ts'

/** Reads and validates a results file; one sentence on what is wrong otherwise. */
export function loadResults(path: string): Results {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (error) {
    throw new Error(
      `Cannot read the results file ${path} (${(error as NodeJS.ErrnoException).code ?? 'unreadable'}); run the benchmark first: pnpm turbo bench`,
    )
  }
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch {
    throw new Error(`The results file ${path} is not valid JSON`)
  }
  try {
    return parseResults(data)
  } catch (error) {
    throw new Error(`The results file ${path} cannot be used: ${(error as Error).message}`)
  }
}

/** Builds the page from `results` (compared with `previous`, if given) into `out`; returns its size in bytes. */
export async function buildReport(
  results: Results,
  out: string,
  previous?: Results,
): Promise<number> {
  const page = renderPage(
    results,
    await charts(results),
    previous ? { rows: compareRuns(results, previous), other: previous } : undefined,
  )
  mkdirSync(dirname(out), { recursive: true })
  writeFileSync(out, page)
  return Buffer.byteLength(page)
}
