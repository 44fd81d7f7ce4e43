/**
 * The worker pool: a fixed number of `worker_threads`, a FIFO queue, one task
 * per worker at a time. Buffers are transferred, not copied (a cloned 1 MiB
 * buffer costs about ten times more). A worker that throws or exits fails only
 * its own task, with `WorkerCrashedError`, and is replaced. An aborted task is
 * dropped from the queue, or, if running, its worker is terminated and
 * replaced, since a synchronous hash cannot be interrupted any other way.
 */
import { Worker } from 'node:worker_threads'
import { WorkerCrashedError } from '@arena/core'

interface Task {
  readonly data: Uint8Array
  readonly resolve: (digest: string) => void
  readonly reject: (error: unknown) => void
  readonly signal: AbortSignal | undefined
  onAbort?: () => void
}

interface Slot {
  worker: Worker
  task: Task | undefined
}

const workerUrl = new URL('./worker.ts', import.meta.url)

/** A fixed-size pool of sha256 workers. */
export class WorkerPool {
  readonly #slots: Slot[] = []
  readonly #queue: Task[] = []
  #closed = false

  /** Starts `size` workers (1 and up). */
  constructor(size: number) {
    for (let i = 0; i < size; i++) this.#slots.push(this.#spawn())
  }

  #spawn(): Slot {
    const slot: Slot = { worker: new Worker(workerUrl), task: undefined }
    slot.worker.on('message', (digest: string) => {
      const task = slot.task
      slot.task = undefined
      if (task) this.#settle(task, () => task.resolve(digest))
      this.#dispatch()
    })
    const crash = (reason: string) => {
      if (this.#closed || !this.#slots.includes(slot)) return
      const task = slot.task
      slot.task = undefined
      this.#replace(slot)
      if (task) this.#settle(task, () => task.reject(new WorkerCrashedError(reason)))
      this.#dispatch()
    }
    slot.worker.on('error', (error) => crash(`worker threw: ${error.message}`))
    slot.worker.on('exit', (code) => crash(`worker exited with code ${code}`))
    return slot
  }

  #replace(slot: Slot) {
    const index = this.#slots.indexOf(slot)
    slot.worker.removeAllListeners()
    void slot.worker.terminate()
    this.#slots[index] = this.#spawn()
  }

  #settle(task: Task, settle: () => void) {
    if (task.onAbort) task.signal?.removeEventListener('abort', task.onAbort)
    settle()
  }

  #dispatch() {
    for (const slot of this.#slots) {
      if (slot.task) continue
      const task = this.#queue.shift()
      if (!task) return
      slot.task = task
      const { data } = task
      // Transfer only a buffer the view owns whole; a view into a shared buffer is copied first.
      const owned =
        data.byteOffset === 0 && data.byteLength === data.buffer.byteLength ? data : data.slice()
      slot.worker.postMessage(owned, [owned.buffer as ArrayBuffer])
    }
  }

  /** Digests `data` on a worker; its buffer is transferred (detached here). Rejects with `signal.reason` on abort. */
  run(data: Uint8Array, signal?: AbortSignal): Promise<string> {
    if (this.#closed) return Promise.reject(new Error('The worker pool is closed'))
    if (signal?.aborted) return Promise.reject(signal.reason)
    return new Promise((resolve, reject) => {
      const task: Task = { data, resolve, reject, signal }
      if (signal) {
        task.onAbort = () => {
          const queued = this.#queue.indexOf(task)
          if (queued >= 0) this.#queue.splice(queued, 1)
          const slot = this.#slots.find((s) => s.task === task)
          if (slot && !this.#closed) {
            slot.task = undefined
            this.#replace(slot)
          }
          reject(signal.reason)
          this.#dispatch()
        }
        signal.addEventListener('abort', task.onAbort, { once: true })
      }
      this.#queue.push(task)
      this.#dispatch()
    })
  }

  /** Terminates every worker; queued and running tasks reject. */
  async close(): Promise<void> {
    this.#closed = true
    const pending = [
      ...this.#queue.splice(0),
      ...this.#slots.flatMap((s) => (s.task ? [s.task] : [])),
    ]
    for (const task of pending)
      this.#settle(task, () => task.reject(new Error('The worker pool was closed')))
    await Promise.all(
      this.#slots.map((slot) => {
        slot.worker.removeAllListeners()
        return slot.worker.terminate()
      }),
    )
  }
}
