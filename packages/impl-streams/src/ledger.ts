/**
 * Where a call's outcomes are kept: one slot per item, filled as each item
 * completes — the moment `onOutcome` is told, exactly once — and read when the
 * stream has ended. The stream decides when items start (its window of
 * `concurrency`); the ledger decides where each answer goes. Putting answers
 * in place as they complete, rather than as the ordered stream delivers them,
 * is what keeps the done callback on time behind a slow head and keeps every
 * finished answer when an abort errors the stream: an aborted `map` or
 * `pipeline` does not end, it rejects with an `AbortError` (a plain
 * `.toArray()` would throw every answer away). `collect` catches that abort,
 * answers each item still without an outcome `aborted`, and closes the
 * ledger, so an operation that settles later is not reported after the call.
 */
import type { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { abortedFailure, failed, type Outcome, type RunOptions } from '@arena/core'

/** The outcomes of one call of `count` items. */
export class Ledger<T> {
  readonly #outcomes: (Outcome<T> | undefined)[]
  readonly #onOutcome: RunOptions['onOutcome']
  #next = 0
  #closed = false

  constructor(count: number, onOutcome: RunOptions['onOutcome']) {
    this.#outcomes = new Array(count)
    this.#onOutcome = onOutcome
  }

  /**
   * `fn` with each item's index: items are numbered in the order the stream
   * calls it, which for `map` (and `mapUnordered`) is input order.
   */
  numbered<I, R>(fn: (item: I, index: number) => Promise<R>): (item: I) => Promise<R> {
    return (item) => fn(item, this.#next++)
  }

  /** `fn`, numbered, with its outcome put in place and reported as it completes. */
  each<I>(fn: (item: I, index: number) => Promise<Outcome<T>>): (item: I) => Promise<Outcome<T>> {
    return this.numbered(async (item: I, index) => this.settle(index, await fn(item, index)))
  }

  /** Puts `outcome` in slot `index` and reports it, unless the slot is filled or the ledger closed. */
  settle(index: number, outcome: Outcome<T>): Outcome<T> {
    if (this.#closed || this.#outcomes[index] !== undefined) return outcome
    this.#outcomes[index] = outcome
    this.#onOutcome?.(index, outcome)
    return outcome
  }

  /**
   * Runs `stream` to its end with `pipeline` under `signal`, then answers
   * every item without an outcome `aborted` and closes the ledger. An error
   * other than the abort is a bug in a stage (each turns its failures into
   * outcomes) and is thrown.
   */
  async collect(stream: Readable, signal: AbortSignal | undefined): Promise<Outcome<T>[]> {
    try {
      await pipeline(stream, drain, signal ? { signal } : {})
    } catch (error) {
      if (!signal?.aborted) throw error
    }
    for (let index = 0; index < this.#outcomes.length; index++)
      this.settle(index, failed(abortedFailure))
    this.#closed = true
    return this.#outcomes as Outcome<T>[]
  }
}

/** The sink: the answers are already in the ledger, so it only pulls the stream along. */
async function drain(source: AsyncIterable<unknown>): Promise<void> {
  for await (const _ of source);
}
