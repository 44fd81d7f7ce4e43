/**
 * Lookups over a results file that every part of the page shares: the
 * verified cells, a cell's variant as discovered, and the workloads the file
 * describes — their titles, item nouns, source files, lessons and charts come
 * from the file, never from a table in the report.
 */
import {
  type Cell,
  type OkCell,
  type Results,
  variantKey,
  type WorkloadId,
  type WorkloadInfo,
} from '@arena/core'

/** The verified cells, optionally of one section. */
export function okCells(results: Results, section?: Cell['section']): OkCell[] {
  return results.cells.filter(
    (c): c is OkCell => c.status === 'ok' && (section === undefined || c.section === section),
  )
}

/** The variant a cell ran, as the contestant declared it. */
export function variantOf(results: Results, cell: Pick<Cell, 'implementation' | 'variant'>) {
  return results.contestants
    .find((c) => c.id === cell.implementation)
    ?.variants.find((v) => v.id === cell.variant)
}

/** A variant's title and kind, with its key standing in when the file does not list it. */
export function variantLabel(
  results: Results,
  cell: Pick<Cell, 'implementation' | 'variant'>,
): { key: string; title: string; kind: 'idiomatic' | 'tuned' } {
  const v = variantOf(results, cell)
  return {
    key: variantKey(cell),
    title: v?.title ?? variantKey(cell),
    kind: v?.kind ?? 'idiomatic',
  }
}

/** A contestant's title, or its id when the file does not list it. */
export function contestantTitle(results: Results, implementation: string): string {
  return results.contestants.find((c) => c.id === implementation)?.title ?? implementation
}

/**
 * The workloads of the run, in the file's order: each described workload,
 * then any workload that has cells but no description (shown under its id,
 * with no lesson and no charts, so a thin file still renders every cell).
 */
export function workloadsOf(results: Results): WorkloadInfo[] {
  const described = new Set<WorkloadId>(results.workloads.map((w) => w.id))
  const bare = [...new Set(results.cells.map((c) => c.workload))]
    .filter((id) => !described.has(id))
    .map((id) => ({ id, title: id, items: 'items', sourceFile: '', lesson: '', charts: [] }))
  return [...results.workloads, ...bare]
}
