import { describe, expect, it } from 'vitest'
import { createRandom, POOL_BYTES, seededPool } from '../src/random.ts'

describe('seededPool', () => {
  it.each([0, 1, 42, 0xffffffff])(
    'is createRandom(%i) scaled to 32-bit words, word for word',
    (seed) => {
      const words = new Uint32Array(seededPool(seed).buffer)
      const next = createRandom(seed)
      expect(words.length * 4).toBe(POOL_BYTES)
      let mismatches = 0
      for (const word of words) if (word !== (next() * 4294967296) >>> 0) mismatches++
      expect(mismatches).toBe(0)
    },
  )

  it('differs between seeds and is built once per seed', () => {
    expect(seededPool(1)).toBe(seededPool(1))
    expect(Buffer.compare(seededPool(1).subarray(0, 64), seededPool(2).subarray(0, 64))).not.toBe(0)
  })
})
