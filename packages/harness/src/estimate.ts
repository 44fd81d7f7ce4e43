/**
 * What a run would cost before it runs: `arena --plan` counts the cells of a
 * plan by workload and section and estimates the wall time from the last
 * results file — each cell's own mean child time there, else the median child
 * time of its workload there, else a fixed guess — times the rounds the
 * profile gives it at least, plus the mock server's capacity runs.
 */
import { formatNumber, type Results } from '@arena/core'
import type { CellPlan } from './plan.ts'
import type { Profile } from './profiles.ts'
import { rowOf } from './workloads.ts'

/** A child's time when nothing better is known, ms (process start, imports, warm-up, one call). */
const GUESS_CHILD_MS = 2500

/** The plan in words, with its estimated time in seconds. */
export function describePlan(
  plans: readonly CellPlan[],
  profile: Profile,
  previous: Results | undefined,
): { text: string; seconds: number } {
  const { minRounds, maxRounds, robustnessRounds, serverCapacitySeconds, budgetSeconds } =
    profile.repetition
  const childMs = new Map<string, number[]>()
  const byWorkload = new Map<string, number[]>()
  for (const cell of previous?.cells ?? [])
    for (const s of cell.samples)
      if (s.childMs !== undefined) {
        childMs.set(cell.id, [...(childMs.get(cell.id) ?? []), s.childMs])
        byWorkload.set(cell.workload, [...(byWorkload.get(cell.workload) ?? []), s.childMs])
      }
  const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length
  const middle = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]
  let known = 0
  const perRun = (plan: CellPlan) => {
    const own = childMs.get(plan.id)
    if (own) {
      known++
      return mean(own)
    }
    const same = byWorkload.get(plan.workload)
    return (same && middle(same)) ?? GUESS_CHILD_MS
  }
  const lines: string[] = []
  let totalMs = 0
  const groups = Map.groupBy(
    plans,
    (p) => `${p.workload} ${p.role === 'ceiling' ? 'ceiling' : p.section}`,
  )
  for (const [group, cells] of [...groups.entries()].sort()) {
    const rounds = cells[0]?.section === 'robustness' ? robustnessRounds : minRounds
    const ms = cells.reduce((sum, p) => sum + perRun(p) * rounds, 0)
    totalMs += ms
    const points = new Set(cells.map((p) => p.point.id)).size
    lines.push(
      `  ${group.padEnd(22)} ${String(cells.length).padStart(4)} cells on ${String(points).padStart(2)} points × ${rounds} round(s) ≈ ${formatNumber(ms / 1000)} s`,
    )
  }
  const capacityPoints = new Set(
    plans
      .filter((p) => p.role === 'ceiling' && rowOf(p.workload).serverCapacity)
      .map((p) => p.point.id),
  ).size
  totalMs += capacityPoints * serverCapacitySeconds * 1000
  const budget = budgetSeconds === undefined ? Number.POSITIVE_INFINITY : budgetSeconds
  const seconds = totalMs / 1000
  const text = [
    `profile ${profile.name}: ${plans.length} cells (${plans.filter((p) => p.role === 'contestant').length} contestants', ${plans.filter((p) => p.role === 'ceiling').length} ceiling tools'), ${minRounds}–${maxRounds} rounds per speed cell, ${robustnessRounds} per robustness cell`,
    ...lines,
    `  server capacity (autocannon)  ${capacityPoints} point(s) × ${serverCapacitySeconds} s`,
    `estimated time at the minimum rounds: ${formatNumber(seconds)} s${budget < Number.POSITIVE_INFINITY ? ` (rounds past the minimum run only within the ${formatNumber(budget)} s budget)` : ''}; ${known} of ${plans.length} cells timed from ${previous ? `the last results (${previous.runId})` : 'no earlier results: a guess'}`,
  ].join('\n')
  return { text, seconds }
}
