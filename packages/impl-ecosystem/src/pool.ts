/**
 * The worker pool is piscina, used the way its README shows: a pool of
 * `parallelism` threads over `worker.js`, tasks with `pool.run(buffer,
 * { transferList, signal })`, shut down with `destroy()`. Only two things are
 * added, both from the contract: a task gets its deadline when it is handed
 * to a free thread — so tasks go through a `p-limit` of `parallelism`, and
 * never wait in piscina's own queue with their clock running — and a task
 * that fails in its worker (the worker threw or exited) becomes a
 * `WorkerCrashedError`, which piscina does not distinguish on its own.
 */
import { deadline, transferable, WorkerCrashedError } from '@arena/core'
import pLimit from 'p-limit'
import { Piscina } from 'piscina'

const filename = new URL('./worker.js', import.meta.url).href

/** A piscina pool of `size` sha256 threads whose tasks start their deadline on a free thread. */
export function createPool(size: number) {
  const pool = new Piscina<Uint8Array, string>({ filename, minThreads: size, maxThreads: size })
  const free = pLimit(size)
  // piscina terminates the thread of an aborted task without waiting for it; when that
  // thread's exit arrives after `destroy()` has finished, piscina "replaces" it with fresh
  // threads in the destroyed pool. Once destroyed, any thread that comes up is destroyed too.
  let destroyed = false
  pool.on('workerCreate', () => {
    if (destroyed) void pool.destroy()
  })
  return {
    /** The digest of `data` (transferred to the worker), or a timeout, abort or worker-crashed error. */
    digest(data: Uint8Array, timeoutMs: number, signal: AbortSignal | undefined): Promise<string> {
      return free(async () => {
        signal?.throwIfAborted()
        const limit = deadline(timeoutMs, signal)
        const owned = transferable(data)
        try {
          return await pool.run(owned, { transferList: [owned.buffer], signal: limit })
        } catch (error) {
          if (limit.aborted) throw limit.reason
          throw new WorkerCrashedError((error as Error).message)
        }
      })
    },
    /** Stops every thread; queued tasks are dropped. */
    destroy: () => {
      destroyed = true
      free.clearQueue()
      return pool.destroy()
    },
  }
}
