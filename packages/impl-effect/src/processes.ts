/**
 * A child process with a worker thread's face, so that the Effect `Pool` of
 * `threads.ts` can hold processes as it holds threads: `fork` of
 * `process-worker.js` with IPC (`serialization: 'advanced'`: a structured
 * clone of the `Uint8Array`, one copy into the channel and one out — a
 * process cannot share or be handed memory, so this is the cheapest way Node
 * allows; no transfer list applies). Its `ready` and digests arrive as a
 * thread's messages do; a throw reported by the process is an `error`, its
 * end an `exit`. `terminate` asks an idle process to exit (so a kernel trace
 * it holds is still written) and kills a busy one — a digest cannot be cut
 * short — and resolves once the process is gone; either way a kill follows
 * if it has not exited within a second.
 */
import { type ChildProcess, fork } from 'node:child_process'
import { EventEmitter } from 'node:events'
import { BroadcastChannel } from 'node:worker_threads'
import { KERNEL_TRACE_CHANNEL, type KernelTrace } from '@arena/core/kernel'
import type { ProcessReply, ProcessRequest } from '@arena/core/process-kernel'
import type { Endpoint } from './threads.ts'

/** How long an idle process asked to exit may take before it is killed, ms. */
const EXIT_GRACE_MS = 1000

/** One child process of a pool, behind the face of a worker thread. */
export class ProcessWorker extends EventEmitter implements Endpoint {
  readonly #child: ChildProcess
  readonly #closed: Promise<number>
  #busy = false
  #killTimer: NodeJS.Timeout | undefined
  #relay: BroadcastChannel | undefined

  constructor(url: URL) {
    super()
    // No flag of the parent's (a test runner's, an inspector's), no stdin or stdout.
    this.#child = fork(url, [], {
      execArgv: [],
      serialization: 'advanced',
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    })
    this.#closed = new Promise((resolve) => {
      this.#child.once('close', (code) => {
        clearTimeout(this.#killTimer)
        this.#relay?.close()
        resolve(code ?? 1)
      })
    })
    this.#child.on('message', (reply: ProcessReply) => {
      if (reply.kind === 'trace') return this.#relayTrace(reply.trace)
      if (reply.kind === 'threw')
        return this.emit('error', new Error(`worker process threw: ${reply.message}`))
      if (reply.kind === 'digest') this.#busy = false
      this.emit('message', reply.kind === 'ready' ? 'ready' : reply.digest)
    })
    this.#child.on('exit', (code, signal) => this.emit('exit', signal ? 1 : (code ?? 1)))
    this.#child.on('error', (error) => this.emit('error', error))
  }

  postMessage(data: Uint8Array): void {
    this.#busy = true
    this.#child.send({ kind: 'hash', data } satisfies ProcessRequest)
  }

  terminate(): Promise<number> {
    const child = this.#child
    if (child.exitCode === null && child.signalCode === null && !this.#killTimer) {
      if (this.#busy || !child.connected) child.kill('SIGKILL')
      else child.send({ kind: 'exit' } satisfies ProcessRequest)
      this.#killTimer = setTimeout(() => child.kill('SIGKILL'), EXIT_GRACE_MS)
    }
    return this.#closed
  }

  /** The kernel's trace from the process, re-posted here with its pid in place of its (main) thread id. */
  #relayTrace(trace: KernelTrace): void {
    if (this.#child.pid === undefined) return
    if (!this.#relay) {
      this.#relay = new BroadcastChannel(KERNEL_TRACE_CHANNEL)
      this.#relay.unref()
    }
    this.#relay.postMessage({ ...trace, threadId: this.#child.pid } satisfies KernelTrace)
  }
}
