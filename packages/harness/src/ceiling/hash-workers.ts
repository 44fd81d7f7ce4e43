/**
 * The ceiling's worker threads: N raw `worker_threads` running
 * `hash-worker.js`, kept between calls, fed batches of transferred buffers
 * and answering each batch with one message. Nothing else: no queue in front
 * of them (a worker's own message port is its queue), no per-task timer or
 * listener. A worker silent for longer than the deadline while it has work is
 * terminated (the only way to stop a synchronous hash); its batch in hand ends
 * as `timeout` and the rest of its work as `worker-crashed`, as does all of it
 * when the worker throws or exits — a fault fails loudly, never silently. The
 * ceiling runs fault-free points only, so it replaces the worker rather than
 * retrying anyone's work.
 */
import { performance } from 'node:perf_hooks'
import { Worker } from 'node:worker_threads'
import { type Failure, transferable, WorkerCrashedError } from '@arena/core'
import type { DigestCall } from './digest-call.ts'

interface Job {
  readonly seq: number
  readonly call: DigestCall
  readonly first: number
  readonly count: number
  /** Whether the worker's taking the job is its items' `onStart` (not for the pipeline: its request was). */
  readonly announce: boolean
}

interface Slot {
  worker: Worker
  readonly jobs: Job[]
  /** When the job at the head of `jobs` became the worker's, ms (performance clock). */
  since: number
}

const workerUrl = new URL('./hash-worker.js', import.meta.url)

const crashed = (reason: string): Failure => ({
  kind: 'worker-crashed',
  message: new WorkerCrashedError(reason).message,
})

/** A started set of hash workers. */
export class HashWorkers {
  readonly size: number
  readonly #slots: (Slot | undefined)[] = []
  readonly #exiting = new Set<Promise<number>>()
  #seq = 0
  #closed = false

  private constructor(size: number) {
    this.size = size
  }

  /**
   * Starts `size` workers and resolves when each has posted its first message.
   * @throws Error when a worker fails before it is ready (every worker is then terminated)
   */
  static async start(size: number): Promise<HashWorkers> {
    const workers = new HashWorkers(size)
    const ready: Promise<void>[] = []
    for (let i = 0; i < size; i++) ready.push(workers.#spawn(i))
    try {
      await Promise.all(ready)
    } catch (error) {
      await workers.close()
      throw error
    }
    return workers
  }

  #spawn(index: number): Promise<void> {
    const worker = new Worker(workerUrl)
    const slot: Slot = { worker, jobs: [], since: 0 }
    this.#slots[index] = slot
    return new Promise((resolve, reject) => {
      let ready = false
      worker.on('message', (message: { seq: number; digests: string[] } | 'ready') => {
        if (message === 'ready') {
          ready = true
          return resolve()
        }
        const job = slot.jobs.shift()
        slot.since = performance.now()
        if (job?.seq !== message.seq) return this.#lose(slot, 'answered out of order')
        // The worker's port hands it the next batch now.
        const next = slot.jobs[0]
        if (next?.announce) next.call.start(next.first, next.count)
        job.call.done(job.first, message.digests)
      })
      worker.once('error', (error) => {
        if (!ready) reject(error)
        this.#lose(slot, `worker threw: ${error.message}`, undefined, ready)
      })
      worker.once('exit', (code) => {
        if (!ready) reject(new Error(`A hash worker exited with code ${code} before it was ready`))
        this.#lose(slot, `worker exited with code ${code}`, undefined, ready)
      })
    })
  }

