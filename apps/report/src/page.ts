/**
 * The page: one self-contained HTML file built from a results file. Every
 * string from the file is escaped (see escape.ts); styles and the one script
 * are inline and allowed by their hashes in a strict Content-Security-Policy,
 * so the page makes no request at all and works opened straight from disk.
 */
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import type { Results } from '@arena/core'
import { workloadIds } from '@arena/core'
import type { ChartView } from './charts.ts'
import { html, jsonForScript, markup, type Trusted, trusted } from './escape.ts'
import {
  baselineChoices,
  type ComparisonRow,
  codeLines,
  type RowView,
  type SpeedupView,
  speedups,
  tableRows,
  type VerdictView,
  verdicts,
  warnings,
  workloadTitles,
} from './view-model.ts'

const css = readFileSync(new URL('./style.css', import.meta.url), 'utf8')
const client = readFileSync(new URL('./client.js', import.meta.url), 'utf8')
const hash = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`

/** The policy: nothing from anywhere, except this page's own style and script (by hash) and data: images. */
export const contentSecurityPolicy = `default-src 'none'; style-src ${hash(css)}; script-src ${hash(client)}; img-src data:; base-uri 'none'; form-action 'none'`

const num = (x: number | undefined, digits = 0) =>
  x === undefined
    ? '–'
    : x.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits })

const COLUMNS = [
  'variant',
  'point',
  'items/s (median)',
  '95% CI',
  'vs baseline',
  '% of ceiling',
  'MB/s',
  'CPU ms',
  'peak RSS MiB',
  'loop p99 ms',
  'latency p50/p99 ms',
  'outcomes',
  '× timeout',
  'left over',
  'check',
]

function row(r: RowView): Trusted {
  const label = html`${r.variantTitle}<br><span class="note">${r.variantKey}</span>${r.kind === 'tuned' ? html` <span class="tuned">tuned</span>` : ''}`
  if (r.status === 'failed') {
    return html`<tr class="failed" data-impl="${r.implementation}" data-kind="${r.kind}"><td>${label}</td><td class="point">${r.pointId}</td><td colspan="12">failed — ${r.failure}</td><td><span class="badge failed">failed</span></td></tr>`
  }
  const ci = r.ciItemsPerSecond
  return html`<tr data-impl="${r.implementation}" data-kind="${r.kind}">
