/**
 * Worker threads as an Effect `Pool`: what the hash pool and the hybrid
 * scanner share. A thread is a scoped resource: spawned, awaited until it
 * says it is ready (its first message), terminated when its scope closes. Its
 * messages, errors and exit go to whoever listens to it at the moment (one
 * task or one job at a time), and a thread that dies while nobody listens is
 * marked dead. `withThread` lends one thread for one use: a dead thread is
 * replaced before the use; a use that fails (a crash, a deadline) invalidates
 * its thread, so the pool starts another at once; a use that is interrupted
 * (an abort) leaves its thread working on something nobody awaits, so the
 * thread is terminated at once and replaced when next taken — not while an
 * abort is under way, when a new thread would only delay the pool's release.
 */
import { Worker } from 'node:worker_threads'
import * as Effect from 'effect/Effect'
import * as Exit from 'effect/Exit'
import * as Pool from 'effect/Pool'
import type * as Scope from 'effect/Scope'
import { WorkerCrashError } from './errors.ts'

/** Who listens to a thread now. */
export interface Listener {
  readonly message: (message: unknown) => void
  readonly crash: (cause: unknown) => void
}

/** One worker thread of a pool. */
export interface Thread {
  readonly worker: Worker
  /** Whoever waits on this thread now: for its readiness, a task's answer or a job's messages. */
  listener: Listener | undefined
  /** Set when it died or was given up while nobody listened. */
  dead: boolean
  /** Its termination, once started. */
  stopping: Promise<number> | undefined
}

/** A pool of `size` threads running one script. */
export interface ThreadPool {
  readonly pool: Pool.Pool<Thread, WorkerCrashError>
  readonly size: number
}

const spawn = (url: URL): Thread => {
  const thread: Thread = {
    worker: new Worker(url),
    listener: undefined,
    dead: false,
    stopping: undefined,
  }
  const crash = (cause: unknown) => {
    const listener = thread.listener
    thread.listener = undefined
    if (listener) listener.crash(cause)
    else thread.dead = true
  }
  thread.worker
    .on('message', (message: unknown) => thread.listener?.message(message))
    .on('error', crash)
    .on('exit', (code) => crash(`worker exited with code ${code}`))
  return thread
}

/** Starts terminating `thread` (once), and returns when it has exited. */
const stop = (thread: Thread): Promise<number> => {
  thread.stopping ??= thread.worker.terminate()
  return thread.stopping
}

/** Waits until `thread` says it is ready (its first message). */
const ready = (thread: Thread) =>
  Effect.callback<void, WorkerCrashError>((resume) => {
    thread.listener = {
      message: () => {
        thread.listener = undefined
        resume(Effect.void)
      },
      crash: (cause) => resume(Effect.fail(new WorkerCrashError({ cause }))),
    }
    return Effect.sync(() => {
      thread.listener = undefined
    })
  })

/** Starts `size` threads running the script at `url`, for the enclosing scope. */
export const makeThreadPool = (
  url: URL,
  size: number,
): Effect.Effect<ThreadPool, never, Scope.Scope> =>
  Effect.gen(function* () {
    const threads = new Set<Thread>()
    let aborted = false
    const terminate = (thread: Thread) =>
      Effect.promise(() => {
        threads.delete(thread)
        return aborted ? Promise.resolve(0) : stop(thread)
      })
    const pool = yield* Pool.make({
      acquire: Effect.acquireRelease(
        Effect.sync(() => {
          const thread = spawn(url)
          threads.add(thread)
          return thread
        }),
        terminate,
      ).pipe(Effect.tap(ready)),
      size,
    })
    // Runs before the pool's own release, which terminates its threads one after another. A thread
    // still starting up takes 100 ms or more to terminate: an abort (the scope closing interrupted)
    // starts every termination and waits for none, so the outcomes are final at once; a close
    // terminates them all at once and waits, so nothing is left when it resolves.
    yield* Effect.addFinalizer((exit) => {
      if (!Exit.hasInterrupts(exit))
        return Effect.forEach(threads, terminate, { concurrency: 'unbounded', discard: true })
      aborted = true
      return Effect.sync(() => threads.forEach((thread) => void stop(thread)))
    })
    return { pool, size }
  })

/** Waits until every thread of the pool has loaded its script; fails if one dies first. */
export const allReady = ({ pool, size }: ThreadPool): Effect.Effect<void, WorkerCrashError> =>
  Effect.scoped(
    Effect.forEach(Array.from({ length: size }), () => Pool.get(pool), {
      concurrency: 'unbounded',
      discard: true,
    }),
  )

const replaced = Symbol('replaced')

/** Runs `use` on one thread of the pool (see the module comment for what a failure or an interrupt does). */
export const withThread = <A, E>(
  threads: ThreadPool,
  use: (thread: Thread) => Effect.Effect<A, E>,
): Effect.Effect<A, E | WorkerCrashError> => {
  const { pool } = threads
  const once = Pool.use(pool, (thread): Effect.Effect<A | typeof replaced, E> => {
    if (thread.dead) return Effect.as(Pool.invalidate(pool, thread), replaced)
    return use(thread).pipe(
      Effect.onExit((exit) => {
        if (Exit.isSuccess(exit)) return Effect.void
        if (Exit.hasInterrupts(exit)) {
          thread.listener = undefined
          thread.dead = true
          return Effect.sync(() => void stop(thread))
        }
        return Pool.invalidate(pool, thread)
      }),
    )
  })
  return Effect.flatMap(once, (result) =>
    result === replaced ? withThread(threads, use) : Effect.succeed(result as A),
  )
}
