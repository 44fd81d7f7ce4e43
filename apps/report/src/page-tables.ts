/**
 * The results tables of the page, one per workload and section: speed cells
 * with their throughput, interval (only where two runs or more give one),
 * ratio (filled in by the page's script for the chosen baseline), share of a
 * verified ceiling and resources; robustness cells with their outcomes; a
 * failed cell as one row with its reason. Above each speed table, the
 * ceilings of its points, verified or not. Every number goes through core's
 * formatter.
 */
import {
  type Ceiling,
  formatBytes,
  formatCompact,
  formatNumber,
  type Results,
  type WorkloadInfo,
} from '@arena/core'
import { html, type Trusted } from './escape.ts'
import { ceilingName } from './labels.ts'
import type { RowView } from './rows.ts'

/** A number for a table cell, `–` when absent. */
export const num = (x: number | undefined, digits = 0) =>
  x === undefined ? '–' : formatNumber(x, digits)

const SPEED_COLUMNS = [
  'variant',
  'point',
  'items/s (median)',
  '95% CI',
  'vs baseline',
  '% of ceiling',
  'MB/s',
  'CPU ms',
  'peak RSS',
  'loop p99 ms',
  'server p50/p99 ms',
  'client p50/p99 ms',
  'first result ms',
  'start-up ms',
  'cold call ms',
  'left over',
  'check',
]

const ROBUSTNESS_COLUMNS = [
  'variant',
  'point',
  'outcomes',
  'wall ms',
  '× timeout',
  'loop p99 ms',
  'left over',
  'check',
]

function variantCell(r: RowView): Trusted {
  return html`<td>${r.variantTitle}<br><span class="note">${r.variantKey}</span>${r.kind === 'tuned' ? html` <span class="tuned">tuned</span>` : ''}</td>`
}

const verified = html`<td><span class="badge ok">verified</span></td>`

function failedRow(r: RowView, columns: number): Trusted {
  return html`<tr class="failed" data-cell="${r.cellId}" data-impl="${r.implementation}" data-kind="${r.kind}">${variantCell(r)}<td class="point" title="${r.pointLabel}">${r.pointId}</td><td colspan="${columns - 3}">failed — ${r.failure}</td><td><span class="badge failed">failed</span></td></tr>`
}

/** `lo–hi (±x%, n=N)` where there is an interval; `n=1` alone where one run gives none. */
function spread(r: RowView): string {
  const outliers = r.outliers ? `, ${r.outliers} outlier${r.outliers > 1 ? 's' : ''}` : ''
  if (!r.ciItemsPerSecond) return `n=${r.n ?? 0}${outliers}`
  const [low, high] = r.ciItemsPerSecond
  return `${num(low)}–${num(high)} (±${num(r.halfWidthPercent, 1)}%, n=${r.n}${outliers})`
}

function speedRow(r: RowView): Trusted {
  if (r.status === 'failed') return failedRow(r, SPEED_COLUMNS.length)
  return html`<tr data-cell="${r.cellId}" data-impl="${r.implementation}" data-kind="${r.kind}">
${variantCell(r)}<td class="point" title="${r.pointLabel}">${r.pointId}</td>
<td class="num" data-value="${r.itemsPerSecond}">${num(r.itemsPerSecond)}</td>
<td class="num" data-value="${r.halfWidthPercent}">${spread(r)}</td>
<td class="num ratio" data-ratio="${r.cellId}">–</td>
<td class="num" data-value="${r.percentOfCeiling}">${r.percentOfCeiling === undefined ? '–' : `${num(r.percentOfCeiling)}%`}</td>
<td class="num" data-value="${r.megabytesPerSecond}">${num(r.megabytesPerSecond, 1)}</td>
<td class="num" data-value="${r.cpuMs}">${num(r.cpuMs)}</td>
<td class="num" data-value="${r.peakRssBytes}">${r.peakRssBytes === undefined ? '–' : formatBytes(r.peakRssBytes)}</td>
<td class="num" data-value="${r.loopDelayP99Ms}">${num(r.loopDelayP99Ms, 1)}</td>
<td class="num" data-value="${r.latencyP50Ms}">${r.latencyP50Ms === undefined ? '–' : `${num(r.latencyP50Ms, 2)} / ${num(r.latencyP99Ms, 2)}`}</td>
<td class="num" data-value="${r.clientP50Ms}">${r.clientP50Ms === undefined ? '–' : `${num(r.clientP50Ms, 2)} / ${num(r.clientP99Ms, 2)}`}</td>
<td class="num" data-value="${r.firstResultMs}">${num(r.firstResultMs, 1)}</td>
<td class="num" data-value="${r.startupMs}">${num(r.startupMs, 1)}</td>
<td class="num" data-value="${r.coldWallMs}">${num(r.coldWallMs, 1)}</td>
<td class="num" data-value="${r.leftOver}">${num(r.leftOver)}</td>
${verified}</tr>`
}