<td>${label}</td><td class="point" title="${r.pointLabel}">${r.pointId}</td>
<td class="num" data-value="${r.itemsPerSecond}">${num(r.itemsPerSecond)}</td>
<td class="num" data-value="${r.halfWidthPercent}">${ci ? `${num(ci[0])}–${num(ci[1])}` : '–'} (±${num(r.halfWidthPercent, 1)}%, n=${r.n}${r.outliers ? `, ${r.outliers} outlier${r.outliers > 1 ? 's' : ''}` : ''})</td>
<td class="num ratio" data-ratio="${r.cellId}">–</td>
<td class="num" data-value="${r.percentOfCeiling}">${r.percentOfCeiling === undefined ? '–' : `${num(r.percentOfCeiling)}%`}</td>
<td class="num" data-value="${r.megabytesPerSecond}">${num(r.megabytesPerSecond, 1)}</td>
<td class="num" data-value="${r.cpuMs}">${num(r.cpuMs)}</td>
<td class="num" data-value="${r.peakRssMiB}">${num(r.peakRssMiB)}</td>
<td class="num" data-value="${r.loopDelayP99Ms}">${num(r.loopDelayP99Ms, 1)}</td>
<td class="num" data-value="${r.latencyP50Ms}">${r.latencyP50Ms === undefined ? '–' : `${num(r.latencyP50Ms, 2)} / ${num(r.latencyP99Ms, 2)}`}</td>
<td class="outcomes">${r.outcomes}</td>
<td class="num" data-value="${r.timeoutMultiple}">${num(r.timeoutMultiple, 2)}</td>
<td class="num" data-value="${r.leftOver}">${r.leftOver === undefined ? '–' : num(r.leftOver)}</td>
<td><span class="badge ok">verified</span></td></tr>`
}

function table(rows: readonly RowView[]): Trusted {
  return html`<table class="results"><thead><tr>${COLUMNS.map((c, i) => html`<th scope="col"><button type="button" data-column="${i}">${c}</button></th>`)}</tr></thead><tbody>${rows.map(row)}</tbody></table>`
}

function verdictTable(list: readonly VerdictView[]): Trusted {
  return html`<table class="verdict"><thead><tr><th>work</th><th>verdict</th></tr></thead><tbody>${list.map(
    (v) =>
      html`<tr data-workload="${v.workload}"><td>${v.title}</td><td><strong>${v.winner ? `${v.winner}. ` : ''}</strong>${v.text}<br><span class="lesson">${v.lesson}</span></td></tr>`,
  )}</tbody></table>`
}

function speedupSection(view: SpeedupView | undefined): Trusted | '' {
  if (!view) return ''
  return html`<section id="speedups"><h2>Speed-up over no concurrency</h2><p class="note">How many times the throughput of <strong>${view.referenceTitle}</strong> (${view.reference}: one item at a time, hashing on the event loop) each variant reaches on the same point, with its 95% interval — the course's "before" picture.</p>${view.workloads.map(
    (w) =>
      html`<section data-workload="${w.workload}"><h3>${w.title}</h3><table class="speedups"><thead><tr><th scope="col">variant</th>${w.points.map((p) => html`<th scope="col" title="${p.label}">${p.id}</th>`)}</tr></thead><tbody>${w.rows.map(
        (r) =>
          html`<tr data-impl="${r.variantKey.split('/')[0]}" data-kind="${r.kind}"><td>${r.variantTitle}<br><span class="note">${r.variantKey}</span>${r.kind === 'tuned' ? html` <span class="tuned">tuned</span>` : ''}</td>${w.points.map(
            (p) => {
              const ratio = r.ratios[p.id]
              return ratio
                ? html`<td class="num tone-${ratio.tone}">${ratio.text}</td>`
                : html`<td class="num">–</td>`
            },
          )}</tr>`,
      )}</tbody></table></section>`,
  )}</section>`
}

function codeSection(results: Results): Trusted {
  return html`${workloadIds.map((workload) => {
    const entries = results.contestants.filter((c) => c.sources[workload] !== undefined)
    if (entries.length === 0) return ''
    return html`<section data-workload="${workload}"><h3>${workloadTitles[workload]}</h3><div class="code">${entries.map(
      (c) =>
        html`<figure data-impl-code="${c.id}"><figcaption>${c.title} — ${codeLines(c.sources[workload] ?? '')} lines of code</figcaption><pre><code>${c.sources[workload]}</code></pre></figure>`,
    )}</div></section>`
  })}`
}

function environment(results: Results): Trusted {
  const e = results.environment
  const entries: [string, string][] = [
    ['Node / V8', `${e.node} / ${e.v8}`],
    ['CPU', `${e.cpuModel}, ${e.cores} cores`],
    ['Memory', `${num(e.memoryBytes / 2 ** 30, 1)} GiB`],
    ['OS', `${e.os}, kernel ${e.kernel}`],
    [
      'Versions',
      Object.entries(e.packages)
        .map(([k, v]) => `${k} ${v}`)
        .join(', '),
    ],
    ['Commit', `${e.gitCommit}${e.gitDirty ? ' (uncommitted changes)' : ''}`],
    ['Profile / seed', `${results.profile} / ${results.seed}`],
    ['Run', `${results.runId}: ${results.startedAt} → ${results.finishedAt}`],
    ['Baseline', results.baseline + (results.aa ? ` (A/A run of ${results.aa})` : '')],
  ]
  return html`<dl class="env">${entries.map(([k, v]) => html`<dt>${k}</dt><dd>${v}</dd>`)}</dl>`
}

function comparisonSection(
  rows: readonly ComparisonRow[] | undefined,
  other: Results | undefined,
): Trusted | '' {
  if (!rows || !other) return ''
  return html`<section id="comparison"><h2>Compared with run ${other.runId}</h2><p class="note">Throughput of this run against the other, per cell present in both; significant only where the 95% interval of the ratio excludes 1.</p>
