/**
 * The page of a merged report (`report a.json b.json …`): the question; first,
 * where the answer changes between the environments, each environment's own
 * answer with its intervals beside the others (merge.ts); then one chart per
 * workload of every variant in every environment at the compared point, with
 * the same chart split by environment behind it; the curves, each split by
 * environment; and the environments themselves. Every ratio on it is one
 * environment's own, from its own file. Styles are the single report's,
 * inline and allowed by hash; the page runs no script and makes no request.
 */
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { formatBytes, type WorkloadId } from '@arena/core'
import type { ChartView } from './charts.ts'
import type { MergedEnvironment } from './environments.ts'
import { html, markup, type Trusted, trusted } from './escape.ts'
import type { WorkloadChange } from './merge.ts'

// The single report's styles, and the merged answers' table: on a phone it scrolls in its own
// box rather than squeezing a column to a letter a line.
const css = [
  ...['./style.css', './style-details.css'].map((file) =>
    readFileSync(new URL(file, import.meta.url), 'utf8'),
  ),
  'table.merged-answers th, table.merged-answers td { min-width: 8em; }',
  'table.merged-answers td.num { white-space: normal; }',
].join('\n')
const hash = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`

/** The merged page's policy: nothing from anywhere but its own style (by hash) and data: images. */
export const mergedContentSecurityPolicy = `default-src 'none'; style-src ${hash(css)}; img-src data:; base-uri 'none'; form-action 'none'`

/** A chart drawn for one workload: every environment at once, and each on its own. */
export interface MergedOverview {
  readonly workload: WorkloadId
  readonly title: string
  readonly svg?: string
  readonly split: readonly {
    readonly env: MergedEnvironment
    readonly svg?: string
    readonly title: string
  }[]
}

/** Everything drawn at build time that the merged page inlines. */
export interface MergedDrawn {
  readonly overviews: readonly MergedOverview[]
  /** Each environment's curves. */
  readonly curves: readonly {
    readonly env: MergedEnvironment
    readonly views: readonly ChartView[]
  }[]
}

const RATIO_NOTE =
  'Every ratio and interval here is taken between variants of one environment, from its own results file; throughputs of different environments are set side by side, never divided, since their machines and runtimes differ in more than the model.'

function changesSection(changes: readonly WorkloadChange[]): Trusted {
  return html`<section id="changes" aria-labelledby="changes-heading"><h2 id="changes-heading">Where the answer changes</h2><p class="note">${RATIO_NOTE}</p><ul class="answers">${changes.map(
    (c) =>
      html`<li data-workload="${c.workload}" data-verdict="${c.verdict}"><strong class="work">${c.title}.</strong> <span class="use">${c.text}</span>
<div class="scroll" tabindex="0" role="region" aria-label="${c.title}: the answer per environment"><table class="merged-answers"><thead><tr><th scope="col">where</th><th scope="col">use</th><th scope="col">its throughput [95% CI]</th><th scope="col">how sure, within it</th></tr></thead><tbody>${c.answers.map(
        (a) =>
          html`<tr data-env="${a.env.id}"><th scope="row">${a.env.name}</th>${
            a.answer
              ? html`<td>${a.answer.use}${a.lost.length > 0 ? html`<br><span class="note">${a.lost.join('; ')}</span>` : ''}</td><td class="num">${a.best ?? '–'}</td><td>${a.answer.sure}</td>`
              : html`<td colspan="3" class="note">${a.lost.length > 0 ? `verified none of it: ${a.lost.join('; ')}` : 'not measured here'}</td>`
          }</tr>`,
      )}</tbody></table></div></li>`,
  )}</ul></section>`
}

function overviewSection(views: readonly MergedOverview[]): Trusted {
  return html`<section id="overview" aria-label="Every variant in every environment at each workload's compared point"><div class="overview">${views.map(
    (v) =>
      html`<figure id="overview--${v.workload}" data-workload="${v.workload}" class="overview-chart"><figcaption>${v.title}</figcaption>${v.svg ? trusted(v.svg) : html`<p class="note">no verified cell to draw</p>`}<details class="split"><summary>Split by environment</summary>${v.split.map(
        (s) =>
          html`<figure id="overview--${v.workload}--${s.env.id}" data-env="${s.env.id}"><figcaption>${s.env.name}: ${s.title}</figcaption>${s.svg ? trusted(s.svg) : html`<p class="note">not measured here</p>`}</figure>`,
      )}</details></figure>`,
  )}</div><p class="note key">Dot: median throughput; bar: its 95% interval; hollow dot and dashed bar: a tuned variant. Each variant's environments are next to each other; split, each environment has its own scale and its verified ceiling dotted.</p></section>`
}

