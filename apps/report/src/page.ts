/**
 * The page: one self-contained HTML file built from a results file, in the
 * order a reader needs it — the answer per kind of work and one chart per
 * workload on the first screen, then the curves, threads against processes,
 * then the details (verdict,
 * tables collapsed, robustness outcomes, the code side by side, the
 * environment). Every string from the file is escaped (see escape.ts);
 * styles and the one script are inline and allowed by their hashes in a
 * strict Content-Security-Policy, so the page makes no request at all and
 * works opened straight from disk.
 */
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import type { Results } from '@arena/core'
import { answers } from './answers.ts'
import { workloadsOf } from './cells.ts'
import type { ChartView } from './charts.ts'
import { codeViews } from './code.ts'
import type { ComparisonRow } from './compare.ts'
import { html, jsonForScript, markup, type Trusted, trusted } from './escape.ts'
import { firstResults } from './first-results.ts'
import type { OverviewView } from './overview-chart.ts'
import { codeSection } from './page-code.ts'
import { curvesSection } from './page-curves.ts'
import { answerSection, cautionSection, header, overviewSection } from './page-first.ts'
import {
  comparisonSection,
  environmentSection,
  robustnessSection,
  speedupSection,
  verdictSection,
} from './page-sections.ts'
import { ceilingList, resultsTable } from './page-tables.ts'
import { firstResultsSection, workersSection } from './page-workers.ts'
import type { RobustnessView } from './robustness-chart.ts'
import { baselineChoices, type RowView, tableRows } from './rows.ts'
import { speedups } from './speedups.ts'
import { verdicts } from './verdicts.ts'
import { warnings } from './warnings.ts'
import { workersViews } from './workers-kind.ts'

const css = ['./style.css', './style-details.css']
  .map((file) => readFileSync(new URL(file, import.meta.url), 'utf8'))
  .join('\n')
const client = readFileSync(new URL('./client.js', import.meta.url), 'utf8')
const hash = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`

/** The policy: nothing from anywhere, except this page's own style and script (by hash) and data: images. */
export const contentSecurityPolicy = `default-src 'none'; style-src ${hash(css)}; script-src ${hash(client)}; img-src data:; base-uri 'none'; form-action 'none'`

const SPEED_NOTE =
  'Ratios are throughput against the chosen baseline on the same point (> 1 is faster): blue and ▲ significantly faster, orange and ▼ significantly slower, no colour when the interval includes 1. A share of the ceiling is given only against a verified ceiling. Server latency is the mock server’s, from request to the end of the response; client latency is each item’s, from its start to its outcome; first result is from the call’s start to its first outcome; start-up is open → ready, the cold call is open plus the first call.'

/** Everything drawn at build time that the page inlines. */
export interface Drawn {
  readonly overviews: readonly OverviewView[]
  readonly curves: readonly ChartView[]
  readonly robustness: readonly RobustnessView[]
}

function controls(results: Results): Trusted {
  const impls = [...new Set(results.cells.map((c) => c.implementation))]
  return html`<nav class="controls" aria-label="Table controls">
<label>Baseline <select id="baseline">${baselineChoices(results).map((b) => html`<option value="${b}">${b}</option>`)}</select></label>
<fieldset><legend>Contestants</legend>${impls.map((i) => html`<label><input type="checkbox" data-filter="impl" value="${i}" checked> ${i}</label>`)}</fieldset>
<fieldset><legend>Workloads</legend>${workloadsOf(results).map((w) => html`<label><input type="checkbox" data-filter="workload" value="${w.id}" checked> ${w.id}</label>`)}</fieldset>
<fieldset><legend>Variants</legend><label><input type="checkbox" data-filter="kind" value="idiomatic" checked> idiomatic</label><label><input type="checkbox" data-filter="kind" value="tuned" checked> tuned</label></fieldset>
</nav>`
}

/** Each workload's speed table, collapsed behind a summary of its cells. */
function speedTables(results: Results, rows: readonly RowView[]): Trusted {
  return html`<section id="tables-speed"><h3>Results per workload</h3><p class="note">${SPEED_NOTE}</p>${workloadsOf(
    results,
  ).map((w) => {
    const list = rows.filter((r) => r.workload === w.id && r.section === 'speed')
    if (list.length === 0) return ''
    const failed = list.filter((r) => r.status === 'failed').length
    return html`<details class="table" data-workload="${w.id}"><summary>${w.title}: ${list.length} cell${list.length === 1 ? '' : 's'}${failed > 0 ? `, ${failed} failed` : ''}</summary>${ceilingList(results, w)}${resultsTable('speed', list, `${w.title}: results`)}</details>`
  })}</section>`
}

function robustnessTable(results: Results, rows: readonly RowView[]): Trusted | '' {
  const list = rows.filter((r) => r.section === 'robustness')
  if (list.length === 0) return ''
  return html`<details class="table" id="tables-robustness"><summary>Robustness cells: ${list.length}</summary>${workloadsOf(
    results,
  ).map((w) => {
    const mine = list.filter((r) => r.workload === w.id)
    return mine.length === 0
      ? ''
      : html`<section data-workload="${w.id}"><h4>${w.title}</h4>${resultsTable('robustness', mine, `${w.title}: robustness`)}</section>`
  })}</details>`
}

/** Builds the whole page. */
export function renderPage(
  results: Results,
  drawn: Drawn,
  comparison?: { rows: ComparisonRow[]; other: Results },
): string {
  const rows = tableRows(results)
  const ratioData: Record<
    string,
    Record<string, { text: string; tone: string; value: number }>
  > = {}
  for (const r of rows) {
    ratioData[r.cellId] = Object.fromEntries(
      Object.entries(r.ratios).map(([k, v]) => [
        k,
        // Three decimals are all the page's sorting needs, and keep the file under its 1 MB.
        { text: v.marked, tone: v.tone, value: Math.round(v.value * 1000) / 1000 },
      ]),
    )
  }
  const page = html`<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Concurrency Arena — ${results.profile} run ${results.runId}</title>
<style>${trusted(css)}</style></head>
<body><main>
${header(results)}
${answerSection(answers(results))}
${overviewSection(drawn.overviews)}
${cautionSection(warnings(results))}
${curvesSection(results, drawn.curves)}
${workersSection(workersViews(results))}
<section id="details"><h2>Details</h2>
${controls(results)}
${verdictSection(results, verdicts(results))}
${speedupSection(speedups(results))}
${firstResultsSection(firstResults(results))}
${speedTables(results, rows)}
</section>
${robustnessSection(drawn.robustness, robustnessTable(results, rows))}
${codeSection(codeViews(results))}
${comparisonSection(comparison?.rows, comparison?.other)}
${environmentSection(results)}
</main>
<script type="application/json" id="ratio-data">${trusted(jsonForScript(ratioData))}</script>
<script>${trusted(client)}</script>
</body></html>
`
  return markup(page)
}
