/**
 * The sha256 kernel: the CPU work of the `hash` and `pipeline` workloads. It is
 * a plain synchronous function so a contestant can call it on the event loop
 * (parallelism 0) or inside any worker thread; where it runs is the model's job.
 *
 * It also carries the worker faults of the conformance kit and the robustness
 * grid: a buffer that starts with {@link WORKER_FAULT_MAGIC} followed by a
 * fault name makes the worker thread hashing it throw, exit or hang, so every
 * contestant's pool meets the same failures. On the main thread the marker is
 * inert — there is no worker to lose — and the buffer is hashed like any other.
 */
import { createHash } from 'node:crypto'
import { isMainThread } from 'node:worker_threads'

/** The worker faults a hash item can carry. */
export const workerFaults = ['throw', 'exit', 'hang'] as const
/** One of {@link workerFaults}: the worker throws, exits, or blocks forever. */
export type WorkerFault = (typeof workerFaults)[number]

/** The prefix that marks a faulty buffer; the fault's name follows it. */
export const WORKER_FAULT_MAGIC = 'arena:worker-fault:'

/** The smallest buffer that can carry a fault marker, in bytes. */
export const WORKER_FAULT_MIN_BYTES = 32

const magic = new TextEncoder().encode(WORKER_FAULT_MAGIC)

function faultOf(data: Uint8Array): WorkerFault | undefined {
  if (data.length < WORKER_FAULT_MIN_BYTES || data[0] !== magic[0]) return undefined
  for (let i = 1; i < magic.length; i++) if (data[i] !== magic[i]) return undefined
  const name = new TextDecoder().decode(data.subarray(magic.length, magic.length + 5)).trim()
  return (workerFaults as readonly string[]).includes(name) ? (name as WorkerFault) : undefined
}

function inject(fault: WorkerFault): void {
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

/** Writes the marker of `fault` at the start of `data` (at least {@link WORKER_FAULT_MIN_BYTES} long). */
export function markWorkerFault(data: Uint8Array, fault: WorkerFault): void {
  data.set(magic)
  data.set(new TextEncoder().encode(fault.padEnd(5, ' ')), magic.length)
}

/** sha256 of `data` as 64 lowercase hex digits. Synchronous and CPU-bound. */
export function sha256Hex(data: Uint8Array): string {
  if (!isMainThread) {
    const fault = faultOf(data)
    if (fault) inject(fault)
  }
  return createHash('sha256').update(data).digest('hex')
}
