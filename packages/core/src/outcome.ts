/**
 * Outcomes: every item of every workload ends with exactly one of these, in
 * input order. Expected failures are data, a union keyed by `kind`, never a
 * thrown exception that would lose the other items' answers. `failureOf` is the
 * one place that turns anything thrown into that union, so every contestant
 * classifies the same error the same way.
 */

/** The kinds of expected failure, in the order the report lists them. */
export const failureKinds = [
  'http-status',
  'timeout',
  'network',
  'aborted',
  'worker-crashed',
] as const

/** One of {@link failureKinds}. */
export type FailureKind = (typeof failureKinds)[number]

/** An expected failure of one item. `message` is for people, never compared. */
export type Failure =
  /** The server answered with a non-2xx `status`. */
  | { readonly kind: 'http-status'; readonly status: number; readonly message?: string }
  /** The operation exceeded the run's `timeoutMs`. */
  | { readonly kind: 'timeout'; readonly message?: string }
  /** The connection failed: refused, reset, closed mid-body; `code` is the system or undici code. */
  | { readonly kind: 'network'; readonly code: string; readonly message?: string }
  /** The run's `signal` was aborted before this item finished. */
  | { readonly kind: 'aborted'; readonly message?: string }
  /** The worker thread running this item threw, exited or was lost. */
  | { readonly kind: 'worker-crashed'; readonly message?: string }

/** The answer for one item: a success with its payload, or a tagged failure. */
export type Outcome<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly failure: Failure }

/** Wraps a successful payload. */
export function success<T>(value: T): Outcome<T> {
  return { ok: true, value }
}

/** Wraps a failure. */
export function failed<T = never>(failure: Failure): Outcome<T> {
  return { ok: false, failure }
}

/** The failure of an item that never ran, or was cut off, because the run was aborted. */
export const abortedFailure: Failure = { kind: 'aborted' }

/** Thrown by the HTTP primitive for a non-2xx answer. */
export class HttpStatusError extends Error {
  override readonly name = 'HttpStatusError'
  /** The HTTP status code received. */
  readonly status: number
  constructor(status: number) {
    super(`The server answered HTTP ${status}`)
    this.status = status
  }
}

/** Thrown (or used as a rejection) when a worker thread dies while running an item. */
export class WorkerCrashedError extends Error {
  override readonly name = 'WorkerCrashedError'
}

function errorCode(error: unknown): string | undefined {
  for (
    let e = error, depth = 0;
    e && typeof e === 'object' && depth < 5;
    e = (e as { cause?: unknown }).cause, depth++
  ) {
    const code = (e as { code?: unknown }).code
    if (typeof code === 'string' && code !== 'ABORT_ERR') return code
  }
  return undefined
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

/**
 * Classifies anything thrown while processing one item.
 *
 * If `signal` is given and aborted, its `reason` decides instead of the error:
 * clients disagree about what they throw on abort, while the signal knows why.
 * A `TimeoutError` (as from `AbortSignal.timeout`) is a `timeout`; any other
 * abort reason is `aborted`.
 */
export function failureOf(error: unknown, signal?: AbortSignal): Failure {
  const cause = signal?.aborted ? signal.reason : error
  const name = cause instanceof Error || cause instanceof DOMException ? cause.name : undefined
  if (name === 'TimeoutError') return { kind: 'timeout' }
  if (name === 'AbortError' || signal?.aborted) return { kind: 'aborted' }
  if (cause instanceof HttpStatusError) return { kind: 'http-status', status: cause.status }
  if (cause instanceof WorkerCrashedError) return { kind: 'worker-crashed', message: cause.message }
  return { kind: 'network', code: errorCode(cause) ?? 'UNKNOWN', message: messageOf(cause) }
}
