/**
 * The Markdown summary printed at the end of a run: one table per workload of
 * its speed cells, then the robustness cells' outcomes; one row per cell, with the median, its interval, the ratio against the
 * baseline (and whether it is significant), the share of the ceiling, CPU,
 * RSS and event-loop delay. A failed cell shows its reason, never a speed.
 */
import type { Cell, Results } from '@arena/core'

const fmt = (x: number, digits = 0) =>
  x.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits })

function ratioText(cell: Cell): string {
  if (!cell.ratio) return '–'
  const [low, high] = cell.ratio.ci
  return `${fmt(cell.ratio.value, 2)}× [${fmt(low, 2)}–${fmt(high, 2)}]${cell.ratio.significant ? '' : ' (n.s.)'}`
}

function row(cell: Cell): string {
  const name = `${cell.implementation}/${cell.variant}`
  if (cell.status === 'failed' || !cell.stats)
    return `| ${name} | ${cell.point.id} | **failed: ${cell.failure?.reason}** — ${cell.failure?.message.replaceAll('|', '\\|') ?? ''} | | | | | | |`
  const s = cell.stats
  const [low, high] = s.ciItemsPerSecond
  return [
    '',
    name,
    cell.point.id,
    `${fmt(s.medianItemsPerSecond)} [${fmt(low)}–${fmt(high)}] ±${fmt(s.halfWidthPercent, 1)}% (n=${s.n}${s.outliers ? `, ${s.outliers} outlier(s)` : ''})`,
    ratioText(cell),
    cell.percentOfCeiling === undefined ? '–' : `${fmt(cell.percentOfCeiling)}%`,
    fmt(s.medianCpuMs),
    fmt(s.medianPeakRssBytes / 2 ** 20),
    fmt(s.medianLoopDelayP99Ms, 1),
    '',
  ]
    .join(' | ')
    .trim()
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
  for (const workload of ['fetch', 'hash', 'scanPort', 'pipeline'] as const) {
    const cells = results.cells.filter((c) => c.workload === workload && c.section === 'speed')
    if (cells.length === 0) continue
    lines.push(`### ${workload}`, '')
    for (const ceiling of results.ceilings.filter((c) => c.workload === workload)) {
      lines.push(
        `- ceiling ${ceiling.pointId}: ${ceiling.available ? `${fmt(ceiling.itemsPerSecond ?? 0)} items/s (${ceiling.note})` : ceiling.note}`,
      )
    }
    lines.push(
      '',
      '| variant | point | items/s median [95% CI] | vs baseline | % of ceiling | CPU ms | peak RSS MiB | loop p99 ms |',
      '|---|---|---|---|---|---|---|---|',
    )
    const sorted = [...cells].sort(
      (a, b) =>
        a.point.id.localeCompare(b.point.id) ||
        (b.stats?.medianItemsPerSecond ?? -1) - (a.stats?.medianItemsPerSecond ?? -1),
    )
    for (const cell of sorted) lines.push(row(cell))
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
    for (const cell of [...robust].sort(
      (a, b) => a.point.id.localeCompare(b.point.id) || a.id.localeCompare(b.id),
    )) {
      const s = cell.samples[0]
      const name = `${cell.implementation}/${cell.variant}`
      lines.push(
        cell.status === 'failed' || !s
          ? `| ${name} | ${cell.point.id} | **failed: ${cell.failure?.reason}** — ${cell.failure?.message.replaceAll('|', '\\|') ?? ''} | | |`
          : `| ${name} | ${cell.point.id} | ${Object.entries(s.verdict.tally)
              .map(([kind, n]) => `${kind} ${n}`)
              .join(
                ' · ',
              )} (${s.verdict.items} verified) | ${fmt(s.wallMs / cell.point.timeoutMs, 2)}× | ${(s.handlesLeft ?? 0) + (s.threadsLeft ?? 0)} |`,
      )
    }
    lines.push('')
  }
  const ok = results.cells.filter((c) => c.status === 'ok')
  // Intervals and ratios are about speed; a robustness cell runs once to prove its outcomes.
  const speed = ok.filter((c) => c.section === 'speed')
  const tight = speed.filter((c) => (c.stats?.halfWidthPercent ?? 100) <= 5).length
  const significant = speed.filter(
    (c) =>
      c.ratio && c.ratio.baseline !== `${c.implementation}/${c.variant}` && c.ratio.significant,
  ).length
  const compared = speed.filter(
    (c) => c.ratio && c.ratio.baseline !== `${c.implementation}/${c.variant}`,
  ).length
  lines.push(
    `${ok.length} of ${results.cells.length} cells verified; ${tight} of ${speed.length} speed cells with a CI half-width ≤ 5%; ${significant} of ${compared} compared speed cells differ significantly from the baseline.`,
  )
  return lines.join('\n')
}
