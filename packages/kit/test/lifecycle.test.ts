import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { checkInstanceCalls, checkOpenClose } from '../src/conformance/lifecycle.ts'
import { snapshotResources, waitForNoLeaks } from '../src/resources.ts'
import { type MockWorld, startMockWorld } from '../src/start-mock-world.ts'
import { poolHash, poolPipeline } from './fixtures/digest-pool.ts'
import { pooledVariant } from './fixtures/pooled-variant.ts'

describe('the lifecycle checks', () => {
  let world: MockWorld
  beforeAll(async () => {
    world = await startMockWorld({ open: 1, filtered: 0 })
  })
  afterAll(() => world.close())

  it('pass a variant whose open keeps one pool for every call and closes it', async () => {
    const { variant, cleanup } = pooledVariant('none')
    await checkOpenClose(variant)
    await checkInstanceCalls(variant, world.info, 'fixture')
    await cleanup()
  })

  it('pass a variant without open, on its one-shot workloads', async () => {
    const variant = {
      id: 'one-shot',
      title: 'fixture',
      kind: 'idiomatic',
      description: 'A fixture of the kit.',
      workloads: { hash: poolHash((p) => p), pipeline: poolPipeline((p) => p) },
    } as const
    await checkOpenClose(variant)
    await checkInstanceCalls(variant, world.info, 'fixture')
  })

  it('reject an open that starts a pool per call instead of keeping one', async () => {
    const { variant } = pooledVariant('fresh-pool-per-call')
    await expect(checkInstanceCalls(variant, world.info, 'fixture')).rejects.toThrow(
      /hash: 3 calls on one instance of parallelism 2 hashed on 6 worker threads .*a pool per call/,
    )
  })

  it('reject a close that leaves a worker running', async () => {
    const before = snapshotResources()
    const { variant, cleanup } = pooledVariant('close-forgets-a-worker')
    await expect(checkOpenClose(variant)).rejects.toThrow(/left behind after close/)
    await cleanup()
    expect(await waitForNoLeaks(before)).toEqual([])
  })
})
