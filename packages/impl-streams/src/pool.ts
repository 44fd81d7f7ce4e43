/**
 * The hashing pool: `size` worker threads of `worker.js`, one digest each at
 * a time, and a FIFO of tasks waiting for a free loaded worker. The stream in
 * front of it asks for at most `parallelism` digests at once, so during a call
 * the FIFO only holds what arrives while workers load or are being replaced —
 * it exists because a task's deadline (core's `deadline()`) starts when a
 * loaded worker takes the task, not before. Buffers are transferred, not
 * copied (`transferable()` first copies a view that does not own its whole
 * buffer). A worker that throws or exits fails only its task, with a
 * `WorkerCrashedError`, and is replaced; a task that passes its deadline or is
 * aborted while it runs has its worker terminated and replaced, as a
 * synchronous digest cannot be interrupted any other way. The pool outlives a
 * call: `ready()` resolves once every worker has loaded, and `close()` once
 * every thread it ever started has exited.
 */
import { Worker } from 'node:worker_threads'
import { deadline, transferable, WorkerCrashedError } from '@arena/core'

/** Options of one digest. */
export interface DigestOptions {
  /** Deadline once a worker has taken the task, ms; the task then rejects with a `TimeoutError`. */
  readonly timeoutMs: number
  /** Drops the task, or stops it; it then rejects with `signal.reason`. */
  readonly signal?: AbortSignal | undefined
  /** Called when a worker takes the task, as its deadline starts. */
  readonly started?: (() => void) | undefined
}

interface Task {
  readonly data: Uint8Array
  readonly options: DigestOptions
  readonly result: PromiseWithResolvers<string>
  /** What ends the task early: the run's signal while it waits, its deadline once it runs. */
  watched: AbortSignal | undefined
  readonly onAbort: () => void
}

interface Lane {
  readonly worker: Worker
  loaded: boolean
  task: Task | undefined
}

const workerUrl = new URL('./worker.js', import.meta.url)
const ignore = () => {}

/** A fixed-size pool of sha256 worker threads. */
export class WorkerPool {
  readonly #lanes: Lane[] = []
  readonly #queue: Task[] = []
  /** Terminations of replaced workers, which `close` still waits for. */
  readonly #exits = new Set<Promise<number>>()
  readonly #readyWaiters: PromiseWithResolvers<void>[] = []
  /** Set when a worker died before it loaded: the module cannot load, and respawning would loop. */
  #broken: Error | undefined
  #closed = false

  /** Starts `size` workers (1 and up). */
  constructor(size: number) {
    for (let i = 0; i < size; i++) this.#lanes.push(this.#spawn())
  }