<table><thead><tr><th>cell</th><th>before items/s</th><th>now items/s</th><th>change</th></tr></thead><tbody>${rows.map(
    (r) =>
      html`<tr><td>${r.cellId}</td><td class="num">${num(r.before)}</td><td class="num">${num(r.after)}</td><td class="num tone-${r.ratio.tone}">${r.wording}</td></tr>`,
  )}</tbody></table></section>`
}

/** Builds the whole page. */
export function renderPage(
  results: Results,
  chartViews: readonly ChartView[],
  comparison?: { rows: ComparisonRow[]; other: Results },
): string {
  const rows = tableRows(results)
  const baselines = baselineChoices(results)
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
  const present = workloadIds.filter((w) => results.cells.some((c) => c.workload === w))
  const sections = [...new Set(results.cells.map((c) => c.section))]
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
<label>Baseline <select id="baseline">${baselines.map((b) => html`<option value="${b}">${b}</option>`)}</select></label>
<fieldset><legend>Contestants</legend>${impls.map((i) => html`<label><input type="checkbox" data-filter="impl" value="${i}" checked> ${i}</label>`)}</fieldset>
<fieldset><legend>Workloads</legend>${present.map((w) => html`<label><input type="checkbox" data-filter="workload" value="${w}" checked> ${w}</label>`)}</fieldset>
<fieldset><legend>Variants</legend><label><input type="checkbox" data-filter="kind" value="idiomatic" checked> idiomatic</label><label><input type="checkbox" data-filter="kind" value="tuned" checked> tuned</label></fieldset>
</nav>
${warnings(results).length ? html`<ul class="warnings">${warnings(results).map((w) => html`<li>${w}</li>`)}</ul>` : ''}
<section id="verdict"><h2>Verdict</h2>${verdictTable(verdicts(results))}</section>
${speedupSection(speedups(results))}
${sections.map(
  (
    section,
  ) => html`<section id="tables-${section}"><h2>${section === 'speed' ? 'Results per workload' : `${section[0]?.toUpperCase()}${section.slice(1)}`}</h2>
<p class="note">Ratios are throughput against the baseline <strong data-baseline-label>${results.baseline}</strong> on the same point (&gt; 1 is faster); green is significantly faster, red significantly slower, no colour means the interval includes 1. Latency is server-side, from request to the end of the response.</p>
${present.map((w) => {
  const list = rows.filter((r) => r.workload === w && r.section === section)
  if (list.length === 0) return ''
  const ceilings = results.ceilings.filter((c) => c.workload === w)
  return html`<section data-workload="${w}"><h3>${workloadTitles[w]}</h3>${ceilings.length ? html`<p class="note">Ceilings: ${ceilings.map((c) => `${c.pointId} ${c.available ? `${num(c.itemsPerSecond)} items/s` : 'unavailable'} (${c.note})`).join('; ')}</p>` : ''}${table(list)}</section>`
})}</section>`,
)}
<section id="charts"><h2>Charts</h2><div class="charts">${chartViews.map(
    (c) =>
      html`<figure id="${c.id}"><figcaption>${c.title}</figcaption>${c.svg ? trusted(c.svg) : html`<p class="note">${c.missing}</p>`}</figure>`,
  )}</div></section>
<section id="code"><h2>The code, side by side</h2><p class="note">Each contestant's orchestration code for the workload, as it ran; counts exclude blank and comment lines.</p>${codeSection(results)}</section>
${comparisonSection(comparison?.rows, comparison?.other)}
<section id="environment"><h2>Environment</h2>${environment(results)}</section>
<script type="application/json" id="ratio-data">${trusted(jsonForScript(ratioData))}</script>
<script>${trusted(client)}</script>
</body></html>
`
  return markup(page)
}
