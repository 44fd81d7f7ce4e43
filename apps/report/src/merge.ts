/**
 * Where the answer changes between environments: for each kind of work, each
 * environment's own answer (answers.ts, from its own file: every ratio and
 * interval in it is taken between cells of that one environment, never
 * across two), compared at the points every environment measured. The
 * answer holds where some variant is recommended everywhere; it changes
 * where the recommended sets share none. Throughputs of different
 * environments are set side by side, never divided.
 */
import { formatCompact, type OkCell, type Results, type WorkloadId } from '@arena/core'
import { type Answer, answerFor } from './answers.ts'
import { okCells, workloadsOf } from './cells.ts'
import { nameOf, variantNames } from './central.ts'
import type { MergedEnvironment } from './environments.ts'

/** One environment's answer for a kind of work. */
export interface EnvironmentAnswer {
  readonly env: MergedEnvironment
  /** Its results with this workload's speed cells kept at the points every environment measured. */
  readonly view: Results
  /** Its answer at the compared points, or undefined when it verified no speed cell there. */
  readonly answer?: Answer
  /** The recommended variant's median throughput and 95% interval, items/s, in words. */
  readonly best?: string
  /**
   * Variants verified elsewhere at the compared point that this environment did
   * not verify, with why; for an environment that verified none of the
   * workload, why its cells failed.
   */
  readonly lost: readonly string[]
}

/** A kind of work across the environments. */
export interface WorkloadChange {
  readonly workload: WorkloadId
  readonly title: string
  /** `holds`: a variant is recommended everywhere; `changes`: no variant is; `alone`: fewer than two environments measured it. */
  readonly verdict: 'holds' | 'changes' | 'alone'
  /** The verdict in one sentence. */
  readonly text: string
  /** The point ids measured by every environment that measured the workload. */
  readonly shared: readonly string[]
  readonly answers: readonly EnvironmentAnswer[]
}

/** `results` with the workload's speed cells kept only at `pointIds`: its own answer, at points others share. */
function restricted(
  results: Results,
  workload: WorkloadId,
  pointIds: ReadonlySet<string>,
): Results {
  return {
    ...results,
    cells: results.cells.filter(
      (c) => c.workload !== workload || c.section !== 'speed' || pointIds.has(c.point.id),
    ),
  }
}

const speedPoints = (results: Results, workload: WorkloadId) =>
  new Set(
    okCells(results, 'speed')
      .filter((c) => c.workload === workload)
      .map((c) => c.point.id),
  )

