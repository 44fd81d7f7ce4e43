/**
 * What the default and native variants' streams lease, gathered into one
 * RxJS resource: the worker pool (started at once, when there is to be one)
 * and a keep-alive HTTP pool per origin (core's `createHttpClient`, created
 * on first use and kept). It is a {@link Kept} `Unsubscribable`, so RxJS's
 * `using` ties it to a subscription: one call's stream (`oneShot`) or an
 * instance's, held from `open` until `close`.
 */
import { createHttpClient, type HttpClient, type OpenOptions } from '@arena/core'
import { map, type Observable, of } from 'rxjs'
import { type Kept, oneShotOf, type ResourceSource } from './instance.ts'
import { WorkerPool } from './pool.ts'

/** The worker pool and HTTP pools a variant's streams lease. */
export class Resources implements Kept {
  /** The most requests in flight a call may ask for; each HTTP pool has this many connections. */
  readonly concurrency: number
  /** Worker threads kept; 0 means CPU work stays on the event loop. */
  readonly parallelism: number
  /** The sha256 workers, when `parallelism` ≥ 1. */
  readonly pool: WorkerPool | undefined
  readonly #clients = new Map<string, HttpClient>()
  #closing: Promise<void> | undefined

  /** Starts the worker pool at once, so its workers load while the stream gets going. */
  constructor({ concurrency, parallelism }: OpenOptions) {
    this.concurrency = concurrency
    this.parallelism = parallelism
    this.pool = parallelism > 0 ? new WorkerPool(parallelism) : undefined
  }

  /** Whether the release has started. */
  get closed(): boolean {
    return this.#closing !== undefined
  }

  /** Emits these resources once every worker has loaded (at once without workers). */
  ready(): Observable<this> {
    return (this.pool?.ready() ?? of(undefined)).pipe(map(() => this))
  }

  /** The keep-alive pool to `origin`: created on its first use, kept until `close`. */
  client(origin: string): HttpClient {
    let client = this.#clients.get(origin)
    if (client === undefined) {
      client = createHttpClient({ origin, connections: this.concurrency })
      this.#clients.set(origin, client)
    }
    return client
  }

  /**
   * Releases everything: terminates the workers and closes every connection.
   * Resolves once the threads have exited and the sockets are closed; calling
   * it again returns the same promise.
   */
  close(): Promise<void> {
    this.#closing ??= Promise.all([
      this.pool?.close(),
      ...Array.from(this.#clients.values(), (client) => client.close()),
    ]).then(() => undefined)
    return this.#closing
  }

  /** `using`'s release: starts `close` without waiting for it (whoever needs to wait awaits `close()`). */
  unsubscribe(): void {
    // Awaiting callers see a failure through `close()`; this one only must not leave it unhandled.
    this.close().catch(() => {})
  }
}

/** Resources for `needs`, as `open` and the one-shot source make them. */
export const openResources = (needs: OpenOptions) => new Resources(needs)

/** The one-shot source of the default and native variants: resources opened for one call's stream. */
export const oneShot: ResourceSource<Resources> = oneShotOf(openResources)