  #spawn(): Lane {
    const lane: Lane = { worker: new Worker(workerUrl), loaded: false, task: undefined }
    lane.worker.on('message', (message: string) => this.#answer(lane, message))
    lane.worker.on('error', (error) => this.#crash(lane, `worker threw: ${error.message}`))
    lane.worker.on('exit', (code) => this.#crash(lane, `worker exited with code ${code}`))
    return lane
  }

  #answer(lane: Lane, message: string) {
    if (!lane.loaded) {
      lane.loaded = true
      if (this.#lanes.every((l) => l.loaded))
        for (const waiter of this.#readyWaiters.splice(0)) waiter.resolve()
    } else {
      const task = lane.task
      lane.task = undefined
      if (task) this.#finish(task, () => task.result.resolve(message))
    }
    this.#dispatch()
  }

  #crash(lane: Lane, reason: string) {
    if (this.#closed || !this.#lanes.includes(lane)) return
    const error = new WorkerCrashedError(reason)
    if (!lane.loaded) return this.#break(lane, error)
    const task = lane.task
    this.#replace(lane)
    if (task) this.#finish(task, () => task.result.reject(error))
    this.#dispatch()
  }

  #break(lane: Lane, error: WorkerCrashedError) {
    this.#broken = new WorkerCrashedError(`a worker failed to load: ${error.message}`)
    this.#retire(lane)
    this.#lanes.splice(this.#lanes.indexOf(lane), 1)
    for (const waiter of this.#readyWaiters.splice(0)) waiter.reject(this.#broken)
    for (const task of this.#queue.splice(0))
      this.#finish(task, () => task.result.reject(this.#broken))
  }

  /** Terminates the lane's worker without waiting; `close` waits for it. */
  #retire(lane: Lane) {
    lane.worker.removeAllListeners()
    // An 'error' event with no listener would be thrown on this thread.
    lane.worker.on('error', ignore)
    const exit = lane.worker.terminate()
    this.#exits.add(exit)
    void exit.finally(() => this.#exits.delete(exit))
  }

  #replace(lane: Lane) {
    this.#retire(lane)
    this.#lanes[this.#lanes.indexOf(lane)] = this.#spawn()
  }

  #watch(task: Task, signal: AbortSignal | undefined) {
    task.watched?.removeEventListener('abort', task.onAbort)
    task.watched = signal
    signal?.addEventListener('abort', task.onAbort, { once: true })
  }

  #finish(task: Task, settle: () => void) {
    this.#watch(task, undefined)
    settle()
  }

  /** Ends `task` with `reason` wherever it is: out of the queue, or its worker replaced. */
  #stop(task: Task, reason: unknown) {
    const queued = this.#queue.indexOf(task)
    if (queued >= 0) this.#queue.splice(queued, 1)
    const lane = this.#lanes.find((l) => l.task === task)
    if (lane) this.#replace(lane)
    this.#finish(task, () => task.result.reject(reason))
    this.#dispatch()
  }

  #dispatch() {
    if (this.#closed) return
    for (const lane of this.#lanes) {
      if (!lane.loaded || lane.task) continue
      const task = this.#queue.shift()
      if (task === undefined) return
      lane.task = task
      this.#watch(task, deadline(task.options.timeoutMs, task.options.signal))
      task.options.started?.()
      const owned = transferable(task.data)
      lane.worker.postMessage(owned, [owned.buffer])
    }
  }

  /** Resolves once every worker has loaded; rejects if the pool closes or a worker cannot load. */
  ready(): Promise<void> {
    if (this.#closed) return Promise.reject(new Error('The worker pool is closed'))
    if (this.#broken) return Promise.reject(this.#broken)
    if (this.#lanes.every((l) => l.loaded)) return Promise.resolve()
    const waiter = Promise.withResolvers<void>()
    this.#readyWaiters.push(waiter)
    return waiter.promise
  }

  /** The sha256 hex digest of `data`, from a worker; `data`'s buffer is transferred (detached here). */
  digest(data: Uint8Array, options: DigestOptions): Promise<string> {
    if (this.#closed) return Promise.reject(new Error('The worker pool is closed'))
    if (this.#broken) return Promise.reject(this.#broken)
    if (options.signal?.aborted) return Promise.reject(options.signal.reason)
    const task: Task = {
      data,
      options,
      result: Promise.withResolvers(),
      watched: undefined,
      onAbort: () => this.#stop(task, task.watched?.reason),
    }
    this.#watch(task, options.signal)
    this.#queue.push(task)
    this.#dispatch()
    return task.result.promise
  }

  /** Stops every worker, failing waiting and running tasks; resolves once every thread has exited. */
  async close(): Promise<void> {
    this.#closed = true
    const closed = new Error('The worker pool was closed')
    for (const waiter of this.#readyWaiters.splice(0)) waiter.reject(closed)
    const tasks = [...this.#queue.splice(0), ...this.#lanes.flatMap((l) => l.task ?? [])]
    for (const task of tasks) this.#finish(task, () => task.result.reject(closed))
    for (const lane of this.#lanes.splice(0)) this.#retire(lane)
    await Promise.all(this.#exits)
  }
}