  /**
   * Ends the slot's worker and its work, and puts a fresh worker in its place
   * — unless the set is closing or the lost worker never got ready (a worker
   * that cannot start would otherwise be restarted forever).
   */
  #lose(slot: Slot, reason: string, head?: Failure, replace = true): void {
    const index = this.#slots.indexOf(slot)
    if (index < 0) return
    slot.worker.removeAllListeners()
    const exiting = slot.worker.terminate()
    this.#exiting.add(exiting)
    void exiting.finally(() => this.#exiting.delete(exiting))
    const jobs = slot.jobs.splice(0)
    this.#slots[index] = undefined
    if (replace && !this.#closed) void this.#spawn(index).catch(() => {})
    const failure = crashed(reason)
    jobs.forEach((job, i) => {
      job.call.fail(job.first, job.count, i === 0 && head ? head : failure)
    })
  }

  /**
   * Posts the items `first`… of `call` (their buffers transferred) to worker
   * `index`, or to the least busy worker when `index` is undefined; with
   * `announce`, the worker's taking them is reported as their `onStart`.
   */
  post(
    call: DigestCall,
    first: number,
    buffers: Uint8Array[],
    index: number | undefined,
    announce: boolean,
  ): void {
    let slot = index === undefined ? undefined : this.#slots[index]
    if (index === undefined) {
      for (const candidate of this.#slots)
        if (candidate && (!slot || candidate.jobs.length < slot.jobs.length)) slot = candidate
    }
    if (!slot) {
      call.fail(first, buffers.length, crashed('no worker to take the task'))
      return
    }
    const seq = ++this.#seq
    const job = { seq, call, first, count: buffers.length, announce }
    slot.jobs.push(job)
    if (slot.jobs.length === 1) {
      slot.since = performance.now()
      if (announce) call.start(first, buffers.length)
    }
    try {
      slot.worker.postMessage(
        { seq, buffers },
        buffers.map((b) => b.buffer as ArrayBuffer),
      )
    } catch (error) {
      // A buffer that cannot be transferred (detached by an earlier call) fails its own items only.
      slot.jobs.splice(slot.jobs.indexOf(job), 1)
      call.fail(first, buffers.length, crashed(`its buffers could not be sent: ${String(error)}`))
    }
  }

  /** Terminates (and replaces) every worker that has held its current job for `timeoutMs` or more. */
  expire(timeoutMs: number): void {
    const now = performance.now()
    for (const slot of [...this.#slots]) {
      if (slot && slot.jobs.length > 0 && now - slot.since >= timeoutMs) {
        this.#lose(slot, `worker lost with the task that ran past ${timeoutMs} ms`, {
          kind: 'timeout',
        })
      }
    }
  }

  /** Terminates (and replaces) every worker holding work of `call`: a synchronous hash cannot be stopped otherwise. */
  cancel(call: DigestCall): void {
    for (const slot of [...this.#slots])
      if (slot?.jobs.some((job) => job.call === call)) this.#lose(slot, 'its call was aborted')
  }

  /** Terminates every worker; resolves when every thread this set started has exited. */
  async close(): Promise<void> {
    this.#closed = true
    for (const slot of [...this.#slots]) if (slot) this.#lose(slot, 'the workers were closed')
    await Promise.all(this.#exiting)
  }
}

/**
 * Starts `size` workers for one call — unless the call finishes first (its
 * signal aborted while threads were starting): then it resolves `undefined`
 * at once and terminates the workers once they are up.
 */
export async function startFor(call: DigestCall, size: number): Promise<HashWorkers | undefined> {
  const starting = HashWorkers.start(size)
  const workers = await Promise.race([starting, call.promise.then(() => undefined)])
  if (workers === undefined)
    void starting.then(
      (late) => late.close(),
      () => {},
    )
  return workers
}

/**
 * Buffers ready to transfer: each owning its whole `ArrayBuffer`, and no
 * `ArrayBuffer` twice (a transfer list may not name one twice, nor a buffer
 * an earlier message detached), copying only where needed.
 */
export function ownBuffers(buffers: readonly Uint8Array[]): Uint8Array[] {
  const seen = new Set<ArrayBufferLike>()
  return buffers.map((buffer) => {
    let own: Uint8Array = transferable(buffer)
    if (seen.has(own.buffer)) own = own.slice()
    seen.add(own.buffer)
    return own
  })
}
