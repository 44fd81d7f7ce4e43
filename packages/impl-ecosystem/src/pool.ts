/**
 * The worker pool is piscina, used the way its README shows: a pool of
 * `parallelism` threads over `worker.js`, tasks with `pool.run(buffer,
 * { transferList, signal })`, shut down with `destroy()`. Around it, only what
 * the contract asks for:
 * - a task gets its deadline when it is handed to a free, loaded thread — so
 *   tasks go through a `p-limit` of `parallelism` and never wait in piscina's
 *   own queue with their clock running, and the first tasks wait for the
 *   threads to load (piscina counts its first threads ready at once; a
 *   `ready` task on each says when they really are);
 * - a task that fails in its worker (the worker threw or exited) becomes a
 *   `WorkerCrashedError`, which piscina does not distinguish on its own;
 * - `destroy()` resolves once every thread the pool ever started has exited.
 */
import { once } from 'node:events'
import type { Worker } from 'node:worker_threads'
import { deadline, transferable, WorkerCrashedError } from '@arena/core'
import pLimit from 'p-limit'
import { Piscina } from 'piscina'

const filename = new URL('./worker.js', import.meta.url).href

/** `promise`, or the signal's reason as soon as it aborts. */
async function unlessAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise
  signal.throwIfAborted()
  let onAbort = () => {}
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(signal.reason)
    signal.addEventListener('abort', onAbort, { once: true })
  })
  try {
    return await Promise.race([promise, aborted])
  } finally {
    signal.removeEventListener('abort', onAbort)
  }
}

/** A piscina pool of `size` sha256 threads whose tasks start their deadline on a free, loaded thread. */
export function createPool(size: number) {
  const pool = new Piscina<Uint8Array | undefined, string>({
    filename,
    minThreads: size,
    maxThreads: size,
  })
  const free = pLimit(size)
  // One `ready` task per thread: piscina hands each to a different idle thread.
  const loaded = Promise.all(
    Array.from({ length: size }, () => pool.run(undefined, { name: 'ready' })),
  )
  loaded.catch(() => {})
  // piscina terminates the thread of an aborted or crashed task without waiting for it,
  // and a late exit after `destroy()` makes it start replacements in the destroyed pool.
  // So every thread is remembered until it has exited, and `destroy()` waits for all.
  const threads = new Set<Worker>(pool.threads)
  pool.on('workerCreate', () => {
    for (const thread of threads) if (thread.threadId === -1) threads.delete(thread)
    for (const thread of pool.threads) threads.add(thread)
  })
  return {
    /** Resolves once every thread has loaded the worker module. */
    ready: (): Promise<void> => loaded.then(() => {}),
    /**
     * The digest of `data` (transferred to the worker), or a timeout, abort or
     * worker-crashed error; `onTaken`, when given, is called as the task goes
     * to a free thread and its deadline starts.
     */
    digest(
      data: Uint8Array,
      timeoutMs: number,
      signal: AbortSignal | undefined,
      onTaken?: () => void,
    ): Promise<string> {
      return free(async () => {
        try {
          await unlessAborted(loaded, signal)
        } catch (error) {
          if (signal?.aborted) throw signal.reason
          throw new WorkerCrashedError(`a thread failed to start: ${(error as Error).message}`)
        }
        const limit = deadline(timeoutMs, signal)
        onTaken?.()
        const owned = transferable(data)
        try {
          return await pool.run(owned, { transferList: [owned.buffer], signal: limit })
        } catch (error) {
          if (limit.aborted) throw limit.reason
          throw new WorkerCrashedError((error as Error).message)
        }
      })
    },
    /** Drops queued tasks, stops every thread, and resolves once all have exited. */
    async destroy(): Promise<void> {
      free.clearQueue()
      const current = new Set(pool.threads)
      const leaving = [...threads].filter((t) => t.threadId !== -1 && !current.has(t))
      // Before `pool.destroy()`: an exit that arrived after it would make piscina start replacements.
      await Promise.all(leaving.map((thread) => once(thread, 'exit')))
      await pool.destroy()
    },
  }
}

/** What `createPool` returns. */
export type Pool = ReturnType<typeof createPool>
