/**
 * The two tools of the `tuned` variant, each trading an Effect idiom for
 * fewer fibers per item. `lanes` runs a fixed number of long-lived fibers
 * that take the next index until none is left, where `Effect.forEach` forks
 * a fiber per item. `attempt` runs one promise-level operation with its
 * deadline as a timer inside an `Effect.callback`, where `Effect.timeout`
 * races the operation against a sleep in two more forked fibers. Interrupting
 * an attempt (the run's abort) still aborts the operation's signal.
 */
import { failed, failureOf, type Outcome, success } from '@arena/core'
import * as Effect from 'effect/Effect'

/** Runs `task(i)` for every `i` from 0 to `count - 1` on at most `width` fibers. */
export const lanes = (
  count: number,
  width: number,
  task: (index: number) => Effect.Effect<void>,
): Effect.Effect<void> =>
  Effect.suspend(() => {
    let next = 0
    const lane = Effect.whileLoop({
      while: () => next < count,
      body: () => task(next++),
      step: () => {},
    })
    return Effect.forEach(Array.from({ length: Math.min(width, count) }), () => lane, {
      concurrency: 'unbounded',
      discard: true,
    })
  })

/**
 * The outcome of `run(signal)` within `timeoutMs`: past the deadline its
 * signal aborts with a `TimeoutError`, and anything it rejects with is
 * classified by core's `failureOf`.
 */
export const attempt = <A>(
  timeoutMs: number,
  run: (signal: AbortSignal) => Promise<A>,
): Effect.Effect<Outcome<A>> =>
  Effect.callback((resume) => {
    const controller = new AbortController()
    const timer = setTimeout(
      () => controller.abort(new DOMException(`exceeded ${timeoutMs} ms`, 'TimeoutError')),
      timeoutMs,
    )
    run(controller.signal).then(
      (value) => {
        clearTimeout(timer)
        resume(Effect.succeed(success(value)))
      },
      (error: unknown) => {
        clearTimeout(timer)
        resume(Effect.succeed(failed(failureOf(error, controller.signal))))
      },
    )
    return Effect.sync(() => {
      clearTimeout(timer)
      controller.abort()
    })
  })
