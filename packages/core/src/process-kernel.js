/**
 * The child-process side of a hashing process pool, for any contestant whose
 * pool forks children (`child_process.fork` with `serialization: 'advanced'`,
 * so a `Uint8Array` arrives as one): the process says it is ready, digests
 * each buffer it is sent and sends the hex digest back. Plain JavaScript
 * importing only the kernel, so a process's start-up pays no TypeScript
 * stripping and loads nothing but `node:crypto`. It is the worker of its pool
 * on its own main thread, so it arms the kernel's worker faults; a throw is
 * reported and ends the process, as an uncaught one ends a worker thread. It
 * exits when asked, and when its IPC channel closes — the parent closed it,
 * or died. A pool's own logic (queue, deadlines, replacement) stays the
 * contestant's: this is only what runs in the child.
 *
 * With `ARENA_KERNEL_TRACE` set, the kernel's traces (posted on a broadcast
 * channel, which does not leave this process) are relayed to the parent, and
 * an exit waits until every one of them is written.
 */
import { BroadcastChannel } from 'node:worker_threads'
import { enableWorkerFaults, KERNEL_TRACE_CHANNEL, sha256Hex } from './kernel.js'

/**
 * @typedef {{ readonly kind: 'hash', readonly data: Uint8Array } | { readonly kind: 'exit' }} ProcessRequest
 * What the parent sends: a buffer to digest, or the request to exit.
 */

/**
 * @typedef {{ readonly kind: 'ready' }
 *   | { readonly kind: 'digest', readonly digest: string }
 *   | { readonly kind: 'threw', readonly message: string }
 *   | { readonly kind: 'trace', readonly trace: import('./kernel.js').KernelTrace }} ProcessReply
 * What the process sends back: it has loaded, a digest, the error a digest threw
 * (the process then exits), or a kernel trace.
 */

/** Serves digests to the parent over IPC until asked to exit or disconnected. */
export function serveHashes() {
  if (!process.send) throw new Error('a hashing process runs as a forked child process only')
  const channel = process.send.bind(process)
  /**
   * @param {ProcessReply} reply
   * @param {() => void} [written] called once the reply is written to the channel
   */
  const send = (reply, written) => channel(reply, undefined, undefined, () => written?.())

  enableWorkerFaults()

  let traced = 0
  let relayed = 0
  let exiting = false
  const exitOnceRelayed = () => {
    if (exiting && relayed >= traced) process.exit(0)
  }
  if (process.env.ARENA_KERNEL_TRACE) {
    const relay = new BroadcastChannel(KERNEL_TRACE_CHANNEL)
    relay.unref()
    relay.onmessage = (event) => {
      const trace = /** @type {{ data: import('./kernel.js').KernelTrace }} */ (event).data
      send({ kind: 'trace', trace }, () => {
        relayed++
        exitOnceRelayed()
      })
    }
  }

  process.on('message', (/** @type {ProcessRequest} */ request) => {
    if (request.kind === 'exit') {
      exiting = true
      // A trace lost to a hung relay must not keep the process: the parent waits for this exit.
      setTimeout(() => process.exit(0), 500).unref()
      return exitOnceRelayed()
    }
    let digest
    try {
      digest = sha256Hex(request.data)
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error)
      return send({ kind: 'threw', message }, () => process.exit(1))
    }
    if (process.env.ARENA_KERNEL_TRACE) traced++
    send({ kind: 'digest', digest })
  })
  process.on('disconnect', () => process.exit(0))
  // The first message says the module is loaded: the pool starts a task's deadline only from here.
  send({ kind: 'ready' })
}
