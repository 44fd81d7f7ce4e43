/**
 * Warnings a reader must see before trusting the numbers: fewer cores than
 * workers asked for, failed cells, figures resting on too few runs for an
 * interval to mean much, ceilings that could not be used for a
 * share, what an A/A run says of the protocol's false positives, a dirty
 * working tree.
 */
import type { Results } from '@arena/core'

/** The warnings of a run, each one sentence. */
export function warnings(results: Results): string[] {
  const out: string[] = []
  const cores = results.environment.cores
  const wanted = Math.max(0, ...results.cells.map((c) => c.point.parallelism))
  if (wanted > cores)
    out.push(
      `Results were taken on ${cores} cores, fewer than the ${wanted} worker threads some cells asked for; those cells cannot scale further.`,
    )
  const failed = results.cells.filter((c) => c.status === 'failed').length
  if (failed > 0)
    out.push(`${failed} cell(s) failed; they are shown with their reason and never as a speed.`)
  const few = results.cells.filter(
    (c) => c.status === 'ok' && c.section === 'speed' && c.stats.n < 3,
  ).length
  if (few > 0)
    out.push(
      `${few} speed cell(s) rest on fewer than 3 runs: their intervals, and any "significant" resting on them, are a hint, not a finding.`,
    )
  const unverified = results.ceilings.filter((c) => c.available && !c.verified).length
  if (unverified > 0)
    out.push(
      `${unverified} ceiling(s) were measured but not verified; they are shown as such and no share of them is given.`,
    )
  const aa = results.derived.aa
  if (aa)
    out.push(
      `A/A run: ${aa.significant} of ${aa.pairs} twin cell(s), the same code under another name, differ significantly from their original — the protocol's false-positive rate on this machine.`,
    )
  if (results.environment.gitDirty)
    out.push('The working tree had uncommitted changes when this run was taken.')
  return out
}
