/**
 * One call's digests, in input order: the answers of a `hash` or `pipeline`
 * call as they arrive from workers, the event loop or the downloader, each
 * item answered once (the first answer wins) and reported to `onOutcome` as
 * it is, the promise resolved when every item has one. An abort answers every
 * item still open at once.
 */
import { type Failure, failed, failureOf, type Outcome, success } from '@arena/core'

/** The payload of `hash` and `pipeline` alike. */
export interface Digest {
  readonly digest: string
}

/** Core's per-item callbacks (`RunOptions.onStart`, `onOutcome`). */
export interface ItemHooks {
  readonly onStart?: ((index: number) => void) | undefined
  readonly onOutcome?: ((index: number, outcome: Outcome<Digest>) => void) | undefined
}

/** Collects the outcomes of `count` items. */
export class DigestCall {
  readonly outcomes: Outcome<Digest>[]
  readonly promise: Promise<Outcome<Digest>[]>
  readonly #hooks: ItemHooks
  #open: number
  #resolve: (outcomes: Outcome<Digest>[]) => void = () => {}
  #cleanups: (() => void)[] = []

  constructor(count: number, hooks: ItemHooks = {}) {
    this.outcomes = new Array(count)
    this.#hooks = hooks
    this.#open = count
    this.promise = new Promise((resolve) => {
      this.#resolve = resolve
    })
    if (count === 0) this.#finish()
  }

  /** True once every item has its outcome. */
  get finished(): boolean {
    return this.#open === 0
  }

  /** Runs `cleanup` when the call finishes (at once if it has). */
  onFinish(cleanup: () => void): void {
    if (this.finished) cleanup()
    else this.#cleanups.push(cleanup)
  }

  /** Items `first`… have begun (a worker took them, or the loop is on them): `onStart` for each still open. */
  start(first: number, count: number): void {
    const onStart = this.#hooks.onStart
    if (!onStart) return
    for (let i = first; i < first + count; i++) if (this.outcomes[i] === undefined) onStart(i)
  }

  #answer(index: number, outcome: Outcome<Digest>): void {
    this.outcomes[index] = outcome
    this.#open--
    this.#hooks.onOutcome?.(index, outcome)
  }

  /** The digest of item `index`. */
  set(index: number, digest: string): void {
    if (this.outcomes[index] !== undefined) return
    this.#answer(index, success({ digest }))
    if (this.#open === 0) this.#finish()
  }

  /** Digests of the items `first`, `first + 1`, … */
  done(first: number, digests: readonly string[]): void {
    for (let i = 0; i < digests.length; i++)
      if (this.outcomes[first + i] === undefined)
        this.#answer(first + i, success({ digest: digests[i] as string }))
    if (this.#open === 0) this.#finish()
  }

  /** Fails `count` items from `first`. */
  fail(first: number, count: number, failure: Failure): void {
    const outcome: Outcome<Digest> = failed(failure)
    for (let i = first; i < first + count; i++)
      if (this.outcomes[i] === undefined) this.#answer(i, outcome)
    if (this.#open === 0) this.#finish()
  }

  /**
   * Ends every open item as `signal`'s abort decides (`aborted`, or `timeout`
   * for a `TimeoutError` reason) as soon as it aborts, then calls `onAbort` to
   * stop the work; returns false when the signal already has aborted.
   */
  watch(signal: AbortSignal | undefined, onAbort: () => void): boolean {
    if (!signal) return true
    const abort = () => {
      // Answered first: stopping the work fails its items too, and the abort must win.
      this.fail(0, this.outcomes.length, failureOf(signal.reason, signal))
      onAbort()
    }
    if (signal.aborted) {
      abort()
      return false
    }
    signal.addEventListener('abort', abort, { once: true })
    this.onFinish(() => signal.removeEventListener('abort', abort))
    return true
  }

  #finish(): void {
    for (const cleanup of this.#cleanups.splice(0)) cleanup()
    this.#resolve(this.outcomes)
  }
}
