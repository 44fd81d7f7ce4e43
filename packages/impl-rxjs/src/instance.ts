/**
 * The two lifetimes of what a variant keeps, and the one way a workload is
 * written for both. What it keeps (the worker and HTTP pools, the hybrid's
 * scan threads) is a {@link Kept} resource, and RxJS's `using` ties such a
 * resource to a subscription: opened when it is subscribed, released when it
 * ends. A workload is a function of a {@link ResourceSource}: it validates
 * its input and options first, then runs its stream on the source's
 * resource. The one-shot source opens a resource for one call's stream
 * alone; `openInstance` subscribes to the same resource once, keeps that
 * subscription for as many calls as come, and `close` unsubscribes it. So
 * one-shot is open, run, close, and the stream is the same code either way.
 */
import {
  checkRunOptions,
  expectInteger,
  expectObject,
  type Instance,
  MAX_CONCURRENCY,
  MAX_PARALLELISM,
  type OpenOptions,
  type RunOptions,
  type Workloads,
} from '@arena/core'
import {
  concat,
  concatWith,
  defer,
  ignoreElements,
  map,
  NEVER,
  type Observable,
  Subscription,
  take,
  type Unsubscribable,
  using,
} from 'rxjs'

/**
 * What a variant keeps between calls, opened for some {@link OpenOptions}.
 * `unsubscribe` (what `using` calls) starts the release; `close` starts it
 * too and resolves once every thread and socket is gone.
 */
export interface Kept extends Unsubscribable {
  /** The most operations in flight a call may ask for. */
  readonly concurrency: number
  /** The parallelism every call asks for. */
  readonly parallelism: number
  /** Whether the release has started. */
  readonly closed: boolean
  /** Emits once the resource is ready to work (its threads have loaded). */
  ready(): Observable<unknown>
  /** Releases everything; calling it again returns the same promise. */
  close(): Promise<void>
}

/** Where a call's stream takes the resource it leases. */
export interface ResourceSource<R extends Kept> {
  /** Validates a call's options (a `TypeError` names what is wrong); an instance also holds them to what it opened. */
  check(options: unknown): RunOptions
  /**
   * `work` on a resource: opened for `needs` when the stream is subscribed and
   * released when it ends (one-shot), or the instance's, whatever `needs` says.
   */
  run<T>(needs: OpenOptions, work: (resource: R) => Observable<T>): Observable<T>
}

/** RxJS's `using`, typed: `create()` when subscribed, `inside(it)` subscribed, and released when that ends. */
function usingKept<R extends Kept, T>(
  create: () => R,
  inside: (resource: R) => Observable<T>,
): Observable<T> {
  return defer(() => {
    const resource = create()
    return using(
      () => resource,
      () => inside(resource),
    )
  })
}

/** The one-shot source: a resource from `open` for each call's stream alone, released when it ends. */
export function oneShotOf<R extends Kept>(open: (needs: OpenOptions) => R): ResourceSource<R> {
  return {
    check: checkRunOptions,
    run: (needs, work) =>
      usingKept(
        () => open(needs),
        (resource) =>
          // Completes once everything is released; torn down early (an abort), it releases without waiting.
          concat(work(resource), defer(() => resource.close()).pipe(ignoreElements())),
      ),
  }
}

/** The source of an instance's calls: its kept resource, for calls within what it opened. */
function keptBy<R extends Kept>(resource: R): ResourceSource<R> {
  return {
    check(options) {
      const checked = checkRunOptions(options)
      if (resource.closed) throw new TypeError('Expected an open instance, got one that was closed')
      if (checked.parallelism !== resource.parallelism) {
        throw new TypeError(
          `Expected options.parallelism to be the instance's ${resource.parallelism}, got ${checked.parallelism}`,
        )
      }
      if (checked.concurrency > resource.concurrency) {
        throw new TypeError(
          `Expected options.concurrency to be at most the instance's ${resource.concurrency}, got ${checked.concurrency}`,
        )
      }
      return checked
    },
    // Deferred, so a call that never subscribes (an already aborted signal) touches nothing.
    run: (_needs, work) => defer(() => work(resource)),
  }
}

/**
 * Validates open options and returns them.
 * @throws TypeError naming the field, the accepted range and the value received
 */
function checkOpenOptions(options: unknown): OpenOptions {
  const o = expectObject('options', options)
  return {
    concurrency: expectInteger('options.concurrency', o.concurrency, 1, MAX_CONCURRENCY),
    parallelism: expectInteger('options.parallelism', o.parallelism, 0, MAX_PARALLELISM),
  }
}

/**
 * Opens a resource for `options` with `open`, resolving once it is ready,
 * and returns an instance whose workloads are `bind` of it. The instance
 * holds its subscription to the resource; `close` unsubscribes it and
 * resolves once every thread and socket is gone.
 * @throws TypeError for bad options, before anything starts
 */
export async function openInstance<R extends Kept>(
  options: OpenOptions,
  open: (needs: OpenOptions) => R,
  bind: (source: ResourceSource<R>) => Partial<Workloads>,
): Promise<Instance> {
  const needs = checkOpenOptions(options)
  const held = new Subscription()
  let opened: R | undefined
  const ready = new Promise<R>((resolve, reject) => {
    const kept = usingKept(
      () => open(needs),
      (resource) => {
        opened = resource
        // Emits once ready, then stays subscribed: the resource lives until `held` is unsubscribed.
        return resource.ready().pipe(
          take(1),
          map(() => resource),
          concatWith(NEVER),
        )
      },
    )
    held.add(kept.subscribe({ next: resolve, error: reject }))
  })
  let resource: R
  try {
    resource = await ready
  } catch (error) {
    // `using` has started the release; a failed open leaves nothing either.
    await opened?.close()
    throw error
  }
  return {
    workloads: bind(keptBy(resource)),
    close: () => {
      held.unsubscribe()
      return resource.close()
    },
  }
}
