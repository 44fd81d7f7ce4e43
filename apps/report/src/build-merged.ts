/**
 * Builds the merged report of several results files (several runtimes or
 * machines): reads and validates each, names its environment, finds where the
 * answer changes, draws one chart per workload of every environment at the
 * compared point (and each environment's own, split), each environment's
 * curves, and writes one HTML file. Nothing is computed across two files but
 * which variants each recommends.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import type { Contestant, Results } from '@arena/core'
import { charts } from './charts.ts'
import { environmentsOf } from './environments.ts'
import { answerChanges, type WorkloadChange } from './merge.ts'
import { type OverviewData, overviewData, overviewSpec } from './overview-chart.ts'
import { type MergedOverview, renderMergedPage } from './page-merge.ts'
import { render } from './vega.ts'

/** Every environment's contestants and cells in one file, for the colours and shapes alone. */
function looksOf(files: readonly Results[]): Results {
  const first = files[0] as Results
  const contestants = new Map<string, Contestant>()
  for (const f of files)
    for (const c of f.contestants) if (!contestants.has(c.id)) contestants.set(c.id, c)
  return { ...first, contestants: [...contestants.values()], cells: files.flatMap((f) => f.cells) }
}

/** One workload's chart of every environment: each variant's environments next to each other, no ceiling. */
function combined(change: WorkloadChange): OverviewData | undefined {
  const parts = change.answers.flatMap((a) => {
    const data = overviewData(a.view).find((d) => d.workload === change.workload)
    return data ? [{ env: a.env, data }] : []
  })
  const first = parts[0]
  if (!first) return undefined
  const order = [...new Set(parts.flatMap((p) => p.data.rows.map((r) => r.series)))]
  const rows = parts
    .flatMap((p) =>
      p.data.rows.map((r) => ({ ...r, label: `${r.label} — ${p.env.tag}`, env: p.env.id })),
    )
    .sort(
      (a, b) =>
        order.indexOf(a.series) - order.indexOf(b.series) ||
        parts.findIndex((p) => p.env.id === a.env) - parts.findIndex((p) => p.env.id === b.env),
    )
    .map(({ env: _, ...row }) => row)
  const points = [...new Set(parts.map((p) => p.data.point.label))]
  // The ceilings are each environment's own: drawn on the split charts only.
  const { ceiling: _, ...head } = first.data
  return {
    ...head,
    id: `overview--${change.workload}`,
    title: `${change.title} — ${points.join(' / ')}`,
    rows,
  }
}

/** Builds the merged page from `files` into `out`; returns its size in bytes. */
export async function buildMergedReport(
  files: readonly { readonly source: string; readonly results: Results }[],
  out: string,
): Promise<number> {
  const envs = environmentsOf(files)
  const changes = answerChanges(envs)
  const looks = looksOf(envs.map((e) => e.results))
  const overviews: MergedOverview[] = await Promise.all(
    changes.map(async (change) => {
      const all = combined(change)
      const split = await Promise.all(
        change.answers.map(async (a) => {
          const data = overviewData(a.view).find((d) => d.workload === change.workload)
          return {
            env: a.env,
            title: data?.title ?? change.title,
            ...(data && { svg: await render(overviewSpec(data, a.view)) }),
          }
        }),
      )
      return {
        workload: change.workload,
        title: all?.title ?? change.title,
        ...(all && { svg: await render(overviewSpec(all, looks)) }),
        split,
      }
    }),
  )
  const curves = await Promise.all(
    envs.map(async (env) => ({ env, views: await charts(env.results) })),
  )
  const page = renderMergedPage(envs, changes, { overviews, curves })
  mkdirSync(dirname(out), { recursive: true })
  writeFileSync(out, page)
  return Buffer.byteLength(page)
}
