/**
 * The `hash` workload (CPU-bound): sha256 of M buffers, on `parallelism` worker
 * threads (0 = on the event loop). Buffers are deterministic windows of the
 * seeded pool, each in its own `ArrayBuffer` so it can be transferred to a
 * worker instead of copied.
 */
import type { Outcome } from './outcome.ts'
import { MAX_PAYLOAD_BYTES, payloadCopy, payloadView } from './random.ts'
import { sha256Hex } from './sha256.ts'
import { expectArray, expectInteger, expectObject } from './validate.ts'

/** Parameters of a hash spec. */
export interface HashSpecParams {
  /** Seed of the buffers' content; an unsigned 32-bit integer. */
  readonly seed: number
  /** Number of buffers. */
  readonly count: number
  /** Size of each buffer in bytes; a list is cycled through. */
  readonly bytes: number | readonly number[]
}

/** The `hash` workload's spec. */
export interface HashSpec {
  readonly workload: 'hash'
  readonly seed: number
  /** Size of each buffer, in bytes, in input order. */
  readonly sizes: readonly number[]
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
  return { workload: 'hash', seed, sizes }
}

/** Builds fresh buffers for one run (a run may transfer and so detach them). */
export function hashInput(spec: HashSpec): HashInput {
  return { buffers: spec.sizes.map((bytes, index) => payloadCopy(spec.seed, index, bytes)) }
}

/** The correct digest of every buffer, in input order. */
export function expectedHash(spec: HashSpec): Outcome<HashValue>[] {
  return spec.sizes.map((bytes, index) => ({
    ok: true,
    value: { digest: sha256Hex(payloadView(spec.seed, index, bytes)) },
  }))
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
