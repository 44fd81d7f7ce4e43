/**
 * Two sections of the page on how work is handed out: "threads or processes
 * for CPU work?" (a variant on child processes against its contestant's
 * threads, point by point) and "results as they complete" (time to the first
 * result and the client's per-item latency at each workload's central point).
 */
import { formatBytes } from '@arena/core'
import { html, type Trusted } from './escape.ts'
import type { FirstResultsView } from './first-results.ts'
import { num } from './page-tables.ts'
import type { WorkersView } from './workers-kind.ts'

const pair = (a: number | undefined, b: number | undefined, digits = 1) =>
  a === undefined ? '–' : `${num(a, digits)} / ${num(b, digits)}`

/** "Threads or processes?", or nothing when no variant of the run uses processes. */
export function workersSection(views: readonly WorkersView[]): Trusted | '' {
  if (views.length === 0) return ''
  return html`<section id="threads-or-processes"><h2>Threads or processes for CPU work?</h2>${views.map(
    (v) =>
      html`<p class="answer-line">${v.answer}</p><div class="scroll table-box" tabindex="0" role="region" aria-label="${v.threadsKey} against ${v.processesKey}"><table class="workers"><thead><tr><th scope="col">workload</th><th scope="col">point</th><th scope="col">threads /s</th><th scope="col">processes /s</th><th scope="col">processes ÷ threads</th><th scope="col">MB/s threads / processes</th><th scope="col">start-up ms threads / processes</th><th scope="col">cold call ms threads / processes</th><th scope="col">peak RSS threads / processes</th></tr></thead><tbody>${v.rows.map(
        (r) =>
          html`<tr><td>${r.workloadTitle}</td><td class="point" title="${r.pointLabel}">${r.pointId}</td><td class="num">${num(r.threads.itemsPerSecond)}</td><td class="num">${num(r.processes.itemsPerSecond)}</td><td class="num tone-${r.ratio.tone}">${r.ratio.marked}</td><td class="num">${pair(r.threads.megabytesPerSecond, r.processes.megabytesPerSecond)}</td><td class="num">${pair(r.threads.startupMs, r.processes.startupMs)}</td><td class="num">${pair(r.threads.coldWallMs, r.processes.coldWallMs)}</td><td class="num">${formatBytes(r.threads.peakRssBytes)} / ${formatBytes(r.processes.peakRssBytes)}</td></tr>`,
      )}</tbody></table></div><p class="note">${v.threadsTitle} (${v.threadsKey}) runs its CPU work on <code>worker_threads</code>; ${v.processesTitle} (${v.processesKey}) on child processes. Same points, same verification; the ratio is of throughputs with its 95% interval (▼: processes slower). Peak RSS is the measuring process's own: a child process's memory is its own and not counted.</p>`,
  )}</section>`
}

/** "Results as they complete", or nothing when the run recorded no first results. */
export function firstResultsSection(views: readonly FirstResultsView[]): Trusted | '' {
  if (views.length === 0) return ''
  return html`<details id="first-results" class="detail"><summary>Results as they complete: time to the first result</summary><p class="note">At each workload's central point: how long after the call started its first item ended (median over runs), against the whole call, and each item's latency from its start to its outcome as the client saw it, beside the mock server's own latency where it has one.</p>${views.map(
    (w) =>
      html`<section data-workload="${w.workload}"><h3>${w.title} <span class="note" title="${w.pointLabel}">${w.pointId}</span></h3><div class="scroll table-box" tabindex="0" role="region" aria-label="${w.title}: time to first result"><table class="first-results"><thead><tr><th scope="col">variant</th><th scope="col">first result ms</th><th scope="col">whole call ms</th><th scope="col">client p50 / p99 ms</th><th scope="col">server p50 / p99 ms</th></tr></thead><tbody>${w.rows.map(
        (r) =>
          html`<tr data-impl="${r.variantKey.split('/')[0]}" data-kind="${r.kind}"><td>${r.variantTitle}<br><span class="note">${r.variantKey}</span>${r.kind === 'tuned' ? html` <span class="tuned">tuned</span>` : ''}</td><td class="num">${num(r.firstResultMs, 1)}</td><td class="num">${num(r.wallMs, 1)}</td><td class="num">${pair(r.clientP50Ms, r.clientP99Ms, 2)}</td><td class="num">${pair(r.serverP50Ms, r.serverP99Ms, 2)}</td></tr>`,
      )}</tbody></table></div></section>`,
  )}</details>`
}
