/**
 * One call's digests, in input order: the answers of a `hash` or `pipeline`
 * call as they arrive from workers, the event loop or the downloader, each
 * item answered once (the first answer wins), the promise resolved when every
 * item has one. An abort answers every item still open at once; a deadline
 * sweep, when the call has workers, cuts off a worker that is silent too long.
 */
import { type Failure, failed, failureOf, type Outcome, success } from '@arena/core'

/** The payload of `hash` and `pipeline` alike. */
export interface Digest {
  readonly digest: string
}

/** Collects the outcomes of `count` items. */
export class DigestCall {
  readonly outcomes: Outcome<Digest>[]
  readonly promise: Promise<Outcome<Digest>[]>
  #open: number
  #resolve: (outcomes: Outcome<Digest>[]) => void = () => {}
  #cleanups: (() => void)[] = []

  constructor(count: number) {
    this.outcomes = new Array(count)
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

  /** Digests of the items `first`, `first + 1`, … */
  done(first: number, digests: readonly string[]): void {
    for (let i = 0; i < digests.length; i++) {
      if (this.outcomes[first + i] !== undefined) continue
      this.outcomes[first + i] = success({ digest: digests[i] as string })
      this.#open--
    }
    if (this.#open === 0) this.#finish()
  }

  /** The digest of item `index`. */
  set(index: number, digest: string): void {
    if (this.outcomes[index] !== undefined) return
    this.outcomes[index] = success({ digest })
    if (--this.#open === 0) this.#finish()
  }

  /** Fails `count` items from `first`. */
  fail(first: number, count: number, failure: Failure): void {
    for (let i = first; i < first + count; i++) {
      if (this.outcomes[i] !== undefined) continue
      this.outcomes[i] = failed(failure)
      this.#open--
    }
    if (this.#open === 0) this.#finish()
  }

  /**
   * Ends every open item as `signal`'s abort decides (`aborted`, or `timeout`
   * for a `TimeoutError` reason) as soon as it aborts; returns false when it
   * already has.
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
