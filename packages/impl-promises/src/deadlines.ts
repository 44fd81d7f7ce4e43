/**
 * How each operation gets its deadline, and lets go of it when it ends: the
 * one choice between the `default` and `tuned` variants' fetch, scan and
 * pipeline. The idiom is `AbortSignal.timeout` joined to the run's signal with
 * `AbortSignal.any` (core's `deadline`): nothing to release, but its timer
 * fires `timeoutMs` after the operation started however soon it ended, and
 * builds a `TimeoutError` with a stack when it does. The tuned form is core's
 * `disposableDeadline`, a timer cleared the moment the operation ends — what
 * `using limit = disposableDeadline(…)` does, written out so that one lane's
 * code serves both.
 */
import { type DisposableDeadline, deadline, disposableDeadline } from '@arena/core'

/** Gives an operation its deadline, and takes it back once the operation has ended. */
export interface Deadlines {
  readonly open: (timeoutMs: number, signal: AbortSignal | undefined) => AbortSignal
  readonly release: (limit: AbortSignal) => void
}

/** The idiom: `AbortSignal.timeout` + `AbortSignal.any`; released by letting it fire. */
export const timeoutSignals: Deadlines = { open: deadline, release: () => {} }

/** The tuned form: a cleared timer, disposed as soon as its operation ends. */
export const clearedTimers: Deadlines = {
  open: disposableDeadline,
  release: (limit) => (limit as DisposableDeadline)[Symbol.dispose](),
}
