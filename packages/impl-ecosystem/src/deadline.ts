/**
 * A deadline for one operation: aborts after `timeoutMs` (reason
 * `TimeoutError`) or when the run's `signal` aborts (its own reason).
 */
export function deadline(timeoutMs: number, signal: AbortSignal | undefined): AbortSignal {
  const timeout = AbortSignal.timeout(timeoutMs)
  return signal ? AbortSignal.any([signal, timeout]) : timeout
}
