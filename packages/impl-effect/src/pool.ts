/**
 * The worker pool: `size` worker threads in an Effect `Pool`, one task at a
 * time each. A thread is a scoped resource: spawned, awaited until it says it
 * is ready, terminated when its scope closes. A task is an `Effect.callback`
 * around one message and its answer; its buffer is transferred, not cloned.
 * A thread that throws or exits fails its task with `WorkerCrashError`; a
 * task past its deadline (counted from when a ready thread takes it) fails
 * with `TimeoutError`, since a synchronous hash cannot be stopped but by
 * terminating its thread. Either way the thread is invalidated and the pool
 * starts another, so only that task fails. The only other way a task ends
 * early is the run's abort, which closes the whole pool: no thread ever
 * answers a task nobody awaits.
 */
import { Worker } from 'node:worker_threads'
import { transferable } from '@arena/core/kernel'
import * as Cause from 'effect/Cause'
import * as Effect from 'effect/Effect'
import * as Pool from 'effect/Pool'
import type * as Scope from 'effect/Scope'
import { WorkerCrashError } from './errors.ts'

/** A pool of sha256 worker threads. */
export interface WorkerPool {
  /** sha256 of `data` on one thread. Its buffer is transferred (detached here). */
  readonly digest: (
    data: Uint8Array,
  ) => Effect.Effect<string, WorkerCrashError | Cause.TimeoutError>
}

/** Options of {@link makeWorkerPool}. */
export interface WorkerPoolOptions {
  /** Threads, 1 and up. */
  readonly size: number
  /** Deadline of one task once a thread has taken it, in milliseconds. */
  readonly timeoutMs: number
}

type Answer = Effect.Effect<string, WorkerCrashError>

/** One worker thread, and whoever waits on it: for its readiness, then for each task's answer. */
interface Thread {
  readonly worker: Worker
  resume: ((answer: Answer) => void) | undefined
  /** Set when it died while nobody waited on it. */
  dead: boolean
}

const workerUrl = new URL('./worker.js', import.meta.url)

/** Spawns a thread whose messages, errors and exit resume whoever waits on it. */
const spawn = (): Thread => {
  const thread: Thread = { worker: new Worker(workerUrl), resume: undefined, dead: false }
  const answer = (result: Answer) => {
    const resume = thread.resume
    thread.resume = undefined
    resume?.(result)
  }
  const crash = (cause: unknown) => {
    if (thread.resume) answer(Effect.fail(new WorkerCrashError({ cause })))
    else thread.dead = true
  }
  thread.worker
    .on('message', (digest: string) => answer(Effect.succeed(digest)))
    .on('error', crash)
    .on('exit', (code) => crash(`worker exited with code ${code}`))
  return thread
}

/** Waits until `thread` says it is ready (its first message). */
const ready = (thread: Thread) =>
  Effect.callback<string, WorkerCrashError>((resume) => {
    thread.resume = resume
    return Effect.sync(() => {
      thread.resume = undefined
    })
  })

/**
 * One task on `thread`. The deadline is a timer in the callback rather than
 * `Effect.timeout`, which would fork two more fibers per task: measured, that
 * put the main thread's share of a hashing run near the kit's budget.
 */
const task = (thread: Thread, data: Uint8Array, timeoutMs: number) =>
  Effect.callback<string, WorkerCrashError | Cause.TimeoutError>((resume) => {
    const timer = setTimeout(() => {
      thread.resume = undefined
      resume(Effect.fail(new Cause.TimeoutError(`hash task exceeded ${timeoutMs} ms`)))
    }, timeoutMs)
    thread.resume = (answer) => {
      clearTimeout(timer)
      resume(answer)
    }
    const buffer = transferable(data)
    thread.worker.postMessage(buffer, [buffer.buffer])
    return Effect.sync(() => {
      clearTimeout(timer)
      thread.resume = undefined
    })
  })

/** Starts `size` threads running `worker.js`, for the enclosing scope. */
export const makeWorkerPool = ({
  size,
  timeoutMs,
}: WorkerPoolOptions): Effect.Effect<WorkerPool, never, Scope.Scope> =>
  Effect.gen(function* () {
    const threads = new Set<Thread>()
    const terminate = (thread: Thread) =>
      Effect.promise(() => {
        threads.delete(thread)
        return thread.worker.terminate()
      })
    const pool = yield* Pool.make({
      acquire: Effect.acquireRelease(
        Effect.sync(() => {
          const thread = spawn()
          threads.add(thread)
          return thread
        }),
        terminate,
      ).pipe(Effect.tap(ready)),
      size,
    })
    // Runs before the pool's own release, which terminates its threads one after another; a thread
    // still starting up takes up to ~100 ms to terminate, so an abort terminates them all at once.
    yield* Effect.addFinalizer(() =>
      Effect.forEach(threads, terminate, { concurrency: 'unbounded', discard: true }),
    )
    const digest = (data: Uint8Array): ReturnType<WorkerPool['digest']> =>
      Pool.use(pool, (thread) =>
        // A thread that died between tasks is replaced before the task is tried again elsewhere.
        thread.dead
          ? Effect.as(Pool.invalidate(pool, thread), undefined)
          : task(thread, data, timeoutMs).pipe(
              Effect.tapError(() => Pool.invalidate(pool, thread)),
            ),
      ).pipe(
        Effect.flatMap((answer) => (answer === undefined ? digest(data) : Effect.succeed(answer))),
      )
    return { digest }
  })
