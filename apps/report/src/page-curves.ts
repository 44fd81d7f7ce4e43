/**
 * The curves, workload by workload: every figure that is a sweep (some
 * series measured at three values of x or more) with its saturation points
 * and break-evens in words under it; figures that are not sweeps are named
 * in one line, since their points are in the first screen's charts and the
 * tables; a run that swept nothing says so.
 */
import type { Results } from '@arena/core'
import { workloadsOf } from './cells.ts'
import type { ChartView } from './charts.ts'
import { html, type Trusted, trusted } from './escape.ts'

function figure(c: ChartView): Trusted {
  return html`<figure id="${c.id}" data-chart="${c.chartId}" data-workload="${c.workload}" class="curve"><figcaption>${c.title}</figcaption>${c.svg ? trusted(c.svg) : html`<p class="note">${c.missing}</p>`}${c.notes.length > 0 ? html`<ul class="marks">${c.notes.map((n) => html`<li>${n}</li>`)}</ul>` : ''}</figure>`
}

/** The curves section. */
export function curvesSection(results: Results, views: readonly ChartView[]): Trusted {
  const sweeps = views.filter((v) => v.sweep)
  const intro =
    sweeps.length === 0
      ? html`<p class="note">This ${results.profile} run measured each variant at one value of every setting, so there is no sweep to draw as a curve; a profile that sweeps concurrency, workers or item size draws one here.</p>`
      : html`<p class="note">Each variant measured at three values or more is a line with its 95% interval as a band; a variant measured at fewer is a dot with its interval. Solid: idiomatic; dashed, thinner and hollow: tuned; dotted grey: the verified ceiling. A ring marks a saturation point (the smallest concurrency reaching 95% of the line's best, with its interval); a vertical rule marks a break-even, the item size from which a pool of workers beats the event loop.</p>`
  return html`<section id="curves"><h2>How each model's throughput grows</h2>${intro}${workloadsOf(
    results,
  ).map((info) => {
    const mine = views.filter((v) => v.workload === info.id)
    const curves = mine.filter((v) => v.sweep)
    const flat = mine.filter((v) => !v.sweep && v.svg)
    const missing = mine.filter((v) => !v.svg)
    if (mine.length === 0) return ''
    return html`<section data-workload="${info.id}" class="workload-curves"><h3>${info.title}</h3>${curves.length > 0 ? html`<div class="charts">${curves.map(figure)}</div>` : ''}${flat.length > 0 ? html`<p class="note">Not a sweep (fewer than three measured values on x), so not drawn as a curve: ${flat.map((f) => f.title).join('; ')}.</p>` : ''}${missing.map((m) => html`<p class="note">${m.title}: ${m.missing}.</p>`)}</section>`
  })}</section>`
}
