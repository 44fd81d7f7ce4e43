/**
 * What the default variant keeps between calls: the worker pool (with
 * `parallelism` ≥ 1) and one keep-alive HTTP client per origin, sized to the
 * concurrency it was opened for. Nothing is started until it is needed: a
 * one-shot call starts only what its workload uses, and `ready()` (what
 * `open` awaits) starts the pool up front and waits for its workers — unless
 * the instance is opened for a workload that never hashes (fetch, scanPort),
 * which keeps no pool at all — since the origin of an HTTP client is not
 * known before the first call names it.
 */
import { createHttpClient, type HttpClient, type OpenOptions, type WorkloadId } from '@arena/core'
import type { Kept } from './lifecycle.ts'
import { WorkerPool } from './pool.ts'

/** The workloads that hash on the pool. */
const hashing: ReadonlySet<WorkloadId | undefined> = new Set([undefined, 'hash', 'pipeline'])

/** The default variant's worker pool and HTTP clients. */
export class Resources implements Kept {
  readonly #options: OpenOptions
  readonly #clients = new Map<string, HttpClient>()
  #pool: WorkerPool | undefined

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

  /** The worker pool, started on first use; `undefined` with parallelism 0. */
  pool(): WorkerPool | undefined {
    if (this.#options.parallelism > 0) this.#pool ??= new WorkerPool(this.#options.parallelism)
    return this.#pool
  }

  ready(): Promise<void> {
    if (!hashing.has(this.#options.workload)) return Promise.resolve()
    return this.pool()?.ready() ?? Promise.resolve()
  }

  async close(): Promise<void> {
    const clients = [...this.#clients.values()]
    this.#clients.clear()
    await Promise.all([...clients.map((c) => c.close()), this.#pool?.close()])
  }
}
