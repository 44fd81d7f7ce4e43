/**
 * Worker threads as an Effect `Pool`: what the hash pool and the hybrid
 * scanner share. A thread is a scoped resource: spawned, awaited until it
 * says it is ready (its first message), terminated when its scope closes. Its
 * messages, errors and exit go to whoever listens to it at the moment (one
 * task or one job at a time), and a thread that dies while nobody listens is
 * marked dead. `withThread` lends one thread for one use: a dead thread is
 * replaced before the use; a use that fails (a crash, a deadline) invalidates
 * its thread, so the pool starts another at once; a use that is interrupted
 * (an abort) leaves its thread working on something nobody awaits. A pool
 * that knows how to bring such a thread back (`recover`: the scanner cancels
 * its job by message) starts that and keeps the thread, which its next use
 * waits for; otherwise, or if that fails, the thread is terminated at once
 * and replaced when next taken — not while an abort is under way, when a new
 * thread would only delay the pool's release. Either way the abort itself
 * waits for nothing.
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

/**
 * What the pool needs of a worker: a worker thread, or a child process behind
 * the same face (`processes.ts`).
 */
export interface Endpoint {
  postMessage(message: unknown, transfer?: ArrayBuffer[]): void
  terminate(): Promise<number>
  on(event: 'message', listener: (message: unknown) => void): this
  on(event: 'error', listener: (error: unknown) => void): this
  on(event: 'exit', listener: (code: number) => void): this
  once(event: 'exit', listener: (code: number) => void): this
}

/** Starts one worker running the script at `url`. */
export type StartWorker = (url: URL) => Endpoint

/** A worker thread. */
export const startThread: StartWorker = (url) => new Worker(url) as Endpoint

/** One worker of a pool: a thread, or a process behind a thread's face. */
export interface Thread {
  readonly worker: Endpoint
  /** Whoever waits on this thread now: for its readiness, a task's answer or a job's messages. */
  listener: Listener | undefined
  /** Set when it died or was given up while nobody listened. */
  dead: boolean
  /** Its termination, once started. */
  stopping: Promise<number> | undefined
  /** Its recovery after an interrupted use, while under way: `false` if it failed. */
  recovering: Promise<boolean> | undefined
}

/** Brings a thread whose use was interrupted back to idle; `false` if it could not. */
export type Recover = (thread: Thread) => Promise<boolean>

/** A pool of `size` threads running one script. */
export interface ThreadPool {
  readonly pool: Pool.Pool<Thread, WorkerCrashError>
  readonly size: number
  readonly recover: Recover | undefined
}

const spawn = (url: URL, start: StartWorker): Thread => {
  const thread: Thread = {
    worker: start(url),
    listener: undefined,
    dead: false,
    stopping: undefined,
    recovering: undefined,
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

/** Gives `thread` up: nothing will listen to it again, and it is terminating. */
const giveUp = (thread: Thread): void => {
  thread.listener = undefined
  thread.dead = true
  void stop(thread)
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

/** Starts `size` workers (threads, unless `start` says otherwise) running the script at `url`, for the enclosing scope. */
export const makeThreadPool = (
  url: URL,
  size: number,
  recover?: Recover,
  start: StartWorker = startThread,
): Effect.Effect<ThreadPool, never, Scope.Scope> =>
  Effect.gen(function* () {
    // Every thread until it has exited, whoever started its termination.
    const threads = new Set<Thread>()
    let aborted = false
    // A thread whose start-up was interrupted is only set terminating: whoever must know it has
    // exited (a close) waits below.
    const release = (thread: Thread, exit: Exit.Exit<unknown, unknown>) =>
      Effect.promise(() => {
        const stopped = stop(thread)
        return aborted || Exit.hasInterrupts(exit) ? Promise.resolve(0) : stopped
      })
    const pool = yield* Pool.make({
      acquire: Effect.acquireRelease(
        Effect.sync(() => {
          const thread = spawn(url, start)
          threads.add(thread)
          thread.worker.once('exit', () => threads.delete(thread))
          return thread
        }),
        release,
      ).pipe(Effect.tap(ready)),
      size,
    })
    // Runs before the pool's own release, which terminates its threads one after another. A thread
    // still starting up takes 100 ms or more to terminate: an abort (the scope closing interrupted)
    // starts every termination and waits for none, so the outcomes are final at once; a close
    // terminates them all at once and waits for every one, so nothing is left when it resolves.
    yield* Effect.addFinalizer((exit) => {
      if (!Exit.hasInterrupts(exit))
        return Effect.promise(() => Promise.all(Array.from(threads, stop)))
      aborted = true
      return Effect.sync(() => threads.forEach((thread) => void stop(thread)))
    })
    return { pool, size, recover }
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
  const { pool, recover } = threads
  const run = (thread: Thread): Effect.Effect<A | typeof replaced, E> => {
    thread.recovering = undefined
    if (thread.dead) return Effect.as(Pool.invalidate(pool, thread), replaced)
    return use(thread).pipe(
      Effect.onExit((exit) => {
        if (Exit.isSuccess(exit)) return Effect.void
        if (!Exit.hasInterrupts(exit)) return Pool.invalidate(pool, thread)
        return Effect.sync(() => {
          if (!recover) return giveUp(thread)
          thread.recovering = recover(thread).then((kept) => {
            if (!kept) giveUp(thread)
            return kept
          })
        })
      }),
    )
  }
  const once = Pool.use(pool, (thread) => {
    const recovering = thread.recovering
    return recovering
      ? Effect.flatMap(
          Effect.promise(() => recovering),
          () => run(thread),
        )
      : run(thread)
  })
  return Effect.flatMap(once, (result) =>
    result === replaced ? withThread(threads, use) : Effect.succeed(result as A),
  )
}
