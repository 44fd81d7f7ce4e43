/**
 * The page: one self-contained HTML file built from a results file. Every
 * string from the file is escaped (see escape.ts); styles and the one script
 * are inline and allowed by their hashes in a strict Content-Security-Policy,
 * so the page makes no request at all and works opened straight from disk.
 */
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import type { Results } from '@arena/core'
import { workloadsOf } from './cells.ts'
import type { ChartView } from './charts.ts'
import { codeViews } from './code.ts'
import type { ComparisonRow } from './compare.ts'
import { html, jsonForScript, markup, trusted } from './escape.ts'
import {
  chartsSection,
  codeSection,
  comparisonSection,
  environmentSection,
  speedupSection,
  verdictSection,
} from './page-sections.ts'
import { ceilingList, resultsTable } from './page-tables.ts'
import { baselineChoices, tableRows } from './rows.ts'
import { speedups } from './speedups.ts'
import { verdicts } from './verdicts.ts'
import { warnings } from './warnings.ts'

const css = readFileSync(new URL('./style.css', import.meta.url), 'utf8')
const client = readFileSync(new URL('./client.js', import.meta.url), 'utf8')
const hash = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`

/** The policy: nothing from anywhere, except this page's own style and script (by hash) and data: images. */
export const contentSecurityPolicy = `default-src 'none'; style-src ${hash(css)}; script-src ${hash(client)}; img-src data:; base-uri 'none'; form-action 'none'`

const SECTIONS = {
  speed: {
    heading: 'Results per workload',
    note: 'Ratios are throughput against the chosen baseline on the same point (> 1 is faster); green is significantly faster, red significantly slower, no colour means the interval includes 1. A share of the ceiling is given only against a verified ceiling. Latency is server-side, from request to the end of the response; start-up is open → ready, the cold call is open plus the first call.',
  },
  robustness: {
    heading: 'Robustness',
    note: 'Runs under injected faults, there to prove that every item ends with exactly one outcome: outcomes by kind, not speeds, and no interval for a single run.',
  },
} as const

/** Builds the whole page. */
export function renderPage(
  results: Results,
  chartViews: readonly ChartView[],
  comparison?: { rows: ComparisonRow[]; other: Results },
): string {
  const rows = tableRows(results)
  const ratioData: Record<
    string,
    Record<string, { text: string; tone: string; value: number }>
  > = {}
  for (const r of rows) {
    ratioData[r.cellId] = Object.fromEntries(
      Object.entries(r.ratios).map(([k, v]) => [k, { text: v.text, tone: v.tone, value: v.value }]),
    )
  }
  const impls = [...new Set(results.cells.map((c) => c.implementation))]
  const present = workloadsOf(results)
  const sections = (['speed', 'robustness'] as const).filter((s) =>
    results.cells.some((c) => c.section === s),
  )
  const alerts = warnings(results)
  const page = html`<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Concurrency Arena — ${results.profile} run ${results.runId}</title>
<style>${trusted(css)}</style></head>
<body>
<header><h1>Which concurrency model for which work?</h1>
<p class="meta">Concurrency Arena, ${results.profile} profile, ${results.finishedAt.slice(0, 10)}, on <strong>${results.environment.cores} cores</strong> (${results.environment.cpuModel}), Node ${results.environment.node}. Every number is the median of runs whose answers were verified item by item; intervals are 95% bootstrap intervals.</p></header>
<nav class="controls" aria-label="Table controls">
<label>Baseline <select id="baseline">${baselineChoices(results).map((b) => html`<option value="${b}">${b}</option>`)}</select></label>
<fieldset><legend>Contestants</legend>${impls.map((i) => html`<label><input type="checkbox" data-filter="impl" value="${i}" checked> ${i}</label>`)}</fieldset>
<fieldset><legend>Workloads</legend>${present.map((w) => html`<label><input type="checkbox" data-filter="workload" value="${w.id}" checked> ${w.id}</label>`)}</fieldset>
<fieldset><legend>Variants</legend><label><input type="checkbox" data-filter="kind" value="idiomatic" checked> idiomatic</label><label><input type="checkbox" data-filter="kind" value="tuned" checked> tuned</label></fieldset>
</nav>
${alerts.length ? html`<ul class="warnings">${alerts.map((w) => html`<li>${w}</li>`)}</ul>` : ''}
${verdictSection(results, verdicts(results))}
${speedupSection(speedups(results))}
${sections.map(
  (section) => html`<section id="tables-${section}"><h2>${SECTIONS[section].heading}</h2>
<p class="note">${SECTIONS[section].note}</p>
${present.map((w) => {
  const list = rows.filter((r) => r.workload === w.id && r.section === section)
  if (list.length === 0) return ''
  return html`<section data-workload="${w.id}"><h3>${w.title}</h3>${section === 'speed' ? ceilingList(results, w) : ''}${resultsTable(section, list)}</section>`
})}</section>`,
)}
${chartsSection(chartViews)}
${codeSection(codeViews(results))}
${comparisonSection(comparison?.rows, comparison?.other)}
${environmentSection(results)}
<script type="application/json" id="ratio-data">${trusted(jsonForScript(ratioData))}</script>
<script>${trusted(client)}</script>
</body></html>
`
  return markup(page)
}
