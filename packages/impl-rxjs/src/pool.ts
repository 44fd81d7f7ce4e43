/**
 * The worker pool, driven as Observables. An idle worker is a resource a
 * stream waits for: `digest(data)` is a cold Observable that leases a worker
 * (at once if one is idle, else when one is ready or released), posts the
 * buffer to it by transfer (a cloned 1 MiB buffer costs about ten times more)
 * and emits the digest; the lease ends with the subscription. The task's
 * deadline is the `timeout` operator on the post-to-reply Observable alone, so
 * it starts when a worker takes the task, never while it waits for one. If the
 * subscription ends before the reply (the deadline, an abort), the worker is
 * still busy with a hash nobody wants and cannot be interrupted, so it is
 * terminated; a worker that throws or exits fails its own task with
 * `WorkerCrashedError`. Either way a replacement starts when a task needs one.
 * A pool lives as long as its owner keeps it: one call (one-shot) or an
 * instance's many calls; `ready()` says when every worker it started has
 * loaded, `close()` terminates them all.
 */
import { Worker } from 'node:worker_threads'
import { WorkerCrashedError } from '@arena/core'
import { transferable } from '@arena/core/kernel'
import { mergeMap, Observable, type Subscriber, take, timeout } from 'rxjs'

interface Slot {
  readonly worker: Worker
  /** Set once the worker has loaded its module and said so; only then does it get tasks. */
  ready: boolean
  /** The subscriber waiting for this worker's reply; set while it is hashing. */
  task: Subscriber<string> | undefined
  /** Set once the worker threw or exited. */
  lost: boolean
}

interface Lease {
  readonly subscriber: Subscriber<Slot>
  slot: Slot | undefined
}

/** Options of one digest. */
export interface DigestOptions {
  /** Deadline from when a worker takes the task, in milliseconds; past it the digest errors with `TimeoutError`. */
  readonly timeoutMs?: number
  /** Called when a worker takes the task, as its deadline starts (at most once). */
  readonly onTaken?: (() => void) | undefined
}

const workerUrl = new URL('./worker.js', import.meta.url)

/** A pool of at most `size` sha256 workers. */
export class WorkerPool {
  readonly #size: number
  readonly #slots = new Set<Slot>()
  readonly #idle: Slot[] = []
  readonly #waiting: Lease[] = []
  /** Terminations still under way; kept until they settle, so a long-lived pool does not grow it. */
  readonly #exits = new Set<Promise<unknown>>()
  /** Who waits in `ready()`. */
  readonly #starting = new Set<Subscriber<void>>()
  #closed = false

  /**
   * Starts `size` workers (1 and up). They start now, so their boot overlaps
   * whatever the stream does before its first digest (the pipeline's first
   * downloads).
   */
  constructor(size: number) {
    this.#size = size
    for (let i = 0; i < size; i++) this.#spawn()
  }