const list = (names: readonly string[]) =>
  names.length <= 1
    ? (names[0] ?? '')
    : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`

function bestText(results: Results, workload: WorkloadId, answer: Answer, items: string) {
  const key = answer.choice?.[0]
  const cell = okCells(results, 'speed').find(
    (c) =>
      c.workload === workload &&
      c.point.id === answer.pointId &&
      `${c.implementation}/${c.variant}` === key,
  )
  if (!cell) return undefined
  const [low, high] = cell.stats.ciItemsPerSecond
  return `${formatCompact(cell.stats.medianItemsPerSecond, 0)} ${items}/s [${formatCompact(low, 0)}–${formatCompact(high, 0)}]`
}

/** What the other environments verified at `pointId` that `results` did not, with its failure. */
function lostAt(
  results: Results,
  workload: WorkloadId,
  pointId: string,
  elsewhere: ReadonlySet<string>,
): string[] {
  const verified = new Set(
    okCells(results, 'speed')
      .filter((c) => c.workload === workload && c.point.id === pointId)
      .map((c) => `${c.implementation}/${c.variant}`),
  )
  const names = variantNames(results)
  return [...elsewhere]
    .filter((key) => !verified.has(key))
    .map((key) => {
      const failed = results.cells.find(
        (c) =>
          c.workload === workload &&
          c.point.id === pointId &&
          `${c.implementation}/${c.variant}` === key &&
          c.status === 'failed',
      )
      return failed?.status === 'failed'
        ? `${nameOf(names, key)} failed (${failed.failure.reason}: ${short(failed.failure.message)})`
        : `${nameOf(names, key)} was not run`
    })
}

/** Longest failure message quoted in a row, characters: the tables have it whole. */
const MESSAGE_CHARS = 90

/** A failure message cut at its first `;` or MESSAGE_CHARS, whichever comes first. */
const short = (message: string) => {
  const first = message.split('; ')[0] ?? message
  return first.length > MESSAGE_CHARS ? `${first.slice(0, MESSAGE_CHARS - 1)}…` : first
}

/** Why a workload's speed cells failed in `results`: each distinct reason once, with how many cells gave it. */
function failuresOf(results: Results, workload: WorkloadId): string[] {
  const failed = results.cells.filter(
    (c) => c.workload === workload && c.section === 'speed' && c.status === 'failed',
  )
  const byReason = Map.groupBy(failed, (c) =>
    c.status === 'failed' ? `${c.failure.reason}: ${short(c.failure.message)}` : '',
  )
  return [...byReason.entries()].map(
    ([reason, cells]) => `${cells.length} cell${cells.length === 1 ? '' : 's'} failed (${reason})`,
  )
}

/** Each kind of work of any environment, its answer in each and whether it holds. */
export function answerChanges(envs: readonly MergedEnvironment[]): WorkloadChange[] {
  const infos = new Map(envs.flatMap((e) => workloadsOf(e.results).map((w) => [w.id, w] as const)))
  return [...infos.values()].map((info) => {
    const measuring = envs.filter((e) => speedPoints(e.results, info.id).size > 0)
    const sets = measuring.map((e) => speedPoints(e.results, info.id))
    const shared = [...(sets[0] ?? [])].filter((id) => sets.every((s) => s.has(id)))
    const keep = new Set(shared.length > 0 ? shared : [])
    const answers: EnvironmentAnswer[] = envs.map((env) => {
      if (!measuring.includes(env))
        return { env, view: env.results, lost: failuresOf(env.results, info.id) }
      const view = keep.size > 0 ? restricted(env.results, info.id, keep) : env.results
      const answer = answerFor(view, info.id, info.title, info.items)
      const best = answer.choice ? bestText(view, info.id, answer, info.items) : undefined
      return { env, view, answer, ...(best && { best }), lost: [] }
    })
    // What one environment verified at the compared point and another did not says why its answer may differ.
    const at = new Map(
      answers.flatMap((a) =>
        a.answer?.pointId
          ? [
              [
                a.env.id,
                okCells(a.env.results, 'speed')
                  .filter((c: OkCell) => c.workload === info.id && c.point.id === a.answer?.pointId)
                  .map((c) => `${c.implementation}/${c.variant}`),
              ] as const,
            ]
          : [],
      ),
    )
    const withLost = answers.map((a) => {
      const pointId = a.answer?.pointId
      if (!pointId) return a.answer ? a : { ...a, lost: failuresOf(a.env.results, info.id) }
      const elsewhere = new Set(
        answers
          .filter((o) => o !== a && o.answer?.pointId === pointId)
          .flatMap((o) => at.get(o.env.id) ?? []),
      )
      return { ...a, lost: lostAt(a.env.results, info.id, pointId, elsewhere) }
    })
    return {
      workload: info.id,
      title: info.title,
      shared,
      answers: withLost,
      ...verdictOf(withLost, shared),
    }
  })
}

/** Fewest runs behind an answer below which its verdict is a hint (as answers.ts cautions). */
const FEW_RUNS = 3

function verdictOf(
  answers: readonly EnvironmentAnswer[],
  shared: readonly string[],
): Pick<WorkloadChange, 'verdict' | 'text'> {
  const measured = answers.filter((a) => a.answer?.choice && a.answer.choice.length > 0)
  const missing = answers.filter((a) => !measured.includes(a))
  const without =
    missing.length === 0
      ? ''
      : ` ${list(missing.map((a) => a.env.name))} verified none of it${missing.some((a) => a.lost.length > 0) ? ` (${missing.flatMap((a) => a.lost.map((l) => (missing.length > 1 ? `${a.env.name}: ${l}` : l))).join('; ')})` : ''}.`
  if (measured.length < 2) {
    const only = measured[0]
    return {
      verdict: 'alone',
      text: only
        ? `Verified only on ${only.env.name}: nothing to compare it with.${without}`
        : `No environment verified a speed cell of it.${without}`,
    }
  }
  const names = variantNames((measured[0] as EnvironmentAnswer).env.results)
  const everywhere = (measured[0]?.answer?.choice ?? []).filter((key) =>
    measured.every((a) => a.answer?.choice?.includes(key)),
  )
  const points = [...new Set(measured.map((a) => a.answer?.pointId))]
  const where =
    points.length === 1
      ? shared.length === 1
        ? ` at ${points[0]}, the one point all of them measured`
        : ` at ${points[0]}`
      : ` (at ${measured.map((a) => `${a.answer?.pointId} on ${a.env.name}`).join(', ')})`
  const on =
    missing.length === 0
      ? `on all ${measured.length}`
      : `on the ${measured.length} that verified it (${list(measured.map((a) => a.env.name))})`
  const runs = Math.min(
    ...measured.flatMap((a) =>
      okCells(a.view, 'speed')
        .filter((c) => c.point.id === a.answer?.pointId && a.answer?.workload === c.workload)
        .map((c) => c.stats.n),
    ),
  )
  const hint =
    runs < FEW_RUNS
      ? ` With ${runs} run${runs === 1 ? '' : 's'} behind some figures, a hint, not a finding.`
      : ''
  if (everywhere.length > 0)
    return {
      verdict: 'holds',
      text: `The answer holds ${on}${where}: ${list(everywhere.map((k) => nameOf(names, k)))} ${everywhere.length > 1 ? 'are' : 'is'} among the recommended everywhere.${without}${hint}`,
    }
  const per = measured.map(
    (a) =>
      `on ${a.env.name} ${list((a.answer?.choice ?? []).map((k) => nameOf(variantNames(a.env.results), k)))}`,
  )
  return {
    verdict: 'changes',
    text: `The answer changes${where}: ${per.join('; ')}.${without}${hint}`,
  }
}
