/**
 * What the processes variant keeps between calls: the process pool that
 * hashes (with `parallelism` ≥ 1), the hybrid scanner's processes, and one
 * keep-alive HTTP client per origin, sized to the concurrency it was opened
 * for. A one-shot call starts only what its workload uses; `ready()` (what
 * `open` awaits) starts what the instance's workload needs — every kind of
 * process when the workload is not named — and waits until each has loaded.
 */
import { createHttpClient, type HttpClient, type OpenOptions } from '@arena/core'
import type { Kept } from './lifecycle.ts'
import { ProcessPool } from './process-pool.ts'
import { ScanProcesses } from './scan-processes.ts'

/** The processes variant's process pool, scan processes and HTTP clients. */
export class ProcessResources implements Kept {
  readonly #options: OpenOptions
  readonly #clients = new Map<string, HttpClient>()
  #pool: ProcessPool | undefined
  #scanners: ScanProcesses | undefined

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

  /** The hashing processes, started on first use; `undefined` with parallelism 0 (hash on the loop). */
  pool(): ProcessPool | undefined {
    if (this.#options.parallelism > 0) this.#pool ??= new ProcessPool(this.#options.parallelism)
    return this.#pool
  }

  /** The scan processes: one per unit of parallelism (at least one), never more than can each have a connect in flight. */
  scanners(): ScanProcesses {
    const { concurrency, parallelism } = this.#options
    this.#scanners ??= new ScanProcesses(Math.max(1, Math.min(parallelism, concurrency)))
    return this.#scanners
  }

  async ready(): Promise<void> {
    const { workload } = this.#options
    await Promise.all([
      workload === undefined || workload === 'hash' || workload === 'pipeline'
        ? this.pool()?.ready()
        : undefined,
      workload === undefined || workload === 'scanPort' ? this.scanners().ready() : undefined,
    ])
  }

  async close(): Promise<void> {
    const clients = [...this.#clients.values()]
    this.#clients.clear()
    await Promise.all([
      ...clients.map((c) => c.close()),
      this.#pool?.close(),
      this.#scanners?.close(),
    ])
  }
}