  /**
   * Digests `data` on a worker; its buffer is transferred (detached here)
   * unless the view does not own all of it. Unsubscribing before the digest
   * arrives terminates the worker that was computing it.
   */
  digest(data: Uint8Array, { timeoutMs, onTaken }: DigestOptions = {}): Observable<string> {
    return this.#lease().pipe(
      mergeMap((slot) => {
        const reply = this.#run(slot, data, onTaken)
        return timeoutMs === undefined ? reply : reply.pipe(timeout({ first: timeoutMs }))
      }),
      take(1),
    )
  }

  /**
   * Emits once every one of the pool's workers has loaded its module, and
   * completes; errors with `WorkerCrashedError` if one dies before it has.
   */
  ready(): Observable<void> {
    return new Observable<void>((subscriber) => {
      if (this.#closed) return subscriber.error(new Error('The worker pool is closed'))
      this.#starting.add(subscriber)
      this.#settleStarting()
      return () => this.#starting.delete(subscriber)
    })
  }

  /**
   * Terminates every worker; tasks still pending error. Resolves once the
   * threads are gone (those terminated earlier included), which for a worker
   * still loading its module can take a while: a caller that has its answers
   * already need not wait. Closing again only waits again.
   */
  close(): Promise<void> {
    this.#closed = true
    const closed = new Error('The worker pool was closed')
    for (const lease of this.#waiting.splice(0)) lease.subscriber.error(closed)
    for (const slot of [...this.#slots]) {
      slot.task?.error(closed)
      this.#discard(slot)
    }
    this.#settleStarting(closed)
    return Promise.all(this.#exits).then(() => undefined)
  }

  /** Emits one ready worker that is the subscriber's alone until it unsubscribes. */
  #lease(): Observable<Slot> {
    return new Observable<Slot>((subscriber) => {
      if (this.#closed) return subscriber.error(new Error('The worker pool is closed'))
      const lease: Lease = { subscriber, slot: undefined }
      // Longest idle first: every worker of a kept pool takes work, none goes cold.
      const slot = this.#idle.shift()
      if (slot) this.#grant(lease, slot)
      else {
        this.#waiting.push(lease)
        if (this.#slots.size < this.#size) this.#spawn()
      }
      return () => {
        if (lease.slot) return this.#release(lease.slot)
        const waiting = this.#waiting.indexOf(lease)
        if (waiting >= 0) this.#waiting.splice(waiting, 1)
      }
    })
  }

  /** Answers `ready()`'s subscribers once every worker is ready, or with `failure`. */
  #settleStarting(failure?: Error) {
    if (this.#starting.size === 0) return
    if (failure) {
      for (const subscriber of [...this.#starting]) subscriber.error(failure)
      return
    }
    if (this.#slots.size < this.#size) return
    for (const slot of this.#slots) if (!slot.ready) return
    for (const subscriber of [...this.#starting]) {
      subscriber.next()
      subscriber.complete()
    }
  }

  #grant(lease: Lease, slot: Slot) {
    lease.slot = slot
    lease.subscriber.next(slot)
  }

  /** Hands a ready, free worker to the longest-waiting lease, or keeps it idle. */
  #offer(slot: Slot) {
    const next = this.#waiting.shift()
    if (next) this.#grant(next, slot)
    else this.#idle.push(slot)
  }

  #release(slot: Slot) {
    if (!this.#closed && !slot.task && !slot.lost) return this.#offer(slot)
    this.#discard(slot)
    // Deferred: when a whole stream is torn down at once (an abort), the leases still
    // waiting are about to leave too, and a replacement started for them would be waste.
    queueMicrotask(() => {
      if (!this.#closed && this.#waiting.length > 0 && this.#slots.size < this.#size) this.#spawn()
    })
  }

  #run(slot: Slot, data: Uint8Array, onTaken: (() => void) | undefined): Observable<string> {
    return new Observable<string>((subscriber) => {
      onTaken?.()
      const owned = transferable(data)
      slot.worker.postMessage(owned, [owned.buffer])
      slot.task = subscriber
    })
  }

  #spawn() {
    const slot: Slot = { worker: new Worker(workerUrl), ready: false, task: undefined, lost: false }
    this.#slots.add(slot)
    slot.worker.on('message', (digest: string) => {
      if (!slot.ready) {
        slot.ready = true
        this.#offer(slot)
        return this.#settleStarting()
      }
      const task = slot.task
      slot.task = undefined
      task?.next(digest)
    })
    const lose = (reason: string) => {
      if (slot.lost) return
      slot.lost = true
      if (!slot.ready) this.#settleStarting(new WorkerCrashedError(`${reason} before it was ready`))
      if (slot.task) return slot.task.error(new WorkerCrashedError(reason))
      // Not leased (a leased worker is discarded when its lease ends): drop it here.
      const idle = this.#idle.indexOf(slot)
      if (idle >= 0) this.#idle.splice(idle, 1)
      this.#release(slot)
    }
    slot.worker.on('error', (error) => lose(`worker threw: ${error.message}`))
    slot.worker.on('exit', (code) => lose(`worker exited with code ${code}`))
  }

  #discard(slot: Slot) {
    if (!this.#slots.delete(slot)) return
    slot.worker.removeAllListeners()
    const exit = slot.worker.terminate().finally(() => this.#exits.delete(exit))
    this.#exits.add(exit)
  }
}
