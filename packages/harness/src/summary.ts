/**
 * The Markdown summary printed at the end of a run: one table per workload the
 * file describes, of its speed cells, then the robustness cells' outcomes; one
 * row per cell, with the median, its interval, the ratio against the baseline
 * (and whether it is significant), the share of the ceiling, start-up and the
 * cold call, CPU, RSS and event-loop delay. A failed cell shows its reason,
 * never a speed. Every derived figure is the file's own (`results.derived`).
 */
import { type Cell, formatNumber as fmt, type Results } from '@arena/core'

const escapeCell = (text: string) => text.replaceAll('|', '\\|')

function speedRow(cell: Cell, results: Results): string {
  const name = `${cell.implementation}/${cell.variant}`
  if (cell.status === 'failed')
    return `| ${name} | ${cell.point.id} | **failed: ${cell.failure.reason}** — ${escapeCell(cell.failure.message)} | | | | | | | |`
  const s = cell.stats
  const [low, high] = s.ciItemsPerSecond
  const derived = results.derived.cells[cell.id]
  const ratio = derived?.ratio
  return [
    '',
    name,
    cell.point.id,
    `${fmt(s.medianItemsPerSecond)} [${fmt(low)}–${fmt(high)}] ±${fmt(s.halfWidthPercent, 1)}% (n=${s.n}${s.outliers ? `, ${s.outliers} outlier(s)` : ''})`,
    ratio
      ? `${fmt(ratio.value, 2)}× [${fmt(ratio.ci[0], 2)}–${fmt(ratio.ci[1], 2)}]${ratio.significant ? '' : ' (n.s.)'}`
      : '–',
    derived?.percentOfCeiling === undefined ? '–' : `${fmt(derived.percentOfCeiling)}%`,
    `${fmt(s.medianStartupMs, 1)} / ${fmt(s.medianColdWallMs, 1)}`,
    fmt(s.medianCpuMs),
    fmt(s.medianPeakRssBytes / 2 ** 20),
    fmt(s.medianLoopDelayP99Ms, 1),
    '',
  ]
    .join(' | ')
    .trim()
}

function robustnessRow(cell: Cell): string {
  const name = `${cell.implementation}/${cell.variant}`
  const s = cell.samples[0]
  if (cell.status === 'failed' || !s)
    return `| ${name} | ${cell.point.id} | **failed: ${cell.status === 'failed' ? `${cell.failure.reason}** — ${escapeCell(cell.failure.message)}` : 'no sample**'} | | |`
  const outcomes = Object.entries(s.verdict.tally)
    .map(([kind, n]) => `${kind} ${n}`)
    .join(' · ')
  return `| ${name} | ${cell.point.id} | ${outcomes} (${s.verdict.items} verified) | ${fmt(s.wallMs / cell.point.timeoutMs, 2)}× | ${(s.handlesLeft ?? 0) + (s.threadsLeft ?? 0)} |`
}

/** The summary of `results` as Markdown. */
export function markdownSummary(results: Results): string {
  const env = results.environment
  const lines = [
    `## Arena ${results.profile} run ${results.runId}`,
    '',
    `Node ${env.node} · ${env.cpuModel} · **${env.cores} cores** · ${env.os} ${env.kernel} · seed ${results.seed} · baseline ${results.baseline}${results.aa ? ` · A/A of ${results.aa}` : ''}`,
    '',
  ]
  for (const workload of results.workloads) {
    const cells = results.cells.filter((c) => c.workload === workload.id && c.section === 'speed')
    if (cells.length === 0) continue
    lines.push(`### ${workload.id}: ${workload.title}`, '')
    if (workload.lesson) lines.push(workload.lesson, '')
    for (const ceiling of results.ceilings.filter((c) => c.workload === workload.id))
      lines.push(
        `- ceiling ${ceiling.pointId}: ${ceiling.available ? `${fmt(ceiling.itemsPerSecond ?? 0)} ${workload.items}/s by ${ceiling.tool}${ceiling.verified ? ', verified' : ', NOT verified'}` : 'none'} (${ceiling.note})`,
      )
    lines.push(
      '',
      `| variant | point | ${workload.items}/s median [95% CI] | vs baseline | % of ceiling | start-up / cold ms | CPU ms | peak RSS MiB | loop p99 ms |`,
      '|---|---|---|---|---|---|---|---|---|',
    )
    const speedOf = (c: Cell) => (c.status === 'ok' ? c.stats.medianItemsPerSecond : -1)
    const sorted = [...cells].sort(
      (a, b) => a.point.id.localeCompare(b.point.id) || speedOf(b) - speedOf(a),
    )
    for (const cell of sorted) lines.push(speedRow(cell, results))
    lines.push('')
  }
  const robust = results.cells.filter((c) => c.section === 'robustness')
  if (robust.length > 0) {
    lines.push(
      '### robustness',
      '',
      '| variant | point | outcomes (every item exactly once) | wall ÷ timeout | left over |',
      '|---|---|---|---|---|',
    )
    const sorted = [...robust].sort(
      (a, b) => a.point.id.localeCompare(b.point.id) || a.id.localeCompare(b.id),
    )
    for (const cell of sorted) lines.push(robustnessRow(cell))
    lines.push('')
  }
  const ok = results.cells.filter((c) => c.status === 'ok')
  // Intervals and ratios are about speed; a robustness cell runs once to prove its outcomes.
  const speed = ok.filter((c) => c.section === 'speed')
  const tight = speed.filter((c) => c.stats.halfWidthPercent <= 5).length
  const ratios = speed
    .map((c) => ({
      key: `${c.implementation}/${c.variant}`,
      ratio: results.derived.cells[c.id]?.ratio,
    }))
    .filter((r) => r.ratio && r.ratio.baseline !== r.key)
  const significant = ratios.filter((r) => r.ratio?.significant).length
  lines.push(
    `${ok.length} of ${results.cells.length} cells verified; ${tight} of ${speed.length} speed cells with a CI half-width ≤ 5%; ${significant} of ${ratios.length} compared speed cells differ significantly from the baseline.`,
  )
  const aa = results.derived.aa
  if (aa)
    lines.push(
      `A/A: ${aa.significant} of ${aa.pairs} twin speed cells (${fmt((aa.significant / aa.pairs) * 100)}%) differ significantly from their original — the protocol's false-positive rate (goal ≤ 5%).`,
    )
  return lines.join('\n')
}
