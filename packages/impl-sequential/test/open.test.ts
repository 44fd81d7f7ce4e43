import {
  describeVerdict,
  expectedFetch,
  expectedHash,
  expectedPipeline,
  fetchInput,
  fetchSpec,
  hashInput,
  hashSpec,
  type Outcome,
  openVariant,
  pipelineInput,
  pipelineSpec,
  type RunOptions,
  type Variant,
  verifyOutcomes,
} from '@arena/core'
import {
  leftAfterClose,
  leftSince,
  snapshot,
  warmThreadPool,
  world,
} from '@arena/kit/contestant-support'
import { beforeAll, describe, expect, it } from 'vitest'
import { implementation } from '../src/index.ts'

const variant: Variant = implementation.variants[0]
const asked = { concurrency: 8, parallelism: 2 }
const options = (o: Partial<RunOptions> = {}): RunOptions => ({ ...asked, timeoutMs: 5000, ...o })

function expectVerified<T>(expected: Outcome<T>[], actual: unknown) {
  const verdict = verifyOutcomes(expected, actual)
  expect(verdict.ok, describeVerdict(verdict)).toBe(true)
}

beforeAll(warmThreadPool)

describe('sequential/default opened', () => {
  it('has nothing to open: every call on the instance starts and ends with nothing kept', async () => {
    expect(variant.open).toBeUndefined()
    const before = snapshot()
    const instance = await openVariant(variant, asked)
    expect(leftSince(before), 'open started nothing').toEqual([])
    const { origin, host, open } = world()
    for (let round = 0; round < 2; round++) {
      const pages = fetchSpec({ seed: 30 + round, count: 12, bytes: 4096 })
      expectVerified(
        expectedFetch(pages),
        await instance.workloads.fetch?.(fetchInput(pages, origin), options()),
      )
      const buffers = hashSpec({ seed: 40 + round, count: 6, bytes: 64 * 1024 })
      expectVerified(
        expectedHash(buffers),
        await instance.workloads.hash?.(hashInput(buffers), options()),
      )
      const both = pipelineSpec({ seed: 50 + round, count: 12, bytes: 16 * 1024 })
      expectVerified(
        expectedPipeline(both),
        await instance.workloads.pipeline?.(pipelineInput(both, origin), options()),
      )
      const scan = await instance.workloads.scanPort?.({ host, ports: [...open] }, options())
      expect(scan?.map((o) => o.ok && o.value.state)).toEqual(open.map(() => 'open'))
      // One at a time, and nothing held between calls: not a socket, not a thread.
      expect(await leftAfterClose(before), `kept after round ${round}`).toEqual([])
    }
    await instance.close()
    expect(await leftAfterClose(before)).toEqual([])
  })

  it('rejects bad input on the instance with a TypeError, before any work', async () => {
    const instance = await openVariant(variant, asked)
    const before = snapshot()
    await expect(instance.workloads.hash?.({ buffers: ['x'] } as never, options())).rejects.toThrow(
      TypeError,
    )
    await expect(
      instance.workloads.fetch?.({ urls: ['http://example.com/'] }, options()),
    ).rejects.toThrow(TypeError)
    await expect(
      instance.workloads.scanPort?.({ host: world().host, ports: [0] }, options()),
    ).rejects.toThrow(TypeError)
    expect(leftSince(before)).toEqual([])
    await instance.close()
  })
})
