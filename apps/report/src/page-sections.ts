/**
 * The page's sections other than the results tables: the verdict, the
 * speed-up over no concurrency, the charts, the code side by side, the
 * comparison with another run and the environment. Each takes its view and
 * returns escaped markup (see escape.ts).
 */
import { formatBytes, type Results } from '@arena/core'
import type { ChartView } from './charts.ts'
import type { CodeView } from './code.ts'
import type { ComparisonRow } from './compare.ts'
import { html, type Trusted, trusted } from './escape.ts'
import { num } from './page-tables.ts'
import type { SpeedupView } from './speedups.ts'
import type { VerdictView } from './verdicts.ts'

/** The verdict: per workload, the stored lesson and the stored ratios against the baseline. */
export function verdictSection(results: Results, list: readonly VerdictView[]): Trusted {
  return html`<section id="verdict"><h2>Verdict</h2><p class="note">Each workload's lesson as the harness drew it from this run, then each idiomatic variant against the baseline <strong>${results.baseline}</strong>, from the stored ratios of verified speed cells (significant where the 95% interval excludes 1); tuned variants are in the tables.</p>
<table class="verdict"><thead><tr><th scope="col">work</th><th scope="col">verdict</th></tr></thead><tbody>${list.map(
    (v) =>
      html`<tr data-workload="${v.workload}"><td>${v.title}</td><td>${v.lesson ? html`<p class="lesson">${v.lesson}</p>` : ''}<ul class="comparisons">${v.comparisons.map((c) => html`<li>${c}</li>`)}</ul>${v.failed > 0 ? html`<p class="note">${v.failed} cell(s) of this workload failed; the tables give the reasons.</p>` : ''}</td></tr>`,
  )}</tbody></table></section>`
}

/** The speed-up over the no-concurrency reference, when one ran. */
export function speedupSection(view: SpeedupView | undefined): Trusted | '' {
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

/** Every figure, as inline SVG, or the reason it could not be drawn. */
export function chartsSection(views: readonly ChartView[]): Trusted {
  return html`<section id="charts"><h2>Charts</h2><p class="note">Medians of verified speed cells; each line a variant, the dashed line the verified ceiling of those points where the run measured one.</p><div class="charts">${views.map(
    (c) =>
      html`<figure id="${c.id}" data-chart="${c.chartId}" data-workload="${c.workload}"><figcaption>${c.title}</figcaption>${c.svg ? trusted(c.svg) : html`<p class="note">${c.missing}</p>`}</figure>`,
  )}</div></section>`
}

/** Each contestant's source of each workload, side by side. */
export function codeSection(views: readonly CodeView[]): Trusted {
  return html`<section id="code"><h2>The code, side by side</h2><p class="note">Each contestant's orchestration code for the workload, as it ran; counts exclude blank and comment lines.</p>${views.map(
    (v) =>
      html`<section data-workload="${v.workload.id}"><h3>${v.workload.title}${v.workload.sourceFile ? html` <span class="note">— ${v.workload.sourceFile}</span>` : ''}</h3><div class="code">${v.entries.map(
        (e) =>
          html`<figure data-impl-code="${e.implementation}"><figcaption>${e.title} — ${e.lines} lines of code</figcaption><pre><code>${e.source}</code></pre></figure>`,
      )}</div></section>`,
  )}</section>`
}

/** The machine, software and run. */
export function environmentSection(results: Results): Trusted {
  const e = results.environment
  const entries: [string, string][] = [
    ['Node / V8', `${e.node} / ${e.v8}`],
    ['CPU', `${e.cpuModel}, ${e.cores} cores`],
    ['Memory', formatBytes(e.memoryBytes)],
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
  return html`<section id="environment"><h2>Environment</h2><dl class="env">${entries.map(([k, v]) => html`<dt>${k}</dt><dd>${v}</dd>`)}</dl></section>`
}

/** This run against another, cell by cell. */
export function comparisonSection(
  rows: readonly ComparisonRow[] | undefined,
  other: Results | undefined,
): Trusted | '' {
  if (!rows || !other) return ''
  return html`<section id="comparison"><h2>Compared with run ${other.runId}</h2><p class="note">Throughput of this run against the other, per verified speed cell present in both; significant only where the 95% interval of the ratio excludes 1.</p>
<table><thead><tr><th scope="col">cell</th><th scope="col">before items/s</th><th scope="col">now items/s</th><th scope="col">change</th></tr></thead><tbody>${rows.map(
    (r) =>
      html`<tr><td>${r.cellId}</td><td class="num">${num(r.before)}</td><td class="num">${num(r.after)}</td><td class="num tone-${r.ratio.tone}">${r.wording}</td></tr>`,
  )}</tbody></table></section>`
}
