import { describe, expect, it } from 'vitest'
import { expectedFetch, fetchSpec, pagePath, pageUrls, parsePagePath } from '../src/fetch.ts'
import { expectedHash, hashInput, hashSpec } from '../src/hash.ts'
import { sha256Hex } from '../src/kernel.js'
import { expectedPipeline, pipelineSpec } from '../src/pipeline.ts'
import { payloadCopy, payloadView } from '../src/random.ts'
import { scanSpec } from '../src/scan-port.ts'

describe('seeded specs', () => {
  it('reproduce exactly from the same seed and parameters, through JSON', () => {
    const params = {
      seed: 42,
      count: 500,
      bytes: 1024,
      latency: { kind: 'exponential', meanMs: 5 },
      faults: { reset: 0.1 },
    } as const
    const a = fetchSpec(params)
    expect(JSON.parse(JSON.stringify(a))).toEqual(fetchSpec(params))
    expect(fetchSpec({ ...params, seed: 43 })).not.toEqual(a)
  })

  it('inject each fault at about its probability', () => {
    const spec = fetchSpec({
      seed: 1,
      count: 20_000,
      bytes: 8,
      faults: { status: 0.1, stall: 0.05 },
    })
    const count = (fault: string) => spec.items.filter((i) => i.fault === fault).length
    expect(count('status') / 20_000).toBeCloseTo(0.1, 1)
    expect(count('stall') / 20_000).toBeCloseTo(0.05, 1)
    expect(count('reset')).toBe(0)
  })

  it('round-trip every page through its path', () => {
    const spec = fetchSpec({
      seed: 9,
      count: 50,
      bytes: 100,
      latency: { kind: 'uniform', minMs: 1, maxMs: 9 },
      faults: { drip: 0.3 },
    })
    for (const item of spec.items)
      expect(parsePagePath(pagePath(spec.seed, item))).toEqual({ seed: 9, ...item })
    expect(pageUrls(spec, 'http://127.0.0.1:1')[3]).toMatch(
      /^http:\/\/127\.0\.0\.1:1\/page\/9\/3\?/,
    )
  })

  it('refuse bad parameters naming the field', () => {
    expect(() => fetchSpec({ seed: -1, count: 1, bytes: 1 })).toThrow(/seed/)
    expect(() => fetchSpec({ seed: 1, count: 1, bytes: 5e6 })).toThrow(/bytes.*4194304/)
    expect(() =>
      fetchSpec({ seed: 1, count: 1, bytes: 1, faults: { status: 0.7, reset: 0.7 } }),
    ).toThrow(/add up to at most 1/)
    expect(() =>
      fetchSpec({ seed: 1, count: 1, bytes: 1, faults: { boom: 0.1 } as never }),
    ).toThrow(/"status"/)
    expect(() => parsePagePath('/nope')).toThrow(/\/page\/<seed>/)
    expect(() => scanSpec({ from: 10, to: 5 })).toThrow(/to to be an integer from 10/)
    expect(() => scanSpec({ host: '192.168.1.1', from: 1, to: 5 })).toThrow(/loopback/)
  })

  it('give distinct, deterministic payloads, copies owning their buffer', () => {
    const a = payloadView(5, 0, 64)
    expect(payloadView(5, 0, 64)).toEqual(a)
    expect(payloadView(5, 1, 64)).not.toEqual(a)
    const copy = payloadCopy(5, 0, 64)
    expect(copy).toEqual(a)
    expect(copy.buffer.byteLength).toBe(64)
  })

  it('derive the expected answers from the same bytes the input holds', () => {
    const spec = hashSpec({ seed: 3, count: 6, bytes: [0, 10, 5000] })
    expect(spec.sizes).toEqual([0, 10, 5000, 0, 10, 5000])
    const input = hashInput(spec)
    expect(expectedHash(spec)).toEqual(
      input.buffers.map((b) => ({ ok: true, value: { digest: sha256Hex(b) } })),
    )
    const pages = pipelineSpec({ seed: 3, count: 3, bytes: 10, faults: { status: 1 } })
    expect(expectedPipeline(pages).every((o) => !o.ok && o.failure.kind === 'http-status')).toBe(
      true,
    )
    expect(expectedFetch(fetchSpec({ seed: 3, count: 1, bytes: 0 }))[0]).toEqual({
      ok: true,
      value: { status: 200, bytes: 0, checksum: '00000000' },
    })
  })
})
