/**
 * What the ecosystem variant keeps between calls: one piscina pool (with
 * `parallelism` ≥ 1) and one keep-alive HTTP client per origin, sized to the
 * concurrency it was opened for. Nothing is started until it is needed: a
 * one-shot call starts only what its workload uses, and `ready()` (what
 * `open` awaits) starts the pool up front and waits for its threads — unless
 * the instance is opened for a workload that never hashes (fetch, scanPort),
 * which keeps no pool at all — since the origin of an HTTP client is not
 * known before the first call names it.
 */
import { createHttpClient, type HttpClient, type OpenOptions, type WorkloadId } from '@arena/core'
import { createPool, type Pool } from './pool.ts'

/** The workloads that hash on the pool. */
const hashing: ReadonlySet<WorkloadId | undefined> = new Set([undefined, 'hash', 'pipeline'])

/** The ecosystem variant's piscina pool and HTTP clients. */
export class Resources {
  readonly #options: OpenOptions
  readonly #clients = new Map<string, HttpClient>()
  #pool: Pool | undefined

  constructor(options: OpenOptions) {
    this.#options = options
  }

  /** The client for `origin`, created on first use and kept until `close`. */
  client(origin: string): HttpClient {
    let client = this.#clients.get(origin)
    if (!client) {
      client = createHttpClient({ origin, connections: this.#options.concurrency })
      this.#clients.set(origin, client)
    }
    return client
  }

  /** The piscina pool, started on first use; `undefined` with parallelism 0. */
  pool(): Pool | undefined {
    if (this.#options.parallelism > 0) this.#pool ??= createPool(this.#options.parallelism)
    return this.#pool
  }

  /** Starts the pool, if the workload opened for uses it, and resolves once its threads have loaded. */
  ready(): Promise<void> {
    if (!hashing.has(this.#options.workload)) return Promise.resolve()
    return this.pool()?.ready() ?? Promise.resolve()
  }

  /** Closes every client and destroys the pool; resolves once no socket or thread of them is left. */
  async close(): Promise<void> {
    const clients = [...this.#clients.values()]
    this.#clients.clear()
    await Promise.all([...clients.map((c) => c.close()), this.#pool?.destroy()])
  }
}