function curvesSection(drawn: MergedDrawn): Trusted {
  const byChart = new Map<string, { title: string; workload: string; figures: Trusted[] }>()
  for (const { env, views } of drawn.curves)
    for (const view of views.filter((v) => v.sweep)) {
      const key = `${view.workload}/${view.title}`
      const entry = byChart.get(key) ?? { title: view.title, workload: view.workload, figures: [] }
      entry.figures.push(
        html`<figure id="${env.id}--${view.id}" data-env="${env.id}" data-chart="${view.chartId}" class="curve"><figcaption>${env.name}</figcaption>${view.svg ? trusted(view.svg) : html`<p class="note">${view.missing ?? ''}</p>`}${view.notes.length > 0 ? html`<ul class="marks">${view.notes.map((n) => html`<li>${n}</li>`)}</ul>` : ''}</figure>`,
      )
      byChart.set(key, entry)
    }
  if (byChart.size === 0)
    return html`<section id="curves"><h2>How each model's throughput grows</h2><p class="note">No environment swept a setting at three values or more, so there is no curve to draw.</p></section>`
  return html`<section id="curves"><h2>How each model's throughput grows, split by environment</h2>${[
    ...byChart.values(),
  ].map(
    (c) =>
      html`<section data-workload="${c.workload}" class="workload-curves"><h3>${c.title}</h3><div class="charts">${c.figures}</div></section>`,
  )}</section>`
}

function environmentsSection(envs: readonly MergedEnvironment[]): Trusted {
  return html`<section id="environments"><h2>The environments</h2><div class="scroll" tabindex="0" role="region" aria-label="The environments"><table><thead><tr><th scope="col">name</th><th scope="col">runtime of the children</th><th scope="col">mock world</th><th scope="col">machine</th><th scope="col">harness</th><th scope="col">run</th></tr></thead><tbody>${envs.map(
    (env) => {
      const e = env.results.environment
      const world = e.runtime?.world
      return html`<tr data-env="${env.id}"><th scope="row">${env.name}</th><td>${e.runtime ? `${e.runtime.name} ${e.runtime.version}` : `node ${e.node}`}</td><td>${world ? `${world.name} ${world.version}${world.fallback ? ` (${world.fallback})` : ''}` : 'the harness’s Node'}</td><td>${e.cpuModel}, ${e.cores} cores, ${formatBytes(e.memoryBytes)}; ${e.os}, kernel ${e.kernel}</td><td>Node ${e.node}, commit ${e.gitCommit.slice(0, 12)}${e.gitDirty ? ' (uncommitted changes)' : ''}</td><td>${env.results.profile} run ${env.results.runId}, seed ${env.results.seed}; ${env.source}</td></tr>`
    },
  )}</tbody></table></div></section>`
}

/** Builds the whole merged page. */
export function renderMergedPage(
  envs: readonly MergedEnvironment[],
  changes: readonly WorkloadChange[],
  drawn: MergedDrawn,
): string {
  const page = html`<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${mergedContentSecurityPolicy}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Concurrency Arena — ${envs.length} environments</title>
<style>${trusted(css)}</style></head>
<body><main>
<header><h1>Which concurrency model for which work — and does it hold elsewhere?</h1>
<p class="meta">${envs.length} environments: ${envs.map((e) => e.name).join(', ')}. Medians of runs whose every answer was verified; intervals are 95% bootstrap intervals.</p></header>
${changesSection(changes)}
${overviewSection(drawn.overviews)}
${curvesSection(drawn)}
${environmentsSection(envs)}
</main></body></html>
`
  return markup(page)
}
