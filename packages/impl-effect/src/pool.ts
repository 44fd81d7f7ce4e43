/**
 * The sha256 worker pool: `size` threads running `worker.js` in the Effect
 * `Pool` of `threads.ts`, one task at a time each. A task is an
 * `Effect.callback` around one message and its answer; its buffer is
 * transferred, not cloned. A thread that throws or exits fails its task with
 * `WorkerCrashError`; a task past its deadline (counted from when a ready
 * thread takes it) fails with `TimeoutError`, since a synchronous hash cannot
 * be stopped but by terminating its thread. Either way the thread is
 * invalidated and the pool starts another, so only that task fails. The pool
 * lives as long as the scope it was made in: one call, or an open instance.
 */
import { transferable } from '@arena/core/kernel'
import * as Cause from 'effect/Cause'
import * as Effect from 'effect/Effect'
import { identity } from 'effect/Function'
import type * as Scope from 'effect/Scope'
import { WorkerCrashError } from './errors.ts'
import { ProcessWorker } from './processes.ts'
import type { Starting } from './run.ts'
import { allReady, makeThreadPool, startThread, type Thread, withThread } from './threads.ts'

/** A pool of sha256 worker threads. */
export interface WorkerPool {
  /**
   * sha256 of `data` on one thread, within `timeoutMs` once a thread takes it, the task wrapped
   * in `starting` there. Its buffer is transferred (detached here).
   */
  readonly digest: (
    data: Uint8Array,
    timeoutMs: number,
    starting?: Starting,
  ) => Effect.Effect<string, WorkerCrashError | Cause.TimeoutError>
  /** Succeeds once every thread has loaded. */
  readonly ready: Effect.Effect<void, WorkerCrashError>
}

/**
 * Each kind of worker: the script it runs, how it starts, and how a task's
 * buffer reaches it — a thread is handed the buffer, a process gets a copy over IPC.
 */
const kinds = {
  threads: {
    script: new URL('./worker.js', import.meta.url),
    start: startThread,
    post: (thread: Thread, data: Uint8Array) => {
      const buffer = transferable(data)
      thread.worker.postMessage(buffer, [buffer.buffer])
    },
  },
  processes: {
    script: new URL('./process-worker.js', import.meta.url),
    start: (url: URL) => new ProcessWorker(url),
    post: (thread: Thread, data: Uint8Array) => thread.worker.postMessage(data),
  },
} as const

/** Worker threads, or child processes. */
export type WorkerKind = keyof typeof kinds

/**
 * One task on `thread`. The deadline is a timer in the callback rather than
 * `Effect.timeout`, which would fork two more fibers per task: measured, that
 * put the main thread's share of a hashing run near the kit's budget.
 */
const task = (thread: Thread, data: Uint8Array, timeoutMs: number, kind: WorkerKind) =>
  Effect.callback<string, WorkerCrashError | Cause.TimeoutError>((resume) => {
    const timer = setTimeout(() => {
      thread.listener = undefined
      resume(Effect.fail(new Cause.TimeoutError(`hash task exceeded ${timeoutMs} ms`)))
    }, timeoutMs)
    thread.listener = {
      message: (digest) => {
        clearTimeout(timer)
        thread.listener = undefined
        resume(Effect.succeed(digest as string))
      },
      crash: (cause) => {
        clearTimeout(timer)
        resume(Effect.fail(new WorkerCrashError({ cause })))
      },
    }
    kinds[kind].post(thread, data)
    return Effect.sync(() => {
      clearTimeout(timer)
      thread.listener = undefined
    })
  })

/** Starts `size` workers of `kind` (threads running `worker.js` unless told), for the enclosing scope. */
export const makeWorkerPool = (
  size: number,
  kind: WorkerKind = 'threads',
): Effect.Effect<WorkerPool, never, Scope.Scope> =>
  Effect.map(makeThreadPool(kinds[kind].script, size, undefined, kinds[kind].start), (threads) => ({
    digest: (data, timeoutMs, starting = identity) =>
      withThread(threads, (thread) => starting(task(thread, data, timeoutMs, kind))),
    ready: allReady(threads),
  }))
