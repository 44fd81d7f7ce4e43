/**
 * The deadline of one operation, as a signal: what contestants pass to core's
 * HTTP client and TCP probe. Two forms, because what an idiom costs is part of
 * what Arena measures:
 * - {@link deadline} is the idiom of raw-promise code, `AbortSignal.timeout`
 *   joined to the run's signal with `AbortSignal.any`. Its timer cannot be
 *   cleared: it fires (and builds a `TimeoutError` with a stack) `timeoutMs`
 *   after the operation started, however long ago the operation ended.
 * - {@link disposableDeadline} is a cleared timer: disposed (`using`) when the
 *   operation ends, it leaves no timer, listener or exception behind.
 */
import { MAX_TIMEOUT_MS } from './options.ts'
import { expectInteger } from './validate.ts'

/**
 * A signal that aborts after `timeoutMs` milliseconds (reason: a `TimeoutError`
 * `DOMException`) or when `signal` aborts (with `signal`'s reason), whichever
 * comes first. The idiom: its timer outlives the operation.
 */
export function deadline(timeoutMs: number, signal: AbortSignal | undefined): AbortSignal {
  const timeout = AbortSignal.timeout(timeoutMs)
  return signal ? AbortSignal.any([signal, timeout]) : timeout
}

/** A deadline's signal that clears its timer when disposed. */
export type DisposableDeadline = AbortSignal & Disposable

/**
 * The reason of every expired {@link disposableDeadline}: one instance, built
 * once, so an expiry builds no exception and captures no stack trace. Shared
 * by every deadline: compare it or read its `name`, never add to it.
 */
export const DEADLINE_EXCEEDED: DOMException = new DOMException(
  'The operation was aborted due to timeout',
  'TimeoutError',
)

/**
 * The live deadlines joined to one outer signal, behind one abort listener:
 * EventTarget finds a listener by walking a list, so a listener per operation
 * on a run's signal would cost each add and remove a walk over every
 * operation in flight. The listener goes when the last deadline does, so it
 * never pins a timeout or composite outer signal, which Node keeps alive
 * while it has abort listeners.
 */
class Followers {
  readonly signal: AbortSignal
  readonly timers = new Map<AbortController, NodeJS.Timeout>()
  readonly onAbort = (): void => {
    if (following.get(this.signal) === this) following.delete(this.signal)
    for (const [controller, timer] of this.timers) {
      clearTimeout(timer)
      controller.abort(this.signal.reason)
    }
    this.timers.clear()
  }

  constructor(signal: AbortSignal) {
    this.signal = signal
    signal.addEventListener('abort', this.onAbort)
  }

  /** Forgets `controller` (disposed or expired); idempotent. */
  remove(controller: AbortController): void {
    if (!this.timers.delete(controller) || this.timers.size > 0) return
    this.signal.removeEventListener('abort', this.onAbort)
    if (following.get(this.signal) === this) following.delete(this.signal)
  }
}

const following = new WeakMap<AbortSignal, Followers>()

function followersOf(signal: AbortSignal): Followers {
  let followers = following.get(signal)
  if (followers === undefined) {
    followers = new Followers(signal)
    following.set(signal, followers)
  }
  return followers
}

function noop(): void {}

/**
 * A signal that aborts after `timeoutMs` milliseconds (reason:
 * {@link DEADLINE_EXCEEDED}, a `TimeoutError` `DOMException`) or when `signal`
 * aborts (with `signal`'s reason), whichever comes first — and that, once
 * disposed, has no timer and no listener left. Declare it with `using` so the
 * operation's end disposes it:
 *
 * ```ts
 * using limit = disposableDeadline(timeoutMs, signal)
 * return await client.get(url, { signal: limit })
 * ```
 *
 * Its timer is a referenced one: a deadline nobody disposes keeps the process
 * alive until it expires, and shows up in a leak check as a `Timeout`.
 * @throws TypeError when `timeoutMs` is not an integer from 0 to 3,600,000
 */
export function disposableDeadline(
  timeoutMs: number,
  signal?: AbortSignal | undefined,
): DisposableDeadline {
  expectInteger('timeoutMs', timeoutMs, 0, MAX_TIMEOUT_MS)
  const controller = new AbortController()
  const limit = controller.signal as DisposableDeadline
  if (signal?.aborted) {
    controller.abort(signal.reason)
    limit[Symbol.dispose] = noop
    return limit
  }
  const followers = signal ? followersOf(signal) : undefined
  const timer = setTimeout(() => {
    followers?.remove(controller)
    controller.abort(DEADLINE_EXCEEDED)
  }, timeoutMs)
  followers?.timers.set(controller, timer)
  limit[Symbol.dispose] = () => {
    clearTimeout(timer)
    followers?.remove(controller)
  }
  return limit
}
