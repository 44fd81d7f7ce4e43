import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { peakThreads } from '../src/conformance/kernel-trace.ts'
import { checkParallelHash, checkParallelPipeline } from '../src/conformance/parallelism.ts'
import { type MockWorld, startMockWorld } from '../src/start-mock-world.ts'
import { poolHash, poolPipeline } from './fixtures/digest-pool.ts'

const honest = (p: number) => p
const serial = () => 1

describe('peakThreads', () => {
  it('counts distinct threads at one instant; touching digests do not overlap', () => {
    const t = (threadId: number, startMs: number, endMs: number) => ({
      threadId,
      startMs,
      endMs,
      bytes: 1,
    })
    expect(peakThreads([])).toBe(0)
    expect(peakThreads([t(1, 0, 2), t(2, 2, 4), t(1, 4, 6)])).toBe(1)
    expect(peakThreads([t(1, 0, 2), t(2, 1, 4), t(3, 3, 5)])).toBe(2)
    expect(peakThreads([t(1, 0, 2), t(2, 1, 4), t(3, 1.5, 5)])).toBe(3)
  })
})

describe('the parallelism proof', () => {
  let world: MockWorld
  beforeAll(async () => {
    world = await startMockWorld({ open: 0, filtered: 0 })
  })
  afterAll(() => world.close())

  it('passes a 2-worker pool fed two buffers at a time', async () => {
    await checkParallelHash(poolHash(honest), undefined)
    await checkParallelPipeline(poolPipeline(honest), undefined, world.info, 'fixture')
  })

  it('rejects a 2-worker pool fed one buffer at a time (concurrency 1 in front of it)', async () => {
    await expect(checkParallelHash(poolHash(serial), undefined)).rejects.toThrow(
      /hash: at most 1 of 2 worker threads .* at once, over 6 runs/,
    )
    await expect(
      checkParallelPipeline(poolPipeline(serial), undefined, world.info, 'fixture'),
    ).rejects.toThrow(/pipeline: at most 1 of 2 worker threads .* at once, over 6 runs/)
  })

  it('holds a declared parallelism exactly: 1 passes one at a time, and fails two at once', async () => {
    await checkParallelHash(poolHash(serial), { parallelism: 1 })
    await expect(checkParallelHash(poolHash(honest), { parallelism: 1 })).rejects.toThrow(
      /2 worker threads had a digest in progress at once, above its declared parallelism/,
    )
  })

  it('holds a declared parallelism 0 to no worker at all', async () => {
    await expect(checkParallelHash(poolHash(serial), { parallelism: 0 })).rejects.toThrow(
      /declared parallelism 0, yet worker threads hashed/,
    )
  })
})