function robustnessRow(r: RowView): Trusted {
  if (r.status === 'failed') return failedRow(r, ROBUSTNESS_COLUMNS.length)
  return html`<tr data-cell="${r.cellId}" data-impl="${r.implementation}" data-kind="${r.kind}">
${variantCell(r)}<td class="point" title="${r.pointLabel}">${r.pointId}</td>
<td class="outcomes">${r.outcomes}</td>
<td class="num" data-value="${r.wallMs}">${num(r.wallMs)}${r.n !== undefined && r.n > 1 ? html` <span class="note">(median of ${r.n})</span>` : ''}</td>
<td class="num" data-value="${r.timeoutMultiple}">${num(r.timeoutMultiple, 2)}</td>
<td class="num" data-value="${r.loopDelayP99Ms}">${num(r.loopDelayP99Ms, 1)}</td>
<td class="num" data-value="${r.leftOver}">${num(r.leftOver)}</td>
${verified}</tr>`
}

/** A sortable table of rows of one section, scrolling in its own box. */
export function resultsTable(
  section: 'speed' | 'robustness',
  rows: readonly RowView[],
  label: string,
): Trusted {
  const columns = section === 'speed' ? SPEED_COLUMNS : ROBUSTNESS_COLUMNS
  const render = section === 'speed' ? speedRow : robustnessRow
  return html`<div class="scroll table-box" tabindex="0" role="region" aria-label="${label}"><table class="results ${section}"><thead><tr>${columns.map((c, i) => html`<th scope="col"><button type="button" data-column="${i}">${c}</button></th>`)}</tr></thead><tbody>${rows.map(render)}</tbody></table></div>`
}

/** One ceiling in words: its figure, its tool, and whether it can be used for a share. */
export function ceilingText(results: Results, ceiling: Ceiling, info: WorkloadInfo): string {
  const tool = ceilingName(results, ceiling)
  if (!ceiling.available || ceiling.itemsPerSecond === undefined)
    return `${ceiling.pointId}: unavailable (${ceiling.note})`
  const server =
    ceiling.serverCapacityPerSecond === undefined
      ? ''
      : `; the mock server alone sustains ${formatCompact(ceiling.serverCapacityPerSecond, 0)} ${info.items}/s`
  const status = ceiling.verified ? 'verified' : 'unverified, so no share of it is given'
  return `${ceiling.pointId}: ${formatCompact(ceiling.itemsPerSecond, 0)} ${info.items}/s by ${tool}, ${status} (${ceiling.note}${server})`
}

/** The ceilings of a workload's points, or nothing when the run measured none. */
export function ceilingList(results: Results, info: WorkloadInfo): Trusted | '' {
  const list = results.ceilings.filter((c) => c.workload === info.id)
  if (list.length === 0) return ''
  return html`<ul class="ceilings note" aria-label="Ceilings">${list.map(
    (c) =>
      html`<li data-ceiling="${c.pointId}" data-verified="${String(c.verified)}">Ceiling ${ceilingText(results, c, info)}</li>`,
  )}</ul>`
}
