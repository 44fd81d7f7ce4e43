/**
 * The first screen: the question, the run in one line, the answer for each
 * kind of work (what to use, the measured reason, how sure — answers.ts),
 * one chart per workload of every variant at its central point, and the
 * cautions a reader must weigh before trusting any of it.
 */
import type { Results } from '@arena/core'
import type { Answer } from './answers.ts'
import { html, type Trusted, trusted } from './escape.ts'
import type { OverviewView } from './overview-chart.ts'

/** The page's header: the question and the run it is answered from. */
export function header(results: Results): Trusted {
  const e = results.environment
  return html`<header><h1>Which concurrency model for which work?</h1>
<p class="meta">${results.profile} run of ${results.finishedAt.slice(0, 10)} on ${e.cores} cores (${e.cpuModel}), ${e.runtime && e.runtime.name !== 'node24' ? `${e.runtime.name} ${e.runtime.version} (the harness on Node ${e.node})` : `Node ${e.node}`}. Medians of runs whose every answer was verified; intervals are 95% bootstrap intervals.</p></header>`
}

/** One line per kind of work. */
export function answerSection(list: readonly Answer[]): Trusted {
  return html`<section id="answer" aria-labelledby="answer-heading"><h2 id="answer-heading" class="visually-hidden">The answer, from this run</h2><ul class="answers">${list.map(
    (a) =>
      html`<li data-workload="${a.workload}" data-factor="${a.factor ?? ''}"><strong class="work">${a.title}.</strong> <span class="use">${a.use}</span> <span class="why">${a.why}</span> <span class="sure">${a.sure}</span></li>`,
  )}</ul></section>`
}

/** One chart per workload: every variant at the central point. */
export function overviewSection(views: readonly OverviewView[]): Trusted {
  return html`<section id="overview" aria-label="Every variant at each workload's central point"><div class="overview">${views.map(
    (v) =>
      html`<figure id="${v.id}" data-workload="${v.workload}" class="overview-chart"><figcaption>${v.title}</figcaption>${v.svg ? trusted(v.svg) : html`<p class="note">${v.missing}</p>`}</figure>`,
  )}</div><p class="note key">Dot: median throughput; bar: its 95% interval; hollow dot and dashed bar: a tuned variant; dotted line: the verified ceiling of that point.</p></section>`
}

/** The cautions, collapsed behind their count. */
export function cautionSection(alerts: readonly string[]): Trusted | '' {
  if (alerts.length === 0) return ''
  return html`<details id="cautions" class="cautions"><summary>${alerts.length} caution${alerts.length === 1 ? '' : 's'} before trusting these numbers</summary><ul>${alerts.map((w) => html`<li>${w}</li>`)}</ul></details>`
}
