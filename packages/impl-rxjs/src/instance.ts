/**
 * The two lifetimes of a variant's resources, and the one way a workload is
 * written for both. A workload is a function of a {@link ResourceSource}: it
 * validates its input and options first, then runs its stream on the
 * source's resources. `oneShot` opens resources for one call's stream alone
 * (RxJS's `using`: subscribed with the stream, released when it ends);
 * `openInstance` subscribes to the same resource once, keeps the
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
  NEVER,
  type Observable,
  Subscription,
} from 'rxjs'
import { type Resources, usingResources } from './resources.ts'

/** Where a call's stream takes the resources it leases. */
export interface ResourceSource {
  /** Validates a call's options (a `TypeError` names what is wrong); an instance also holds them to what it opened. */
  check(options: unknown): RunOptions
  /**
   * `work` on resources: opened for `needs` when the stream is subscribed and
   * released when it ends (one-shot), or the instance's, whatever `needs` says.
   */
  run<T>(needs: OpenOptions, work: (resources: Resources) => Observable<T>): Observable<T>
}

/** Resources for one call alone: opened when its stream is subscribed, released when it ends. */
export const oneShot: ResourceSource = {
  check: checkRunOptions,
  run: (needs, work) =>
    usingResources(needs, (resources) =>
      // Completes once everything is released; torn down early (an abort), it releases without waiting.
      concat(work(resources), defer(() => resources.close()).pipe(ignoreElements())),
    ),
}

/** The source of an instance's calls: its kept resources, for calls within what it opened. */
function keptBy(resources: Resources): ResourceSource {
  return {
    check(options) {
      const checked = checkRunOptions(options)
      if (resources.closed)
        throw new TypeError('Expected an open instance, got one that was closed')
      if (checked.parallelism !== resources.parallelism) {
        throw new TypeError(
          `Expected options.parallelism to be the instance's ${resources.parallelism}, got ${checked.parallelism}`,
        )
      }
      if (checked.concurrency > resources.concurrency) {
        throw new TypeError(
          `Expected options.concurrency to be at most the instance's ${resources.concurrency}, got ${checked.concurrency}`,
        )
      }
      return checked
    },
    // Deferred, so a call that never subscribes (an already aborted signal) touches nothing.
    run: (_needs, work) => defer(() => work(resources)),
  }
}

/**
 * Validates open options and returns them.
 * @throws TypeError naming the field, the accepted range and the value received
 */
export function checkOpenOptions(options: unknown): OpenOptions {
  const o = expectObject('options', options)
  return {
    concurrency: expectInteger('options.concurrency', o.concurrency, 1, MAX_CONCURRENCY),
    parallelism: expectInteger('options.parallelism', o.parallelism, 0, MAX_PARALLELISM),
  }
}

/**
 * Opens resources for `options`, resolving once every worker has loaded,
 * and returns an instance whose workloads are `bind` of them. The instance
 * holds its subscription to the resources; `close` unsubscribes it and
 * resolves once every thread and socket is gone.
 * @throws TypeError for bad options, before anything starts
 */
export async function openInstance(
  options: OpenOptions,
  bind: (source: ResourceSource) => Partial<Workloads>,
): Promise<Instance> {
  const needs = checkOpenOptions(options)
  const held = new Subscription()
  let opened: Resources | undefined
  const ready = new Promise<Resources>((resolve, reject) => {
    const kept = usingResources(needs, (resources) => {
      opened = resources
      // Emits once ready, then stays subscribed: the resources live until `held` is unsubscribed.
      return resources.ready().pipe(concatWith(NEVER))
    })
    held.add(kept.subscribe({ next: resolve, error: reject }))
  })
  let resources: Resources
  try {
    resources = await ready
  } catch (error) {
    // `using` has started the release; a failed open leaves nothing either.
    await opened?.close()
    throw error
  }
  return {
    workloads: bind(keptBy(resources)),
    close: () => {
      held.unsubscribe()
      return resources.close()
    },
  }
}
