/**
 * The sha256 kernel: the CPU work of the `hash` and `pipeline` workloads. It is
 * a plain synchronous function so a contestant can call it on the event loop
 * (parallelism 0) or inside any worker thread; where it runs is the model's job.
 *
 * It is plain JavaScript (types in JSDoc, checked by tsc) because worker
 * threads load it: a worker that imports TypeScript pays Node's type stripper
 * at every start-up, which is start-up the harness would then time.
 *
 * It also carries the worker faults of the conformance kit and the robustness
 * grid: a buffer that starts with {@link WORKER_FAULT_MAGIC} followed by a
 * fault name makes the worker thread hashing it throw, exit or hang, so every
 * contestant's pool meets the same failures. On the main thread the marker is
 * inert — there is no worker to lose — and the buffer is hashed like any other,
 * unless that thread is a pool's child process and said so with
 * {@link enableWorkerFaults}.
 *
 * When the environment has `ARENA_KERNEL_TRACE` set at load, every digest posts
 * `{ threadId, startMs, endMs, bytes }` (wall-clock instants, ms since the
 * epoch) on the {@link KERNEL_TRACE_CHANNEL} broadcast channel, so the kit can
 * see which threads hashed what and when. Unset, it costs one branch.
 */
import { createHash } from 'node:crypto'
import { performance } from 'node:perf_hooks'
import { BroadcastChannel, isMainThread, threadId } from 'node:worker_threads'

/** The worker faults a hash item can carry. */
export const workerFaults = /** @type {const} */ (['throw', 'exit', 'hang'])

/** @typedef {(typeof workerFaults)[number]} WorkerFault One of {@link workerFaults}: the worker throws, exits, or blocks forever. */

/** The prefix that marks a faulty buffer; the fault's name follows it. */
export const WORKER_FAULT_MAGIC = 'arena:worker-fault:'

/** The smallest buffer that can carry a fault marker, in bytes. */
export const WORKER_FAULT_MIN_BYTES = 32

/** The broadcast channel kernel traces are posted on (see the module comment). */
export const KERNEL_TRACE_CHANNEL = 'arena:kernel-trace'

/**
 * @typedef {object} KernelTrace One digest, as the kernel saw it.
 * @property {number} threadId The thread that hashed (0 is the main thread).
 * @property {number} startMs When the digest started, ms since the epoch.
 * @property {number} endMs When it ended, ms since the epoch.
 * @property {number} bytes Bytes hashed.
 */

const magic = new TextEncoder().encode(WORKER_FAULT_MAGIC)

const trace = process.env.ARENA_KERNEL_TRACE
  ? new BroadcastChannel(KERNEL_TRACE_CHANNEL)
  : undefined
// A sender must not keep its thread alive.
trace?.unref()

// A child process of a pool is a worker on its main thread, where `isMainThread` is true.
let faultsArmed = !isMainThread

/**
 * Arms the worker faults on this process's main thread: the one call a pool's
 * child process makes at start-up, as it is the worker there. Nothing else
 * calls it; anywhere else the main thread has no worker to lose.
 * @returns {void}
 */
export function enableWorkerFaults() {
  faultsArmed = true
}

/**
 * @param {Uint8Array} data
 * @returns {WorkerFault | undefined}
 */
function faultOf(data) {
  if (data.length < WORKER_FAULT_MIN_BYTES || data[0] !== magic[0]) return undefined
  for (let i = 1; i < magic.length; i++) if (data[i] !== magic[i]) return undefined
  const name = new TextDecoder().decode(data.subarray(magic.length, magic.length + 5)).trim()
  return /** @type {readonly string[]} */ (workerFaults).includes(name)
    ? /** @type {WorkerFault} */ (name)
    : undefined
}

/** @param {WorkerFault} fault */
function inject(fault) {
  switch (fault) {
    case 'throw':
      throw new Error('injected worker fault: throw')
    case 'exit':
      process.exit(70)
      break
    case 'hang':
      // Parked for good; only terminating the worker ends it.
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0)
  }
}

/**
 * Writes the marker of `fault` at the start of `data` (at least {@link WORKER_FAULT_MIN_BYTES} long).
 * @param {Uint8Array} data
 * @param {WorkerFault} fault
 * @returns {void}
 */
export function markWorkerFault(data, fault) {
  data.set(magic)
  data.set(new TextEncoder().encode(fault.padEnd(5, ' ')), magic.length)
}

/**
 * sha256 of `data` as 64 lowercase hex digits. Synchronous and CPU-bound.
 * @param {Uint8Array} data
 * @returns {string}
 */
export function sha256Hex(data) {
  if (faultsArmed) {
    const fault = faultOf(data)
    if (fault) inject(fault)
  }
  if (trace === undefined) return createHash('sha256').update(data).digest('hex')
  const startMs = performance.timeOrigin + performance.now()
  const digest = createHash('sha256').update(data).digest('hex')
  const endMs = performance.timeOrigin + performance.now()
  trace.postMessage(
    /** @satisfies {KernelTrace} */ ({ threadId, startMs, endMs, bytes: data.byteLength }),
  )
  return digest
}

/**
 * The view to post to a worker with its buffer in the transfer list: `data`
 * itself when it owns its whole `ArrayBuffer`, else a copy that does. A view
 * into a larger buffer must not be transferred: that would detach (and send)
 * every other view of the same buffer.
 * @param {Uint8Array} data
 * @returns {Uint8Array<ArrayBuffer>}
 */
export function transferable(data) {
  const owned =
    data.byteOffset === 0 &&
    data.byteLength === data.buffer.byteLength &&
    data.buffer instanceof ArrayBuffer
  return owned ? /** @type {Uint8Array<ArrayBuffer>} */ (data) : data.slice()
}
