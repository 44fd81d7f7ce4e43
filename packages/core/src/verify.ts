/**
 * Verifiers: compare a contestant's answer with the ground truth and list every
 * discrepancy, so a wrong answer is never timed as a speed. Failures are
 * compared by kind (and status for `http-status`): the code or message of a
 * network error is the client's business.
 */
import { failureKinds, type Outcome } from './outcome.ts'

/** What can be wrong with one position of an answer. */
export type Problem = 'missing' | 'extra' | 'malformed' | 'wrong' | 'out-of-order' | 'duplicated'

/** One thing wrong with an answer. */
export interface Discrepancy {
  /** Position in the input, from 0. */
  readonly index: number
  readonly problem: Problem
  /** The expected outcome, rendered. */
  readonly expected?: string
  /** The outcome received, rendered. */
  readonly actual?: string
  /** For `out-of-order` and `duplicated`: the item this answer belongs to. */
  readonly belongsTo?: number
}

/** The verifier's verdict on one answer. */
export interface Verdict {
  /** True when there is no discrepancy. */
  readonly ok: boolean
  /** Number of items expected. */
  readonly items: number
  /** Every discrepancy, in input order (capped at {@link MAX_DISCREPANCIES}). */
  readonly discrepancies: readonly Discrepancy[]
  /** Total discrepancies, including those past the cap. */
  readonly discrepancyCount: number
  /** How many outcomes of each kind (`ok` or a failure kind) the answer holds. */
  readonly tally: Readonly<Record<string, number>>
}

/** Options of a verification. */
export interface VerifyOptions {
  /** Accept `aborted` for any item (the run was aborted on purpose). */
  readonly allowAborted?: boolean
}

/** At most this many discrepancies are listed; the rest are counted. */
export const MAX_DISCREPANCIES = 100

function render(outcome: unknown): string | undefined {
  if (typeof outcome !== 'object' || outcome === null) return undefined
  const o = outcome as {
    ok?: unknown
    value?: unknown
    failure?: { kind?: unknown; status?: unknown }
  }
  if (o.ok === true && typeof o.value === 'object' && o.value !== null) {
    const entries = Object.entries(o.value).sort(([a], [b]) => a.localeCompare(b))
    return `ok ${entries.map(([k, v]) => `${k}=${String(v)}`).join(' ')}`
  }
  if (o.ok === false && typeof o.failure === 'object' && o.failure !== null) {
    const kind = o.failure.kind
    if (!(failureKinds as readonly unknown[]).includes(kind)) return undefined
    return kind === 'http-status'
      ? `failed http-status ${String(o.failure.status)}`
      : `failed ${String(kind)}`
  }
  return undefined
}

function tallyKey(outcome: unknown): string {
  const o = outcome as { ok?: unknown; failure?: { kind?: unknown } } | null
  if (o?.ok === true) return 'ok'
  if (o?.ok === false && typeof o.failure?.kind === 'string') return o.failure.kind
  return 'malformed'
}

/**
 * Compares `actual` with `expected`, position by position. An answer that
 * matches another item's expected success is reported `out-of-order`, or
 * `duplicated` when that item also got it.
 */
export function verifyOutcomes<T>(
  expected: readonly Outcome<T>[],
  actual: unknown,
  options: VerifyOptions = {},
): Verdict {
  const discrepancies: Discrepancy[] = []
  let discrepancyCount = 0
  const report = (d: Discrepancy) => {
    discrepancyCount++
    if (discrepancies.length < MAX_DISCREPANCIES) discrepancies.push(d)
  }
  const tally: Record<string, number> = {}
  if (!Array.isArray(actual)) {
    report({ index: 0, problem: 'malformed', actual: `not an array but ${typeof actual}` })
    return { ok: false, items: expected.length, discrepancies, discrepancyCount, tally }
  }
  const wanted = expected.map(render)
  // Only an answer unique to one item can be traced to it: states like `open` are not.
  const owners = new Map<string, number>()
  const seen = new Set<string>()
  wanted.forEach((key, i) => {
    if (!key?.startsWith('ok')) return
    if (seen.has(key)) owners.delete(key)
    else owners.set(key, i)
    seen.add(key)
  })
  const got: (string | undefined)[] = []
  for (let i = 0; i < actual.length; i++) {
    // A sparse array's hole is a missing answer, not an `undefined` answer.
    got.push(i in actual ? render(actual[i]) : undefined)
    if (i in actual) tally[tallyKey(actual[i])] = (tally[tallyKey(actual[i])] ?? 0) + 1
  }
  for (let i = 0; i < Math.max(expected.length, actual.length); i++) {
    const want = wanted[i]
    if (i >= expected.length) {
      report({ index: i, problem: 'extra', actual: got[i] ?? 'malformed' })
      continue
    }
    if (i >= actual.length || !(i in actual)) {
      report({ index: i, problem: 'missing', ...(want && { expected: want }) })
      continue
    }
    const have = got[i]
    if (have === undefined) {
      report({
        index: i,
        problem: 'malformed',
        ...(want && { expected: want }),
        actual: JSON.stringify(actual[i]) ?? 'undefined',
      })
      continue
    }
    if (have === want || (options.allowAborted && have === 'failed aborted')) continue
    const owner = owners.get(have)
    if (owner !== undefined && owner !== i) {
      const problem = got[owner] === wanted[owner] ? 'duplicated' : 'out-of-order'
      report({ index: i, problem, ...(want && { expected: want }), actual: have, belongsTo: owner })
    } else {
      report({ index: i, problem: 'wrong', ...(want && { expected: want }), actual: have })
    }
  }
  return {
    ok: discrepancyCount === 0,
    items: expected.length,
    discrepancies,
    discrepancyCount,
    tally,
  }
}

/** One line per discrepancy (at most `limit`), for error messages and logs. */
export function describeVerdict(verdict: Verdict, limit = 5): string {
  if (verdict.ok) return `all ${verdict.items} outcomes correct`
  const lines = verdict.discrepancies.slice(0, limit).map((d) => {
    const parts = [`#${d.index} ${d.problem}`]
    if (d.expected) parts.push(`expected ${d.expected}`)
    if (d.actual) parts.push(`got ${d.actual}`)
    if (d.belongsTo !== undefined) parts.push(`(the answer of #${d.belongsTo})`)
    return parts.join(', ')
  })
  const more = verdict.discrepancyCount - lines.length
  return `${verdict.discrepancyCount} of ${verdict.items} outcomes wrong: ${lines.join('; ')}${more > 0 ? `; and ${more} more` : ''}`
}
