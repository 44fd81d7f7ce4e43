/**
 * The first screen's answer, one per kind of work, generated from the run:
 * what to use (the fastest idiomatic variant at the central point, or every
 * variant no significantly different from it), the measured reason (the
 * factor that moves throughput the most — the model, a variant, concurrency,
 * workers — with the others that beat the model's spread, and the share of
 * the ceiling), what it costs, and how sure (its ratio to the runner-up with
 * the interval, and the runs behind it, with a caution under three). Tuned
 * variants and the no-concurrency reference are measured against, never
 * recommended.
 */
import { type OkCell, type Results, variantKey, type WorkloadId } from '@arena/core'
import { variantLabel, workloadsOf } from './cells.ts'
import { centralPoint, isLimited, nameOf, variantNames } from './central.ts'
import {
  ceilingClause,
  concurrencyFactor,
  costClause,
  type Factor,
  factorContext,
  modelFactor,
  referenceFactor,
  variantFactor,
  workersFactor,
} from './factors.ts'
import { runsText, timesText } from './labels.ts'
import { ratioBetween } from './ratios.ts'

/** A kind of work's answer, in three parts. */
export interface Answer {
  readonly workload: WorkloadId
  readonly title: string
  /** What to use, as a sentence. */
  readonly use: string
  /** The measured reason and the cost. */
  readonly why: string
  /** How sure. */
  readonly sure: string
  /** The factor named as mattering most. */
  readonly factor?: Factor['kind']
  /** The `impl/variant` keys recommended (the fastest and those not significantly different), fastest first. */
  readonly choice?: readonly string[]
  /** The central point the answer is taken at. */
  readonly pointId?: string
}

/** A factor matters more than the model when it moves throughput this much further. */
const CLEARLY = 1.25
/** Runs below which an interval from a bootstrap says little. */
const FEW_RUNS = 3

const list = (names: readonly string[]) =>
  names.length <= 1
    ? (names[0] ?? '')
    : `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}`

function sureText(
  results: Results,
  names: ReadonlyMap<string, string>,
  tied: readonly OkCell[],
  contenders: readonly OkCell[],
): string {
  const name = (c: OkCell) => nameOf(names, variantKey(c))
  const best = tied[0] as OkCell
  const runs = contenders.map((c) => c.stats.n)
  const [fewest, most] = [Math.min(...runs), Math.max(...runs)]
  const n = fewest === most ? `${runsText(fewest)} each` : `${fewest}–${most} runs`
  const caution = fewest < FEW_RUNS ? ` Only ${runsText(fewest)}: a hint, not a finding.` : ''
  const parts: string[] = []
  const last = tied[tied.length - 1] as OkCell
  if (last !== best) {
    const r = ratioBetween(results, last, best)
    parts.push(
      `tie: ${name(last)} at ${timesText(r.value, r.ci)} of ${name(best)}, not significant`,
    )
  }
  const next = contenders.find((c) => !tied.includes(c))
  if (next) {
    const r = ratioBetween(results, next, best)
    parts.push(
      `${tied.length > 1 ? 'next' : 'runner-up'}: ${name(next)} at ${timesText(r.value, r.ci)}, significant`,
    )
  }
  if (parts.length === 0) return `One variant measured, ${n}.${caution}`
  const text = parts.join('; ')
  return `${text.charAt(0).toUpperCase()}${text.slice(1)} (95% intervals, ${n}).${caution}`
}

/** The answer for one workload, or one saying there is none. */
export function answerFor(
  results: Results,
  workload: WorkloadId,
  title: string,
  items: string,
): Answer {
  const names = variantNames(results)
  const central = centralPoint(results, workload)
  const empty = { workload, title, why: '', sure: '' }
  if (!central) return { ...empty, use: 'No verified speed result in this run.' }
  const ctx = factorContext(results, workload, names)
  const limited = central.cells.filter((c) => isLimited(results, c))
  const free = central.cells.filter((c) => !isLimited(results, c))
  const idiomatic = free.filter((c) => variantLabel(results, c).kind === 'idiomatic')
  const contenders = idiomatic.length > 0 ? idiomatic : free.length > 0 ? free : central.cells
  const best = contenders[0] as OkCell
  const tied = contenders.filter((c) => c === best || !ratioBetween(results, c, best).significant)
  const model = modelFactor(contenders)
  const others = [
    variantFactor(ctx, free),
    concurrencyFactor(ctx, contenders),
    workersFactor(ctx, contenders),
  ].filter((f): f is Factor => f !== undefined)
  if (!others.some((f) => f.kind === 'concurrency' || f.kind === 'workers')) {
    const reference = referenceFactor(ctx, best, limited)
    if (reference) others.push(reference)
  }
  const bar = Math.max(1, model?.size ?? 1) * CLEARLY
  const above = others.filter((f) => f.size > bar).sort((a, b) => b.size - a.size)
  const settings = above.flatMap((f) => f.setting ?? [])
  const use = `Use ${tied.length > 1 ? `any of ${list(tied.map((c) => nameOf(names, variantKey(c))))}` : nameOf(names, variantKey(best))}${settings.length > 0 ? `, ${settings.join(', ')}` : ''}.`
  const ceiling = ceilingClause(ctx, best)
  const parts: string[] = []
  if (above.length > 0) {
    parts.push(`What matters most is ${above[0]?.text}`)
    for (const f of above.slice(1, 2)) parts.push(`then ${f.text}`)
    if (model) parts.push(`while ${model.text}`)
  } else if (model) {
    const top = model.size < CLEARLY ? 'The model barely matters here' : 'The model matters here'
    parts.push(`${top}: ${model.text}`)
  } else parts.push('One contestant measured, so nothing to compare the model with')
  // Doing one thing at a time is the "before" picture: worth a clause even when it is no factor.
  const reference = others.find((f) => f.kind === 'reference')
  if (reference && !above.includes(reference)) parts.push(reference.text)
  if (ceiling.text) parts.push(ceiling.text)
  return {
    ...empty,
    use,
    why: `${parts.join('; ')}. ${costClause(best, items)}`,
    sure: sureText(results, names, tied, contenders),
    factor: above[0]?.kind ?? 'model',
    choice: tied.map(variantKey),
    pointId: central.point.id,
  }
}

/** One answer per workload of the run, in the file's order. */
export function answers(results: Results): Answer[] {
  return workloadsOf(results).map((info) => answerFor(results, info.id, info.title, info.items))
}
