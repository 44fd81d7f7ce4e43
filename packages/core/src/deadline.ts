/**
 * The deadline of one operation, as a signal: the shared primitive every
 * contestant's raw-promise code passes to core's HTTP client and TCP probe.
 */

/**
 * A signal that aborts after `timeoutMs` (reason: a `TimeoutError`
 * `DOMException`) or when `signal` aborts (with `signal`'s reason), whichever
 * comes first.
 */
export function deadline(timeoutMs: number, signal: AbortSignal | undefined): AbortSignal {
  const timeout = AbortSignal.timeout(timeoutMs)
  return signal ? AbortSignal.any([signal, timeout]) : timeout
}
