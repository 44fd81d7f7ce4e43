/**
 * The ceiling's connection pools: one undici `Pool` per origin, sized to the
 * concurrency it was made for and kept until `close`. An opened instance
 * keeps one set across calls (warm connections); a one-shot call makes its
 * own and destroys it before it resolves.
 */
import { Pool } from 'undici'

/** Pools by origin, made on first use. */
export class Origins {
  readonly connections: number
  readonly #pools = new Map<string, Pool>()

  constructor(connections: number) {
    this.connections = connections
  }

  /** The pool of `origin` (a loopback origin core's input check returned). */
  pool(origin: string): Pool {
    let pool = this.#pools.get(origin)
    if (!pool) {
      pool = new Pool(origin, {
        connections: this.connections,
        pipelining: 1,
        keepAliveTimeout: 30_000,
      })
      this.#pools.set(origin, pool)
    }
    return pool
  }

  /** Destroys every pool: closing would wait for requests an abort left in flight. */
  async close(): Promise<void> {
    const pools = [...this.#pools.values()]
    this.#pools.clear()
    await Promise.all(pools.map((pool) => pool.destroy()))
  }
}
