/**
 * The opened-instance suite a contestant with one worker pool behind every
 * workload runs on its default variant (`@arena/kit/opened-pool`): open starts
 * the workers, calls of every workload reuse them (the kernel's trace names
 * the threads) while one-shot calls start fresh ones, a crashed or hung worker
 * costs its item and is replaced, an abort fails only the rest of its call,
 * and close leaves nothing. It is the raw promises and ecosystem contestants'
 * own test, written once; it calls `traceKernel()`, so a test file calls this
 * at its top, before any worker starts.
 */
import {
  expectedFetch,
  expectedHash,
  expectedPipeline,
  fetchInput,
  fetchSpec,
  hashInput,
  hashSpec,
  type Implementation,
  type Instance,
  markWorkerFault,
  pipelineInput,
  pipelineSpec,
  type RunOptions,
  type Workloads,
} from '@arena/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { expectVerified } from './conformance/support.ts'
import {
  leftAfterClose,
  snapshot,
  traceKernel,
  warmThreadPool,
  world,
} from './contestant-support.ts'

/** What the suite needs: the contestant, whose default variant it opens, and its one-shot hash. */
export interface OpenedPool {
  readonly implementation: Implementation
  readonly hash: Workloads['hash']
}

/** Registers the opened-instance suite for `pool`'s default variant. */
export function describeOpenedPool({ implementation, hash }: OpenedPool): void {
  const name = `${implementation.id}/default`
  const variant = implementation.variants.find((v) => v.id === 'default')
  if (!variant) throw new Error(`${implementation.id} has no default variant`)
  const trace = traceKernel()
  const opened = { concurrency: 8, parallelism: 2 }
  const options = (o: Partial<RunOptions> = {}): RunOptions => ({
    ...opened,
    timeoutMs: 5000,
    ...o,
  })

  const open = (): Promise<Instance> => {
    if (!variant.open) throw new Error(`${name} has no open`)
    return variant.open(opened)
  }

  const hashes = (seed: number, count = 8, bytes = 64 * 1024) => hashSpec({ seed, count, bytes })

  beforeAll(warmThreadPool)
  afterAll(() => trace.close())

  describe(`${name} opened`, () => {
    it('starts its workers in open, answers several calls of every workload, and leaves nothing once closed', async () => {
      const before = snapshot()
      const instance = await open()
      expect(snapshot().threads - before.threads, 'threads once open resolved').toBe(2)
      const { origin, host, open: openPorts } = world()
      for (let round = 0; round < 2; round++) {
        const pages = fetchSpec({ seed: 30 + round, count: 24, bytes: 4096 })
        expectVerified(
          expectedFetch(pages),
          await instance.workloads.fetch?.(fetchInput(pages, origin), options()),
        )
        const buffers = hashes(40 + round)
        expectVerified(
          expectedHash(buffers),
          await instance.workloads.hash?.(hashInput(buffers), options()),
        )
        const both = pipelineSpec({ seed: 50 + round, count: 24, bytes: 16 * 1024 })
        expectVerified(
          expectedPipeline(both),
          await instance.workloads.pipeline?.(pipelineInput(both, origin), options()),
        )
        const scan = await instance.workloads.scanPort?.({ host, ports: [...openPorts] }, options())
        expect(scan?.map((o) => o.ok && o.value.state)).toEqual(openPorts.map(() => 'open'))
      }
      expect(snapshot().threads - before.threads, 'threads after the calls').toBe(2)
      await instance.close()
      expect(await leftAfterClose(before)).toEqual([])
    })

    it('runs every call on the workers it opened', async () => {
      const instance = await open()
      try {
        const seen: Set<number>[] = []
        for (let call = 0; call < 3; call++) {
          trace.clear()
          const spec = hashes(60 + call)
          expectVerified(
            expectedHash(spec),
            await instance.workloads.hash?.(hashInput(spec), options()),
          )
          seen.push(await trace.threads(spec.sizes.length))
        }
        const [first, ...others] = seen
        expect(first?.size, 'both workers hashed').toBe(2)
        for (const threads of others) expect(threads).toEqual(first)
      } finally {
        await instance.close()
      }
    })

    it('starts fresh workers for every one-shot call (what the test above rules out)', async () => {
      const seen: Set<number>[] = []
      for (let call = 0; call < 2; call++) {
        trace.clear()
        const spec = hashes(70 + call)
        expectVerified(expectedHash(spec), await hash(hashInput(spec), options()))
        seen.push(await trace.threads(spec.sizes.length))
      }
      const [first, second] = seen
      expect([...(first ?? [])].filter((id) => second?.has(id))).toEqual([])
    })

    it('fails only the item whose worker crashed or hung, replaces that worker, and stays usable', async () => {
      const before = snapshot()
      const instance = await open()
      const clean = async (seed: number) => {
        trace.clear()
        const spec = hashes(seed)
        expectVerified(
          expectedHash(spec),
          await instance.workloads.hash?.(hashInput(spec), options()),
        )
        return trace.threads(spec.sizes.length)
      }
      const original = await clean(80)
      const spec = hashes(81, 12)
      const input = hashInput(spec)
      markWorkerFault(input.buffers[3] as Uint8Array, 'exit')
      markWorkerFault(input.buffers[7] as Uint8Array, 'hang')
      const result = await instance.workloads.hash?.(input, options({ timeoutMs: 400 }))
      const kinds = result?.map((o) => (o.ok ? 'ok' : o.failure.kind))
      expect(kinds?.[3]).toBe('worker-crashed')
      expect(kinds?.[7]).toBe('timeout')
      expect(kinds?.filter((k) => k === 'ok')).toHaveLength(10)
      // A replacement takes tasks once it has loaded; until then its partner hashes alone.
      const after = new Set<number>()
      for (let call = 0; call < 10 && after.size < 2; call++)
        for (const id of await clean(82 + call)) after.add(id)
      expect(after.size, 'two workers hash again, and only two').toBe(2)
      expect(
        [...after].some((id) => !original.has(id)),
        'a replacement among them',
      ).toBe(true)
      expect(snapshot().threads - before.threads, 'the replaced workers are gone').toBe(2)
      await instance.close()
      expect(await leftAfterClose(before)).toEqual([])
    })

    it('fails the rest of an aborted call and answers the next call in full', async () => {
      const before = snapshot()
      const instance = await open()
      const { origin } = world()
      const big = hashSpec({ seed: 90, count: 48, bytes: 1 << 20 })
      const controller = new AbortController()
      // Abort at the first answer: a timer can fire after a fast machine has hashed them all.
      const aborted = await instance.workloads.hash?.(
        hashInput(big),
        options({ signal: controller.signal, onOutcome: () => controller.abort() }),
      )
      expectVerified(expectedHash(big), aborted, true)
      expect(aborted?.some((o) => !o.ok && o.failure.kind === 'aborted')).toBe(true)
      const slow = pipelineSpec({
        seed: 91,
        count: 32,
        bytes: 4096,
        latency: { kind: 'fixed', ms: 40 },
      })
      const stop = new AbortController()
      setTimeout(() => stop.abort(), 60)
      const cut = await instance.workloads.pipeline?.(
        pipelineInput(slow, origin),
        options({ signal: stop.signal }),
      )
      expectVerified(expectedPipeline(slow), cut, true)
      expect(cut?.some((o) => !o.ok && o.failure.kind === 'aborted')).toBe(true)

      const spec = hashes(92)
      expectVerified(
        expectedHash(spec),
        await instance.workloads.hash?.(hashInput(spec), options()),
      )
      const pages = pipelineSpec({ seed: 93, count: 16, bytes: 4096 })
      expectVerified(
        expectedPipeline(pages),
        await instance.workloads.pipeline?.(pipelineInput(pages, origin), options()),
      )
      await instance.close()
      expect(await leftAfterClose(before)).toEqual([])
    })

    it('leaves no thread once close resolves, even right after an abort terminated running workers', async () => {
      const before = snapshot()
      const instance = await open()
      const big = hashSpec({ seed: 95, count: 16, bytes: 1 << 20 })
      const controller = new AbortController()
      trace.clear()
      const call = instance.workloads.hash?.(hashInput(big), options({ signal: controller.signal }))
      await trace.threads(1)
      controller.abort()
      expectVerified(expectedHash(big), await call, true)
      await instance.close()
      expect(
        snapshot().threads - before.threads,
        'threads when close resolved',
      ).toBeLessThanOrEqual(0)
      expect(await leftAfterClose(before)).toEqual([])
    })

    it('rejects bad input and calls that do not fit it with a TypeError, before any work', async () => {
      const instance = await open()
      const threads = snapshot().threads
      const spec = hashes(100, 4)
      const run = instance.workloads.hash
      trace.clear()
      await expect(run?.({ buffers: ['x'] } as never, options())).rejects.toThrow(TypeError)
      await expect(run?.(hashInput(spec), options({ parallelism: 3 }))).rejects.toThrow(
        /parallelism to be 2/,
      )
      await expect(run?.(hashInput(spec), options({ concurrency: 9 }))).rejects.toThrow(
        /concurrency to be at most 8/,
      )
      await expect(
        instance.workloads.fetch?.({ urls: ['http://example.com/'] }, options()),
      ).rejects.toThrow(TypeError)
      expect(snapshot().threads, 'no worker started or replaced').toBe(threads)
      expect((await trace.threads(1)).size, 'nothing hashed').toBe(0)
      await instance.close()
      await expect(run?.(hashInput(spec), options())).rejects.toThrow(/closed/)
    })

    it('opened for fetch or scanPort keeps no worker and refuses other workloads; for hash it keeps them', async () => {
      const before = snapshot()
      const { origin, host, open: openPorts } = world()
      const pages = fetchSpec({ seed: 120, count: 8, bytes: 1024 })
      for (const workload of ['fetch', 'scanPort'] as const) {
        const instance = await variant.open?.({ ...opened, workload })
        expect(snapshot().threads - before.threads, `threads opened for ${workload}`).toBe(0)
        if (workload === 'fetch')
          expectVerified(
            expectedFetch(pages),
            await instance?.workloads.fetch?.(fetchInput(pages, origin), options()),
          )
        else
          expect(
            (
              await instance?.workloads.scanPort?.({ host, ports: [...openPorts] }, options())
            )?.every((o) => o.ok && o.value.state === 'open'),
          ).toBe(true)
        await expect(
          instance?.workloads.hash?.(hashInput(hashes(121, 2)), options()),
        ).rejects.toThrow(new RegExp(`only ${workload} calls`))
        expect(snapshot().threads - before.threads, 'still no worker').toBe(0)
        await instance?.close()
      }
      const forHash = await variant.open?.({ ...opened, workload: 'hash' })
      expect(snapshot().threads - before.threads, 'threads opened for hash').toBe(2)
      await expect(
        forHash?.workloads.fetch?.(fetchInput(pages, origin), options()),
      ).rejects.toThrow(/only hash calls/)
      await forHash?.close()
      expect(await leftAfterClose(before)).toEqual([])
    })

    it('refuses bad open options with a TypeError and starts nothing', async () => {
      const before = snapshot()
      await expect(variant.open?.({ concurrency: 0, parallelism: 2 })).rejects.toThrow(TypeError)
      await expect(variant.open?.({ concurrency: 4, parallelism: -1 })).rejects.toThrow(TypeError)
      await expect(
        variant.open?.({ concurrency: 4, parallelism: 2, workload: 'sort' as never }),
      ).rejects.toThrow(/workload/)
      expect(snapshot().threads).toBe(before.threads)
    })
  })
}
