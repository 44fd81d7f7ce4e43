/**
 * What the hybrid variant keeps: `max(1, parallelism)` scan worker threads,
 * started at once and kept until closed, each able to scan several chunks
 * at a time. On the main thread a chunk's scan is a cold Observable of
 * indexed outcomes: subscribing posts the job to its thread, the thread's
 * batches flow back as they finish, and unsubscribing (an abort) posts a
 * cancel, so the thread destroys that job's sockets and stays for the next
 * call. A thread that dies fails every port its jobs have not answered with
 * `worker-crashed`; a replacement starts when a chunk next needs that thread.
 */
import { Worker } from 'node:worker_threads'
import {
  failed,
  failureOf,
  type OpenOptions,
  type ScanValue,
  WorkerCrashedError,
} from '@arena/core'
import { Observable, type Subscriber } from 'rxjs'
import type { Kept } from './instance.ts'
import type { Indexed } from './outcomes.ts'
import type { ScanJob, ScanReply, ScanRequest } from './scan-worker.ts'

const workerUrl = new URL('./scan-worker.ts', import.meta.url)

interface Job {
  /** A batch of outcomes, indexed in the chunk. */
  readonly batch: (batch: Indexed<ScanValue>[]) => void
  /** The thread died: `reason` says how. */
  readonly lost: (reason: string) => void
}

interface Thread {
  readonly worker: Worker
  ready: boolean
  readonly jobs: Map<number, Job>
}

/** The hybrid variant's kept scan threads. */
export class ScanThreads implements Kept {
  readonly concurrency: number
  readonly parallelism: number
  /** Threads kept: `max(1, parallelism)`, so a scan always has one. */
  readonly size: number
  readonly #threads: (Thread | undefined)[]
  readonly #exits = new Set<Promise<unknown>>()
  readonly #starting = new Set<Subscriber<void>>()
  #jobs = 0
  #closing: Promise<void> | undefined

  /** Starts every thread now, so they load while the scan is split. */
  constructor({ concurrency, parallelism }: OpenOptions) {
    this.concurrency = concurrency
    this.parallelism = parallelism
    this.size = Math.max(1, parallelism)
    this.#threads = Array.from({ length: this.size }, (_, i) => this.#spawn(i))
  }

  get closed(): boolean {
    return this.#closing !== undefined
  }

  /** Emits once every thread has loaded; errors with `WorkerCrashedError` if one died first. */
  ready(): Observable<void> {
    return new Observable<void>((subscriber) => {
      if (this.closed) return subscriber.error(new Error('The scan threads are closed'))
      this.#starting.add(subscriber)
      this.#settleStarting()
      return () => this.#starting.delete(subscriber)
    })
  }

  /**
   * Scans `job` on thread `thread` (0 to `size` − 1), emitting its outcomes
   * tagged with their index in the whole input (`offset` + index in the chunk),
   * and completing once every port has one. Unsubscribing cancels the job.
   */
  scan(thread: number, job: ScanJob, offset: number): Observable<Indexed<ScanValue>> {
    return new Observable<Indexed<ScanValue>>((subscriber) => {
      if (this.closed) return subscriber.error(new Error('The scan threads are closed'))
      const owner = this.#threads[thread] ?? this.#spawn(thread)
      this.#threads[thread] = owner
      const id = ++this.#jobs
      const answered = new Uint8Array(job.ports.length)
      let remaining = job.ports.length
      owner.jobs.set(id, {
        batch: (batch) => {
          for (const [index, outcome] of batch) {
            answered[index] = 1
            subscriber.next([offset + index, outcome])
          }
          remaining -= batch.length
          if (remaining === 0) subscriber.complete()
        },
        lost: (reason) => {
          const failure = failureOf(new WorkerCrashedError(reason))
          answered.forEach((done, index) => {
            if (!done) subscriber.next([offset + index, failed(failure)])
          })
          subscriber.complete()
        },
      })
      owner.worker.postMessage({ id, job } satisfies ScanRequest)
      return () => {
        // Still listed: the job ended early (an abort), and the thread is still scanning it.
        if (owner.jobs.delete(id) && remaining > 0)
          owner.worker.postMessage({ cancel: id } satisfies ScanRequest)
      }
    })
  }

  /**
   * Terminates every thread (a scan still running answers its remaining ports
   * `worker-crashed`); resolves once they have exited. Calling it again
   * returns the same promise.
   */
  close(): Promise<void> {
    if (this.#closing === undefined) {
      const closed = new Error('The scan threads were closed')
      for (const [i, thread] of this.#threads.entries()) {
        if (!thread) continue
        this.#discard(i, thread)
        this.#lose(thread, 'the scan threads were closed')
      }
      for (const subscriber of [...this.#starting]) subscriber.error(closed)
      this.#closing = Promise.all(this.#exits).then(() => undefined)
    }
    return this.#closing
  }

  /** `using`'s release: starts `close` without waiting for it. */
  unsubscribe(): void {
    this.close().catch(() => {})
  }

  #spawn(index: number): Thread {
    const thread: Thread = { worker: new Worker(workerUrl), ready: false, jobs: new Map() }
    thread.worker.on('message', (reply: ScanReply) => {
      if (reply === 'ready') {
        thread.ready = true
        return this.#settleStarting()
      }
      thread.jobs.get(reply.id)?.batch(reply.batch)
    })
    const lose = (reason: string) => {
      if (this.#threads[index] === thread) this.#threads[index] = undefined
      this.#discard(index, thread)
      if (!thread.ready)
        this.#settleStarting(new WorkerCrashedError(`${reason} before it was ready`))
      this.#lose(thread, reason)
    }
    thread.worker.on('error', (error) => lose(`scan worker threw: ${error.message}`))
    thread.worker.on('exit', (code) => lose(`scan worker exited with code ${code}`))
    return thread
  }

  /** Answers every port `thread`'s jobs have not answered with `worker-crashed`. */
  #lose(thread: Thread, reason: string) {
    const jobs = [...thread.jobs.values()]
    // Cleared first, so the jobs' teardowns post no cancel to a thread that is gone.
    thread.jobs.clear()
    for (const job of jobs) job.lost(reason)
  }

  #discard(index: number, thread: Thread) {
    if (this.#threads[index] === thread) this.#threads[index] = undefined
    thread.worker.removeAllListeners()
    const exit = thread.worker.terminate().finally(() => this.#exits.delete(exit))
    this.#exits.add(exit)
  }

  #settleStarting(failure?: Error) {
    if (this.#starting.size === 0) return
    if (!failure && !this.#threads.every((thread) => thread?.ready)) return
    for (const subscriber of [...this.#starting]) {
      if (failure) subscriber.error(failure)
      else {
        subscriber.next()
        subscriber.complete()
      }
    }
  }
}
