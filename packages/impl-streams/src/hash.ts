/**
 * hash, streams style: `Readable.from(buffers).map(fn, { concurrency:
 * parallelism, signal })` in front of the kept worker pool, so the map is what
 * keeps every worker busy and no more; with `parallelism` 0 the same map
 * digests on the event loop, one buffer at a time. An item starts when a
 * worker takes its task, which is also when its deadline starts; an abort
 * drops what the map has not started, and the pool replaces the workers that
 * were running the call's tasks.
 */
import { Readable } from 'node:stream'
import { setImmediate as yieldToLoop } from 'node:timers/promises'
import {
  checkHashInput,
  failed,
  failureOf,
  type HashValue,
  type Outcome,
  sha256Hex,
  success,
} from '@arena/core'
import { Ledger } from './ledger.ts'
import { oneShot, type Step } from './lifecycle.ts'
import type { WorkerPool } from './pool.ts'

/** One buffer's digest as an outcome, from the pool's next free worker; `started` when it takes the task. */
export async function digestOn(
  pool: WorkerPool,
  data: Uint8Array,
  timeoutMs: number,
  signal: AbortSignal | undefined,
  started?: () => void,
): Promise<Outcome<HashValue>> {
  try {
    return success({ digest: await pool.digest(data, { timeoutMs, signal, started }) })
  } catch (error) {
    return failed(failureOf(error, signal))
  }
}

/** One buffer's digest as an outcome, on the event loop; `started` as it begins. */
export async function digestOnLoop(
  data: Uint8Array,
  started?: () => void,
): Promise<Outcome<HashValue>> {
  // A stream over an array moves on microtasks and process.nextTick only, so a timer —
  // the abort — never fires until it ends (200 × 1 MiB: an abort at 30 ms heard at 543 ms).
  await yieldToLoop()
  started?.()
  return success({ digest: sha256Hex(data) })
}

/** hash on the kept resources. */
export const hashOn: Step<'hash'> = {
  check: checkHashInput,
  async run(kept, { buffers }, { parallelism, timeoutMs, signal, onStart, onOutcome }) {
    const ledger = new Ledger<HashValue>(buffers.length, onOutcome)
    const startOf = (index: number) => onStart && (() => onStart(index))
    // Aborted already: no worker is worth starting; the map answers nothing.
    const pool = signal?.aborted ? undefined : kept.pool()
    const digests = pool
      ? Readable.from(buffers).map(
          ledger.each((buffer: Uint8Array, index) =>
            digestOn(pool, buffer, timeoutMs, signal, startOf(index)),
          ),
          { concurrency: parallelism, signal },
        )
      : Readable.from(buffers).map(
          ledger.each((buffer: Uint8Array, index) => digestOnLoop(buffer, startOf(index))),
          { signal },
        )
    return ledger.collect(digests, signal)
  },
}

/** Digests every buffer; with `parallelism` ≥ 1 on that many worker threads. */
export const hash = oneShot(hashOn)
