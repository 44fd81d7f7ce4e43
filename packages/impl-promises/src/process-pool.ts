/**
 * The process pool: a fixed number of child processes (`child_process.fork`
 * of `process-worker.js`), a FIFO queue, one task per process at a time — the
 * thread pool of `pool.ts` with processes. Buffers go over IPC with
 * `serialization: 'advanced'`: a structured clone of the `Uint8Array`, one
 * copy, where 'json' needs base64 (4–5 times slower at 1 MiB, measured) and
 * nothing can be transferred between processes. The deadline starts when a
 * process takes the task. A process that exits, is killed or throws fails only
 * its own task, with `WorkerCrashedError`, and is replaced; one past its
 * deadline is killed and replaced. An abort drops a queued task and ends a
 * running one `aborted` at once, but leaves its process to finish (its digest
 * is dropped): a replacement costs tens of milliseconds of start-up, a digest a
 * few; only the deadline kills. A process that dies before it is ready breaks
 * the pool (no replacement loop): every task then fails `worker-crashed`.
 * `ready()` resolves once every process has loaded; `close()` resolves once
 * every process it ever started has exited.
 */
import { type ChildProcess, fork } from 'node:child_process'
import { BroadcastChannel } from 'node:worker_threads'
import { KERNEL_TRACE_CHANNEL, type KernelTrace, WorkerCrashedError } from '@arena/core'
import type { ProcessReply, ProcessRequest } from '@arena/core/process-kernel'

/** How long a process asked to exit may take before it is killed, in milliseconds. */
const EXIT_GRACE_MS = 1000

const entry = new URL('./process-worker.js', import.meta.url)

interface Task {
  readonly data: Uint8Array
  readonly resolve: (digest: string) => void
  readonly reject: (error: unknown) => void
  readonly signal: AbortSignal | undefined
  readonly timeoutMs: number
  readonly onTaken: (() => void) | undefined
  onAbort?: () => void
  settled: boolean
}

interface Slot {
  readonly child: ChildProcess
  /** Resolves once the process has exited. */
  readonly exited: Promise<void>
  /** The task it runs: still settled by its digest, or already ended by an abort. */
  task: Task | undefined
  timer: NodeJS.Timeout | undefined
  /** It has loaded and said so; only then does it get tasks (and their deadlines start). */
  ready: boolean
}

/** Options of one task. */
export interface ProcessTaskOptions {
  /** Drops the task, or ends it if running; it rejects with `signal.reason`. */
  readonly signal?: AbortSignal | undefined
  /** Deadline once a process takes the task, ms; it rejects with a `TimeoutError` and the process is killed. */
  readonly timeoutMs: number
  /** Called when a process takes the task, as its deadline starts. */
  readonly onTaken?: (() => void) | undefined
}

/** Forks one pool process: no flag of the parent's (a test runner's, an inspector's), no stdin or stdout. */
export function forkWorker(url: URL, serialization: 'advanced' | 'json'): ChildProcess {
  return fork(url, [], {
    execArgv: [],
    serialization,
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  })
}

/** Resolves once `child` has exited and its IPC channel and pipes are closed (or it could not start). */
export function exitOf(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.once('close', () => resolve())
    child.once('error', () => {
      if (child.pid === undefined) resolve()
    })
  })
}

/** Kills `child` unless it has exited already. */
export function kill(child: ChildProcess): void {
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
}

/** A fixed-size pool of sha256 child processes. */
export class ProcessPool {
  readonly #slots: Slot[] = []
  readonly #queue: Task[] = []
  /** Exits of replaced processes, still to be awaited by `close`. */
  readonly #exiting = new Set<Promise<void>>()
  #waiters: PromiseWithResolvers<void>[] = []
  #broken: Error | undefined
  #relay: BroadcastChannel | undefined
  /** Set once `close` has seen every process exit: no trace can come after. */
  #relayClosed = false
  #closed = false

  /** Starts `size` processes (1 and up). */
  constructor(size: number) {
    for (let i = 0; i < size; i++) this.#slots.push(this.#spawn())
  }

  /** Process ids of the pool's current processes, in slot order. */
  get pids(): number[] {
    return this.#slots.flatMap((s) => (s.child.pid === undefined ? [] : [s.child.pid]))
  }

