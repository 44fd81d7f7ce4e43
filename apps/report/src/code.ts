/**
 * The code side by side: for each workload, the source file the results file
 * names and each contestant's copy of it, from contestants that ran the
 * workload, with a line count that leaves out blanks and comments.
 */
import type { Results, WorkloadInfo } from '@arena/core'
import { workloadsOf } from './cells.ts'

/** One workload's sources, one entry per contestant that ran it and shipped the file. */
export interface CodeView {
  readonly workload: WorkloadInfo
  readonly entries: readonly {
    readonly implementation: string
    readonly title: string
    readonly source: string
    readonly lines: number
  }[]
}

/** Lines of code of a source, not counting blank and comment-only lines. */
export function codeLines(source: string): number {
  let inBlock = false
  let count = 0
  for (const raw of source.split('\n')) {
    const line = raw.trim()
    if (inBlock) {
      if (line.includes('*/')) inBlock = false
      continue
    }
    if (line === '' || line.startsWith('//')) continue
    if (line.startsWith('/*')) {
      inBlock = !line.includes('*/')
      continue
    }
    count++
  }
  return count
}

/** The code section's content: workloads with at least one source from a contestant that ran them. */
export function codeViews(results: Results): CodeView[] {
  return workloadsOf(results).flatMap((workload) => {
    const ran = new Set(
      results.cells.filter((c) => c.workload === workload.id).map((c) => c.implementation),
    )
    const entries = results.contestants.flatMap((c) => {
      const source = c.sources[workload.id]
      return source !== undefined && ran.has(c.id)
        ? [{ implementation: c.id, title: c.title, source, lines: codeLines(source) }]
        : []
    })
    return entries.length > 0 ? [{ workload, entries }] : []
  })
}
