/**
 * The worker pool: a fixed number of `worker_threads`, a FIFO queue, one task
 * per worker at a time. Buffers are transferred, not copied (a cloned 1 MiB
 * buffer costs about ten times more). A worker that throws or exits fails only
 * its own task, with `WorkerCrashedError`, and is replaced. A task that runs
 * past its deadline, or whose signal aborts while it runs, has its worker
 * terminated and replaced — a synchronous hash cannot be interrupted any other
 * way; a queued task is simply dropped. The deadline starts when a worker
 * takes the task, not while it waits in the queue or for a worker to start.
 * The pool outlives any one call: `ready()` resolves once every worker has
 * loaded, and `close()` resolves once every thread it ever started has exited.
 */
import { Worker } from 'node:worker_threads'
import { transferable, WorkerCrashedError } from '@arena/core'

interface Task {
  readonly data: Uint8Array
  readonly resolve: (digest: string) => void
  readonly reject: (error: unknown) => void
  readonly signal: AbortSignal | undefined
  readonly timeoutMs: number | undefined
  readonly onTaken: (() => void) | undefined
  onAbort?: () => void
  timer?: NodeJS.Timeout
}

interface Slot {
  worker: Worker
  task: Task | undefined
  /** The worker has loaded its module and said so; only then does it get tasks (and their deadlines start). */
  ready: boolean
}

/** Options of one task. */
export interface TaskOptions {
  /** Drops or stops the task; it rejects with `signal.reason`. */
  readonly signal?: AbortSignal | undefined
  /** Deadline once a worker starts the task, ms; it rejects with a `TimeoutError`. */
  readonly timeoutMs?: number | undefined
  /** Called when a worker takes the task, as its deadline starts (at most once). */
  readonly onTaken?: (() => void) | undefined
}

const workerUrl = new URL('./worker.js', import.meta.url)

/** A fixed-size pool of sha256 workers. */
export class WorkerPool {
  readonly #slots: Slot[] = []
  readonly #queue: Task[] = []
  /** Terminations of replaced workers, still to be awaited by `close`. */
  readonly #exiting = new Set<Promise<unknown>>()
  #waiters: PromiseWithResolvers<void>[] = []
  #closed = false

  /** Starts `size` workers (1 and up). */
  constructor(size: number) {
    for (let i = 0; i < size; i++) this.#slots.push(this.#spawn())
  }

  #spawn(): Slot {
    const slot: Slot = { worker: new Worker(workerUrl), task: undefined, ready: false }
    slot.worker.on('message', (digest: string) => {
      if (!slot.ready) {
        slot.ready = true
        if (this.#slots.every((s) => s.ready))
          for (const waiter of this.#waiters.splice(0)) waiter.resolve()
        return this.#dispatch()
      }
      const task = slot.task
      slot.task = undefined
      if (task) this.#settle(task, () => task.resolve(digest))
      this.#dispatch()
    })
    const crash = (reason: string) => {
      if (this.#closed || !this.#slots.includes(slot)) return
      const task = slot.task
      this.#replace(slot)
      if (task) this.#settle(task, () => task.reject(new WorkerCrashedError(reason)))
      this.#dispatch()
    }
    slot.worker.on('error', (error) => crash(`worker threw: ${error.message}`))
    slot.worker.on('exit', (code) => crash(`worker exited with code ${code}`))
    return slot
  }

  /** Terminates the slot's worker (running task or not) and puts a fresh one in its place. */
  #replace(slot: Slot) {
    slot.task = undefined
    slot.worker.removeAllListeners()
    const exiting = slot.worker.terminate()
    this.#exiting.add(exiting)
    void exiting.finally(() => this.#exiting.delete(exiting))
    this.#slots[this.#slots.indexOf(slot)] = this.#spawn()
  }

  #settle(task: Task, settle: () => void) {
    clearTimeout(task.timer)
    if (task.onAbort) task.signal?.removeEventListener('abort', task.onAbort)
    settle()
  }

  /** Ends `task` with `error`, wherever it is: dropped from the queue, or its worker replaced. */
  #cancel(task: Task, error: unknown) {
    const queued = this.#queue.indexOf(task)
    if (queued >= 0) this.#queue.splice(queued, 1)
    const slot = this.#slots.find((s) => s.task === task)
    if (slot && !this.#closed) this.#replace(slot)
    this.#settle(task, () => task.reject(error))
    this.#dispatch()
  }

  #dispatch() {
    if (this.#closed) return
    for (const slot of this.#slots) {
      if (slot.task || !slot.ready) continue
      const task = this.#queue.shift()
      if (!task) return
      slot.task = task
      task.onTaken?.()
      if (task.timeoutMs !== undefined) {
        const limit = task.timeoutMs
        task.timer = setTimeout(
          () =>
            this.#cancel(task, new DOMException(`hash task exceeded ${limit} ms`, 'TimeoutError')),
          limit,
        )
      }
      const owned = transferable(task.data)
      slot.worker.postMessage(owned, [owned.buffer])
    }
  }

  /** Resolves once every worker of the pool has loaded its module (rejects if the pool closes first). */
  ready(): Promise<void> {
    if (this.#closed) return Promise.reject(new Error('The worker pool is closed'))
    if (this.#slots.every((s) => s.ready)) return Promise.resolve()
    const waiter = Promise.withResolvers<void>()
    this.#waiters.push(waiter)
    return waiter.promise
  }

  /** Digests `data` on a worker; its buffer is transferred (detached here). */
  run(data: Uint8Array, { signal, timeoutMs, onTaken }: TaskOptions = {}): Promise<string> {
    if (this.#closed) return Promise.reject(new Error('The worker pool is closed'))
    if (signal?.aborted) return Promise.reject(signal.reason)
    return new Promise((resolve, reject) => {
      const task: Task = { data, resolve, reject, signal, timeoutMs, onTaken }
      if (signal) {
        task.onAbort = () => this.#cancel(task, signal.reason)
        signal.addEventListener('abort', task.onAbort, { once: true })
      }
      this.#queue.push(task)
      this.#dispatch()
    })
  }

  /** Terminates every worker; queued and running tasks reject. Resolves once every thread has exited. */
  async close(): Promise<void> {
    this.#closed = true
    const closedError = new Error('The worker pool was closed')
    for (const waiter of this.#waiters.splice(0)) waiter.reject(closedError)
    const pending = [
      ...this.#queue.splice(0),
      ...this.#slots.flatMap((s) => (s.task ? [s.task] : [])),
    ]
    for (const task of pending) this.#settle(task, () => task.reject(closedError))
    await Promise.all([
      ...this.#exiting,
      ...this.#slots.map((slot) => {
        slot.worker.removeAllListeners()
        return slot.worker.terminate()
      }),
    ])
  }
}
