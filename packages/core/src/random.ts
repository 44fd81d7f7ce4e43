/**
 * Deterministic bytes from a seed. Every body the mock server sends and every
 * buffer the hash workload digests is a window of one seeded pool, so a spec
 * sent to another process reproduces exactly, and the verifier can recompute
 * any answer without having kept the data.
 */

/** Size of the seeded pool every payload is cut from, in bytes (8 MiB). */
export const POOL_BYTES = 8 * 1024 * 1024

/** Largest payload a spec may ask for, in bytes (4 MiB). */
export const MAX_PAYLOAD_BYTES = 4 * 1024 * 1024

/** A small, fast, well-distributed 32-bit generator (mulberry32). Returns floats in [0, 1). */
export function createRandom(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const pools = new Map<number, Uint8Array>()

/** The seeded pool for `seed`, generated once per process. */
export function seededPool(seed: number): Uint8Array {
  let pool = pools.get(seed)
  if (!pool) {
    pool = new Uint8Array(POOL_BYTES)
    // mulberry32 inlined on integers: the same words as `createRandom(seed)`
    // scaled to 32 bits, without a call and a float per word (every child
    // builds this pool to verify its answers).
    const words = new Uint32Array(pool.buffer)
    let state = seed >>> 0
    for (let i = 0; i < words.length; i++) {
      state = (state + 0x6d2b79f5) >>> 0
      let t = Math.imul(state ^ (state >>> 15), state | 1)
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
      words[i] = t ^ (t >>> 14)
    }
    pools.set(seed, pool)
  }
  return pool
}

/**
 * The deterministic payload of item `index` for `seed`: `bytes` long, a view
 * into the seeded pool (do not write to it, do not transfer it).
 */
export function payloadView(seed: number, index: number, bytes: number): Uint8Array {
  const pool = seededPool(seed)
  const offset = Math.floor(
    createRandom((seed ^ Math.imul(index + 1, 0x9e3779b1)) >>> 0)() * (POOL_BYTES - bytes + 1),
  )
  return pool.subarray(offset, offset + bytes)
}

/** The same payload as {@link payloadView}, copied into its own `ArrayBuffer` so it can be transferred. */
export function payloadCopy(seed: number, index: number, bytes: number): Uint8Array {
  return new Uint8Array(payloadView(seed, index, bytes))
}
