/**
 * The sha256 kernel: the CPU work of the `hash` and `pipeline` workloads. It is
 * a plain synchronous function so a contestant can call it on the event loop
 * (parallelism 0) or inside any worker thread; where it runs is the model's job.
 */
import { createHash } from 'node:crypto'

/** sha256 of `data` as 64 lowercase hex digits. Synchronous and CPU-bound. */
export function sha256Hex(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex')
}
