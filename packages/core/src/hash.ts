/**
 * The `hash` workload (CPU-bound): sha256 of M buffers, on `parallelism` worker
 * threads (0 = on the event loop). Buffers are deterministic windows of the
 * seeded pool, each in its own `ArrayBuffer` so it can be transferred to a
 * worker instead of copied.
 */

import {
  markWorkerFault,
  sha256Hex,
  WORKER_FAULT_MIN_BYTES,
  type WorkerFault,
  workerFaults,
} from './kernel.js'
import type { Outcome } from './outcome.ts'
import { createRandom, MAX_PAYLOAD_BYTES, payloadCopy, payloadView } from './random.ts'
import { expectArray, expectInteger, expectNumber, expectObject, expectOneOf } from './validate.ts'

/** Parameters of a hash spec. */
export interface HashSpecParams {
  /** Seed of the buffers' content; an unsigned 32-bit integer. */
  readonly seed: number
  /** Number of buffers. */
  readonly count: number
  /** Size of each buffer in bytes; a list is cycled through. */
  readonly bytes: number | readonly number[]
  /** Probability, 0 to 1, that an item makes its worker throw, exit or hang (buffers of 32 bytes and up). */
  readonly faults?: Partial<Record<WorkerFault, number>>
}

/** The `hash` workload's spec. */
export interface HashSpec {
  readonly workload: 'hash'
  readonly seed: number
  /** Size of each buffer, in bytes, in input order. */
  readonly sizes: readonly number[]
  /** The worker fault each item carries, when the spec has any. */
  readonly faults?: readonly (WorkerFault | 'none')[]
}

/** What a contestant's `hash` receives. Each buffer owns its `ArrayBuffer`; the contestant may transfer it. */
export interface HashInput {
  readonly buffers: readonly Uint8Array[]
}

/** A digest: what the verifier checks. */
export interface HashValue {
  /** sha256, 64 lowercase hex digits. */
  readonly digest: string
}

/** One outcome per buffer, in input order. */
export type HashResult = readonly Outcome<HashValue>[]

/** Largest buffer count in one spec. */
export const MAX_HASH_ITEMS = 1_000_000

/**
 * Generates a hash spec.
 * @throws TypeError naming the first invalid parameter
 */
export function hashSpec(params: HashSpecParams): HashSpec {
  const p = expectObject('params', params)
  const seed = expectInteger('seed', p.seed, 0, 0xffffffff)
  const count = expectInteger('count', p.count, 1, MAX_HASH_ITEMS)
  const cycle = typeof p.bytes === 'number' ? [p.bytes] : expectArray('bytes', p.bytes, 1)
  for (const [i, b] of cycle.entries()) expectInteger(`bytes[${i}]`, b, 0, MAX_PAYLOAD_BYTES)
  const sizes = Array.from({ length: count }, (_, i) => cycle[i % cycle.length] as number)
  if (p.faults === undefined) return { workload: 'hash', seed, sizes }
  const plan = expectObject('faults', p.faults)
  let sum = 0
  for (const [key, value] of Object.entries(plan)) {
    expectOneOf('a key of faults', key, workerFaults)
    sum += expectNumber(`faults.${key}`, value, 0, 1)
  }
  if (sum > 1)
    throw new TypeError(`Expected the fault probabilities to add up to at most 1, got ${sum}`)
  if (sizes.some((s) => s < WORKER_FAULT_MIN_BYTES)) {
    throw new TypeError(
      `Expected every buffer to be at least ${WORKER_FAULT_MIN_BYTES} bytes when faults are injected`,
    )
  }
  const next = createRandom(seed ^ 0xfa17)
  const faults = sizes.map((): WorkerFault | 'none' => {
    let roll = next()
    for (const [name, probability] of Object.entries(plan) as [WorkerFault, number][]) {
      if (roll < probability) return name
      roll -= probability
    }
    return 'none'
  })
  return { workload: 'hash', seed, sizes, faults }
}

/** Builds fresh buffers for one run (a run may transfer and so detach them). */
export function hashInput(spec: HashSpec): HashInput {
  return {
    buffers: spec.sizes.map((bytes, index) => {
      const buffer = payloadCopy(spec.seed, index, bytes)
      const fault = spec.faults?.[index] ?? 'none'
      if (fault !== 'none') markWorkerFault(buffer, fault)
      return buffer
    }),
  }
}

/**
 * The correct outcome of every buffer, in input order. A faulty item ends as
 * `worker-crashed` (throw, exit) or `timeout` (hang) when hashed on workers;
 * with `parallelism` 0 there is no worker to lose and its digest is expected.
 */
export function expectedHash(spec: HashSpec, parallelism = 1): Outcome<HashValue>[] {
  return spec.sizes.map((bytes, index): Outcome<HashValue> => {
    const fault = spec.faults?.[index] ?? 'none'
    // A clean item's digest is its payload's, read in place; a marked one is copied and marked.
    if (fault === 'none')
      return { ok: true, value: { digest: sha256Hex(payloadView(spec.seed, index, bytes)) } }
    if (parallelism === 0) {
      const buffer = payloadCopy(spec.seed, index, bytes)
      markWorkerFault(buffer, fault)
      return { ok: true, value: { digest: sha256Hex(buffer) } }
    }
    return {
      ok: false,
      failure: fault === 'hang' ? { kind: 'timeout' } : { kind: 'worker-crashed' },
    }
  })
}

/** Validates a contestant's `hash` input. */
export function checkHashInput(input: unknown): HashInput {
  const buffers = expectArray('input.buffers', expectObject('input', input).buffers)
  buffers.forEach((b, i) => {
    if (!(b instanceof Uint8Array))
      throw new TypeError(`Expected input.buffers[${i}] to be a Uint8Array, got ${typeof b}`)
  })
  return input as HashInput
}
