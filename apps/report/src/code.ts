/**
 * The code side by side: for each workload, the source file the results file
 * names and each contestant's copy of it, from contestants that ran the
 * workload, with a line count that leaves out blanks, comments and imports.
 * Lines are marked by the role they play — the concurrency limit, the
 * deadline, cancellation, workers — by keywords per role, so the page can
 * line the contestants up by role. Keywords rather than annotations: the
 * contestants' files carry none, and the words each style uses for a role
 * (`mergeMap(…, concurrency)`, `Effect.timeout`, `AbortSignal`, `new
 * Worker`) are few and stable. Comment and import lines take no role.
 */
import type { Results, WorkloadInfo } from '@arena/core'
import { workloadsOf } from './cells.ts'

/** The roles a line of orchestration code can play, in the order the page shows them. */
export const ROLES = ['limit', 'deadline', 'cancellation', 'workers'] as const
export type Role = (typeof ROLES)[number]

/** What each role is called on the page, and the words that mark a line with it. */
export const ROLE_WORDS: Readonly<
  Record<Role, { readonly title: string; readonly pattern: RegExp }>
> = {
  limit: {
    title: 'limit (how many at once)',
    pattern:
      /\bconcurrency\b|mapConcurrent|mergeMap|Semaphore|withPermits|pLimit|pMap|\blanes?\b|\bqueue\b/i,
  },
  deadline: { title: 'deadline', pattern: /timeout|deadline/i },
  cancellation: {
    title: 'cancellation',
    pattern: /\bsignal\b|abort|interrupt|unsubscribe|takeUntil|cancel/i,
  },
  workers: {
    title: 'workers',
    pattern: /worker|parallelism|\bpool\b|piscina|postMessage|\bthreads?\b/i,
  },
}

/** One line of a source, with its number (from 1) and the roles it plays. */
export interface CodeLine {
  readonly number: number
  readonly text: string
  readonly roles: readonly Role[]
}

/** One workload's sources, one entry per contestant that ran it and shipped the file. */
export interface CodeView {
  readonly workload: WorkloadInfo
  readonly entries: readonly {
    readonly implementation: string
    readonly title: string
    readonly source: string
    /** Lines of code, not counting blanks, comments and imports. */
    readonly lines: number
    readonly marked: readonly CodeLine[]
  }[]
}

type Kind = 'code' | 'blank' | 'comment' | 'import'

/** What each line of a source is: code, blank, comment or part of an import. */
function kinds(source: string): Kind[] {
  let inBlock = false
  let inImport = false
  return source.split('\n').map((raw): Kind => {
    const line = raw.trim()
    if (inBlock) {
      if (line.includes('*/')) inBlock = false
      return 'comment'
    }
    if (inImport) {
      if (/\bfrom\s+['"]/.test(line)) inImport = false
      return 'import'
    }
    if (line === '') return 'blank'
    if (line.startsWith('//')) return 'comment'
    if (line.startsWith('/*')) {
      inBlock = !line.includes('*/')
      return 'comment'
    }
    if (/^import\b/.test(line)) {
      // A multi-line import runs on to the line with its `from '…'`; a bare `import 'x'` is one line.
      inImport = !/\bfrom\s+['"]|^import\s+['"]/.test(line)
      return 'import'
    }
    return 'code'
  })
}

/** Lines of code of a source, not counting blank, comment-only and import lines. */
export function codeLines(source: string): number {
  return kinds(source).filter((k) => k === 'code').length
}

/** Every line of a source with the roles its keywords give it (none for comments and imports). */
export function markRoles(source: string): CodeLine[] {
  const kind = kinds(source)
  const lines = source.replace(/\n$/, '').split('\n')
  return lines.map((text, i) => ({
    number: i + 1,
    text,
    roles: kind[i] === 'code' ? ROLES.filter((r) => ROLE_WORDS[r].pattern.test(text)) : [],
  }))
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
        ? [
            {
              implementation: c.id,
              title: c.title,
              source,
              lines: codeLines(source),
              marked: markRoles(source),
            },
          ]
        : []
    })
    return entries.length > 0 ? [{ workload, entries }] : []
  })
}
