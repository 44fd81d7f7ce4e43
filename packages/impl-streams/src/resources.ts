/**
 * What a streams variant keeps between calls: its worker pool (with
 * `parallelism` ≥ 1) and a keep-alive HTTP client per origin, sized to the
 * concurrency it was opened for. Each is created when first needed, so a
 * one-shot call starts only what its workload uses; `ready()` (what `open`
 * awaits) starts the pool at once and waits for its workers — unless the
 * instance is opened for a workload that never hashes — since a client's
 * origin is not known until a call names it.
 */
import { createHttpClient, type HttpClient, type OpenOptions, type WorkloadId } from '@arena/core'
import { WorkerPool } from './pool.ts'

/** What an instance may be opened for that hashes on the pool (`undefined`: any workload). */
const hashing: ReadonlySet<WorkloadId | undefined> = new Set([undefined, 'hash', 'pipeline'])

/** The worker pool and HTTP clients of one call or one instance. */
export class Resources {
  readonly #options: OpenOptions
  readonly #clients = new Map<string, HttpClient>()
  #pool: WorkerPool | undefined

  constructor(options: OpenOptions) {
    this.#options = options
  }

  /** The client of `origin`, created on first use and kept until `close`. */
  client(origin: string): HttpClient {
    let client = this.#clients.get(origin)
    if (client === undefined) {
      client = createHttpClient({ origin, connections: this.#options.concurrency })
      this.#clients.set(origin, client)
    }
    return client
  }

  /** The worker pool, started on first use; `undefined` with parallelism 0. */
  pool(): WorkerPool | undefined {
    if (this.#options.parallelism > 0) this.#pool ??= new WorkerPool(this.#options.parallelism)
    return this.#pool
  }

  /** Starts the pool, if the instance will hash, and resolves once every worker has loaded. */
  ready(): Promise<void> {
    if (!hashing.has(this.#options.workload)) return Promise.resolve()
    return this.pool()?.ready() ?? Promise.resolve()
  }

  /** Closes every client and the pool; resolves once none of their sockets or threads is left. */
  async close(): Promise<void> {
    const clients = [...this.#clients.values()]
    this.#clients.clear()
    await Promise.all([...clients.map((client) => client.close()), this.#pool?.close()])
  }
}
