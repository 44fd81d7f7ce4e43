/**
 * The hybrid scanner's child processes, kept between calls: up to `size`
 * forks of `scan-process-worker.js`, started on first use (or all at once by
 * `ready()`), each scanning the chunks it is sent under their ids and sending
 * each port's outcome as it completes. A chunk is sent only once its process
 * has loaded (IPC messages that arrive before the child listens are lost). A
 * chunk whose run aborts is aborted in its process too, and gets a short grace
 * to send what it finished; a chunk whose process dies fails `worker-crashed`
 * for every port not yet answered, and the process is replaced — unless it
 * died before it was ready, which would only loop: the scanner is then broken
 * and fails every chunk. `close()` kills every process (nothing in them is
 * worth waiting for) and resolves once each has exited.
 */
import type { ChildProcess } from 'node:child_process'
import {
  type Failure,
  failed,
  failureOf,
  type Outcome,
  type ScanResult,
  type ScanValue,
  WorkerCrashedError,
} from '@arena/core'
import type { Kept } from './lifecycle.ts'
import { exitOf, forkWorker, kill } from './process-pool.ts'
import type { ScanProcessReply, ScanProcessRequest } from './scan-process-worker.js'

const entry = new URL('./scan-process-worker.js', import.meta.url)

/** How long after an abort a process may take to send back a chunk's outcomes, in milliseconds. */
const ABORT_GRACE_MS = 25

/** A chunk of ports, as a call hands it to one process. */
export interface ScanChunk {
  readonly host: string
  readonly ports: readonly number[]
  readonly concurrency: number
  readonly timeoutMs: number
}

interface Slot {
  readonly child: ChildProcess
  readonly exited: Promise<void>
  /** Settles when the process has loaded (its first message), or fails if it died first. */
  readonly started: PromiseWithResolvers<void>
  loaded: boolean
  /** Chunks sent and not yet complete: how to end each with a crash. */
  readonly pending: Map<number, (error: unknown) => void>
}

/** The kept processes of the hybrid scanner. */
export class ScanProcesses implements Kept {
  readonly #size: number
  readonly #slots: Slot[] = []
  readonly #receivers = new Map<
    number,
    (reply: Extract<ScanProcessReply, { kind: 'outcomes' }>) => void
  >()
  readonly #exiting = new Set<Promise<void>>()
  #broken: WorkerCrashedError | undefined
  #nextId = 0
  #closed = false

  /** Keeps at most `size` processes (1 and up); starts none yet. */
  constructor(size: number) {
    this.#size = size
  }

  /** How many processes a call may use. */
  get size(): number {
    return this.#size
  }

  /** Process ids of the processes started so far, in order. */
  get pids(): number[] {
    return this.#slots.flatMap((s) => (s.child.pid === undefined ? [] : [s.child.pid]))
  }

  #spawn(): Slot {
    const child = forkWorker(entry, 'json')
    const slot: Slot = {
      child,
      exited: exitOf(child),
      started: Promise.withResolvers(),
      loaded: false,
      pending: new Map(),
    }
    // Only `ready()` and `scan` await it; a death while nobody waits is handled below.
    slot.started.promise.catch(() => {})
    child.on('message', (reply: ScanProcessReply) => {
      if (reply.kind === 'outcomes') return this.#receivers.get(reply.id)?.(reply)
      slot.loaded = true
      slot.started.resolve()
    })
    const crash = (reason: string) => {
      const index = this.#slots.indexOf(slot)
      if (this.#closed || index < 0) return
      const error = new WorkerCrashedError(reason)
      kill(child)
      this.#exiting.add(slot.exited)
      void slot.exited.finally(() => this.#exiting.delete(slot.exited))
      if (slot.loaded) this.#slots[index] = this.#spawn()
      else this.#broken = new WorkerCrashedError(`${reason} before it was ready`)
      slot.started.reject(this.#broken ?? error)
      for (const fail of slot.pending.values()) fail(error)
    }
    child.on('exit', (code, signal) =>
      crash(
        signal ? `scan process was killed by ${signal}` : `scan process exited with code ${code}`,
      ),
    )
    child.on('error', (error) => crash(`scan process failed: ${error.message}`))
    return slot
  }

  #slot(index: number): Slot {
    while (this.#slots.length <= index) this.#slots.push(this.#spawn())
    return this.#slots[index] as Slot
  }

  /** Starts every process and resolves once each has loaded (rejects if one died first). */
  async ready(): Promise<void> {
    await Promise.all(Array.from({ length: this.#size }, (_, i) => this.#slot(i).started.promise))
  }

  /**
   * Scans `chunk` in process `index` (0 to `size - 1`, started if need be).
   * Resolves with one outcome per port, each also passed to `onOutcome` (with
   * its index in the chunk) once, as it arrives and before this resolves. An
   * abort of `signal` gives the process {@link ABORT_GRACE_MS} to answer; the
   * ports still open then end `aborted`. It rejects only once closed.
   */
  scan(
    index: number,
    chunk: ScanChunk,
    signal: AbortSignal | undefined,
    onOutcome?: (index: number, outcome: Outcome<ScanValue>) => void,
  ): Promise<ScanResult> {
    if (this.#closed) return Promise.reject(new Error('The scan processes are closed'))
    const slot = this.#broken ? undefined : this.#slot(index)
    const id = this.#nextId++
    const outcomes = new Array<Outcome<ScanValue> | undefined>(chunk.ports.length)
    let left = chunk.ports.length
    return new Promise((resolve) => {
      let ended = false
      let grace: NodeJS.Timeout | undefined
      const record = (i: number, outcome: Outcome<ScanValue>) => {
        if (outcomes[i] !== undefined) return
        outcomes[i] = outcome
        left--
        onOutcome?.(i, outcome)
      }
      const end = () => {
        ended = true
        clearTimeout(grace)
        signal?.removeEventListener('abort', onAbort)
        this.#receivers.delete(id)
        slot?.pending.delete(id)
        resolve(outcomes as Outcome<ScanValue>[])
      }
      const failRest = (error: unknown) => {
        if (ended) return
        const failure: Failure = failureOf(error, signal)
        for (let i = 0; i < outcomes.length; i++) record(i, failed(failure))
        end()
      }
      const onAbort = () => {
        // A chunk not sent yet, or sent to a process still loading, has nothing finished to wait for.
        if (!slot?.loaded) return failRest(signal?.reason)
        slot.child.send({ kind: 'abort', id } satisfies ScanProcessRequest)
        grace = setTimeout(() => failRest(signal?.reason), ABORT_GRACE_MS)
      }
      if (!slot) return failRest(this.#broken)
      this.#receivers.set(id, ({ done }) => {
        for (const [i, outcome] of done) record(i, outcome)
        if (left === 0) end()
      })
      slot.pending.set(id, failRest)
      signal?.addEventListener('abort', onAbort, { once: true })
      slot.started.promise.then(() => {
        if (!ended) slot.child.send({ kind: 'scan', id, ...chunk } satisfies ScanProcessRequest)
      }, failRest)
    })
  }

  async close(): Promise<void> {
    this.#closed = true
    const slots = this.#slots.splice(0)
    for (const slot of slots) kill(slot.child)
    await Promise.all([...this.#exiting, ...slots.map((slot) => slot.exited)])
    const error = new Error('The scan processes were closed')
    for (const slot of slots) {
      slot.started.reject(error)
      for (const fail of slot.pending.values()) fail(error)
    }
  }
}