  #spawn(): Slot {
    const child = forkWorker(entry, 'advanced')
    const slot: Slot = {
      child,
      exited: exitOf(child),
      task: undefined,
      timer: undefined,
      ready: false,
    }
    child.on('message', (reply: ProcessReply) => {
      if (reply.kind === 'trace') return this.#relayTrace(child.pid, reply.trace)
      if (!this.#slots.includes(slot)) return
      if (reply.kind === 'threw') return this.#crash(slot, `worker process threw: ${reply.message}`)
      if (reply.kind === 'ready') {
        slot.ready = true
        // A broken pool stays broken: one process ready after another died is no pool.
        if (!this.#broken && this.#slots.every((s) => s.ready))
          for (const waiter of this.#waiters.splice(0)) waiter.resolve()
      } else {
        const task = slot.task
        this.#free(slot)
        if (task) this.#settle(task, () => task.resolve(reply.digest))
      }
      this.#dispatch()
    })
    child.on('exit', (code, signal) =>
      this.#crash(
        slot,
        signal
          ? `worker process was killed by ${signal}`
          : `worker process exited with code ${code}`,
      ),
    )
    child.on('error', (error) => this.#crash(slot, `worker process failed: ${error.message}`))
    return slot
  }

  /** The kernel's trace from a child, re-posted here with the child's pid in place of its (main) thread id. */
  #relayTrace(pid: number | undefined, trace: KernelTrace) {
    if (this.#relayClosed || pid === undefined) return
    if (!this.#relay) {
      this.#relay = new BroadcastChannel(KERNEL_TRACE_CHANNEL)
      this.#relay.unref()
    }
    this.#relay.postMessage({ ...trace, threadId: pid } satisfies KernelTrace)
  }

  #free(slot: Slot) {
    clearTimeout(slot.timer)
    slot.timer = undefined
    slot.task = undefined
  }

  /** The slot's process died or threw: its task fails, and a fresh process takes its place. */
  #crash(slot: Slot, reason: string) {
    if (this.#closed || !this.#slots.includes(slot)) return
    const error = new WorkerCrashedError(reason)
    const task = slot.task
    if (!slot.ready) return this.#break(slot, error)
    this.#replace(slot)
    if (task) this.#settle(task, () => task.reject(error))
    this.#dispatch()
  }

  /** A process died before it was ready: replacing it would likely loop, so every task fails instead. */
  #break(slot: Slot, error: WorkerCrashedError) {
    this.#broken = new WorkerCrashedError(`${error.message} before it was ready`)
    const broken = this.#broken
    this.#slots.splice(this.#slots.indexOf(slot), 1)
    this.#track(slot.exited)
    for (const waiter of this.#waiters.splice(0)) waiter.reject(broken)
    for (const task of this.#queue.splice(0)) this.#settle(task, () => task.reject(broken))
  }

  /** Kills the slot's process (running task or not) and puts a fresh one in its place. */
  #replace(slot: Slot) {
    this.#free(slot)
    kill(slot.child)
    this.#track(slot.exited)
    this.#slots[this.#slots.indexOf(slot)] = this.#spawn()
  }

  #track(exited: Promise<void>) {
    this.#exiting.add(exited)
    void exited.finally(() => this.#exiting.delete(exited))
  }

  #settle(task: Task, settle: () => void) {
    if (task.settled) return
    task.settled = true
    if (task.onAbort) task.signal?.removeEventListener('abort', task.onAbort)
    settle()
  }

  #dispatch() {
    if (this.#closed) return
    for (const slot of this.#slots) {
      if (slot.task || !slot.ready) continue
      const task = this.#queue.shift()
      if (!task) return
      slot.task = task
      slot.timer = setTimeout(() => {
        this.#replace(slot)
        const error = new DOMException(`hash task exceeded ${task.timeoutMs} ms`, 'TimeoutError')
        this.#settle(task, () => task.reject(error))
        this.#dispatch()
      }, task.timeoutMs)
      task.onTaken?.()
      slot.child.send({ kind: 'hash', data: task.data } satisfies ProcessRequest)
    }
  }

  /** Resolves once every process of the pool has loaded (rejects if the pool closes or breaks first). */
  ready(): Promise<void> {
    if (this.#closed) return Promise.reject(new Error('The process pool is closed'))
    if (this.#broken) return Promise.reject(this.#broken)
    if (this.#slots.every((s) => s.ready)) return Promise.resolve()
    const waiter = Promise.withResolvers<void>()
    this.#waiters.push(waiter)
    return waiter.promise
  }

  /** Digests `data` in a child process (a copy of it is sent; `data` stays usable). */
  run(data: Uint8Array, { signal, timeoutMs, onTaken }: ProcessTaskOptions): Promise<string> {
    if (this.#closed) return Promise.reject(new Error('The process pool is closed'))
    if (this.#broken) return Promise.reject(this.#broken)
    if (signal?.aborted) return Promise.reject(signal.reason)
    return new Promise((resolve, reject) => {
      const task: Task = { data, resolve, reject, signal, timeoutMs, onTaken, settled: false }
      if (signal) {
        task.onAbort = () => {
          const queued = this.#queue.indexOf(task)
          if (queued >= 0) this.#queue.splice(queued, 1)
          this.#settle(task, () => reject(signal.reason))
        }
        signal.addEventListener('abort', task.onAbort, { once: true })
      }
      this.#queue.push(task)
      this.#dispatch()
    })
  }

  /**
   * Ends every process: an idle one is asked to exit (so the traces it holds
   * are written first), a busy or starting one is killed; queued and running
   * tasks reject. Resolves once every process it ever started has exited.
   */
  async close(): Promise<void> {
    this.#closed = true
    const closedError = new Error('The process pool was closed')
    for (const waiter of this.#waiters.splice(0)) waiter.reject(closedError)
    const slots = this.#slots.splice(0)
    const pending = [...this.#queue.splice(0), ...slots.flatMap((s) => (s.task ? [s.task] : []))]
    for (const task of pending) this.#settle(task, () => task.reject(closedError))
    await Promise.all([
      ...this.#exiting,
      ...slots.map(async (slot) => {
        const busy = slot.task !== undefined || !slot.ready
        this.#free(slot)
        if (busy || !slot.child.connected) kill(slot.child)
        else slot.child.send({ kind: 'exit' } satisfies ProcessRequest)
        const force = setTimeout(() => kill(slot.child), EXIT_GRACE_MS)
        await slot.exited
        clearTimeout(force)
      }),
    ])
    this.#relayClosed = true
    this.#relay?.close()
    this.#relay = undefined
  }
}
