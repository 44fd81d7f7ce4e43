/**
 * The hybrid scanner's threads, kept between calls: up to `size` workers of
 * `scan-worker.ts`, started on first use (or all at once by `ready()`), each
 * scanning the chunks it is sent under their ids. Given a callback, a chunk
 * reports each outcome as its worker's batch brings it to this thread. A
 * chunk whose run aborts is aborted in its worker too, and gets a short grace
 * to come back with what it finished; a chunk whose worker throws or exits
 * fails with `WorkerCrashedError` (in its ports not reported yet), and the
 * worker is replaced. `close()` resolves once every thread it ever started
 * has exited.
 */
import { Worker } from 'node:worker_threads'
import {
  failed,
  failureOf,
  type Outcome,
  type ScanResult,
  type ScanValue,
  WorkerCrashedError,
} from '@arena/core'
import type { Kept } from './lifecycle.ts'
import type { ScanBatch, ScanJob, ScanReply, ScanRequest } from './scan-worker.ts'

const workerUrl = new URL('./scan-worker.ts', import.meta.url)

/** How long after an abort a worker may take to send back a chunk, in milliseconds. */
const ABORT_GRACE_MS = 25

type Chunk = Omit<ScanJob, 'id' | 'report'>

/** What a chunk sent to a worker does with the replies for it. */
interface Reply {
  readonly batch: (batch: ScanBatch) => void
  readonly end: (outcomes: ScanResult) => void
}

interface Slot {
  readonly worker: Worker
  /** Settles when the worker has loaded (its first message), or fails before it did. */
  readonly started: PromiseWithResolvers<void>
  loaded: boolean
  /** Chunks sent and not yet answered: how to end each with a crash. */
  readonly pending: Map<number, (error: unknown) => void>
}

/** A chunk's every port failed with `error` (classified, the signal's reason first). */
const failAll = (chunk: Chunk, error: unknown, signal?: AbortSignal): ScanResult =>
  chunk.ports.map(() => failed(failureOf(error, signal)))

/** The kept threads of the hybrid scanner. */
export class ScanWorkers implements Kept {
  readonly #size: number
  readonly #slots: Slot[] = []
  readonly #replies = new Map<number, Reply>()
  readonly #exiting = new Set<Promise<unknown>>()
  #nextId = 0
  #closed = false

  /** Keeps at most `size` workers (1 and up); starts none yet. */
  constructor(size: number) {
    this.#size = size
  }

  /** How many workers a call may use. */
  get size(): number {
    return this.#size
  }

  /** Thread ids of the workers started so far, in order. */
  get threadIds(): number[] {
    return this.#slots.map((s) => s.worker.threadId)
  }

  #spawn(): Slot {
    const slot: Slot = {
      worker: new Worker(workerUrl),
      started: Promise.withResolvers(),
      loaded: false,
      pending: new Map(),
    }
    // Only `ready()` awaits it; a crash while nobody waits is handled below.
    slot.started.promise.catch(() => {})
    slot.worker.on('message', (message: 'ready' | ScanReply) => {
      if (message === 'ready') {
        slot.loaded = true
        return slot.started.resolve()
      }
      const reply = this.#replies.get(message.id)
      if ('batch' in message) return reply?.batch(message.batch)
      slot.pending.delete(message.id)
      reply?.end(message.outcomes)
    })
    const crash = (reason: string) => {
      if (this.#closed) return
      const index = this.#slots.indexOf(slot)
      if (index < 0) return
      slot.worker.removeAllListeners()
      this.#track(slot.worker.terminate())
      this.#slots[index] = this.#spawn()
      const error = new WorkerCrashedError(reason)
      slot.started.reject(error)
      for (const fail of slot.pending.values()) fail(error)
    }
    slot.worker.on('error', (error) => crash(`scan worker threw: ${error.message}`))
    slot.worker.on('exit', (code) => crash(`scan worker exited with code ${code}`))
    return slot
  }

  #track(exiting: Promise<unknown>) {
    this.#exiting.add(exiting)
    void exiting.finally(() => this.#exiting.delete(exiting))
  }

  #slot(index: number): Slot {
    while (this.#slots.length <= index) this.#slots.push(this.#spawn())
    return this.#slots[index] as Slot
  }

  /** Starts every worker and resolves once each has loaded its module. */
  async ready(): Promise<void> {
    await Promise.all(Array.from({ length: this.#size }, (_, i) => this.#slot(i).started.promise))
  }

  /**
   * Scans `chunk` on worker `index` (0 to `size - 1`, started if need be).
   * Resolves with one outcome per port (it rejects only once closed): an abort
   * of `signal` gives the worker {@link ABORT_GRACE_MS} to answer, then fails
   * the chunk's unfinished ports `aborted`. `onOutcome(index in the chunk,
   * outcome)`, when given, is called once per port as its outcome arrives, and
   * for the ports an abort or a crash fails as they are failed.
   */
  scan(
    index: number,
    chunk: Chunk,
    signal: AbortSignal | undefined,
    onOutcome?: (index: number, outcome: Outcome<ScanValue>) => void,
  ): Promise<ScanResult> {
    if (this.#closed) return Promise.reject(new Error('The scan workers are closed'))
    const slot = this.#slot(index)
    const id = this.#nextId++
    return new Promise((resolve) => {
      let grace: NodeJS.Timeout | undefined
      // With a callback, the outcomes reported so far: the answer keeps them, whatever ends the chunk.
      const got = onOutcome && new Array<Outcome<ScanValue> | undefined>(chunk.ports.length)
      const take = (i: number, outcome: Outcome<ScanValue>): Outcome<ScanValue> => {
        if (!got || !onOutcome) return outcome
        const earlier = got[i]
        if (earlier) return earlier
        got[i] = outcome
        onOutcome(i, outcome)
        return outcome
      }
      const end = (outcomes: ScanResult) => {
        clearTimeout(grace)
        signal?.removeEventListener('abort', onAbort)
        this.#replies.delete(id)
        slot.pending.delete(id)
        resolve(got ? outcomes.map((outcome, i) => take(i, outcome)) : outcomes)
      }
      const onAbort = () => {
        const aborted = () => end(failAll(chunk, signal?.reason, signal))
        // A worker still starting up has finished nothing: waiting for it would only make the abort slow.
        if (!slot.loaded) return aborted()
        slot.worker.postMessage({ kind: 'abort', id } satisfies ScanRequest)
        grace = setTimeout(aborted, ABORT_GRACE_MS)
      }
      this.#replies.set(id, {
        batch: (batch) => {
          for (const [i, outcome] of batch) take(i, outcome)
        },
        end,
      })
      slot.pending.set(id, (error) => end(failAll(chunk, error, signal)))
      signal?.addEventListener('abort', onAbort, { once: true })
      const job: ScanJob = { id, ...chunk, report: onOutcome !== undefined }
      slot.worker.postMessage({ kind: 'scan', job } satisfies ScanRequest)
    })
  }

  async close(): Promise<void> {
    this.#closed = true
    const slots = this.#slots.splice(0)
    await Promise.all([
      ...this.#exiting,
      ...slots.map((slot) => {
        slot.worker.removeAllListeners()
        return slot.worker.terminate()
      }),
    ])
    const error = new Error('The scan workers were closed')
    for (const slot of slots) for (const fail of slot.pending.values()) fail(error)
  }
}
