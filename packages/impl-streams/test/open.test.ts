import {
  expectedHash,
  hashInput,
  hashSpec,
  type Instance,
  markWorkerFault,
  type RunOptions,
  verifyOutcomes,
} from '@arena/core'
import { describe, expect, it } from 'vitest'
import { implementation } from '../src/index.ts'
import { leftSince, snapshot } from './support.ts'

const opened = { concurrency: 8, parallelism: 2 }
const options = (o: Partial<RunOptions> = {}): RunOptions => ({ ...opened, timeoutMs: 5000, ...o })

for (const variant of implementation.variants) {
  const open = (): Promise<Instance> => {
    if (!variant.open) throw new Error(`streams/${variant.id} has no open`)
    return variant.open(opened)
  }

  describe(`streams/${variant.id} opened`, () => {
    it('resolves with its workers started, and close leaves none of them', async () => {
      const before = snapshot()
      const instance = await open()
      expect(snapshot().threads - before.threads, 'threads once open resolved').toBe(2)
      await instance.close()
      expect(await leftSince(before)).toEqual([])
    })

    it('answers in full after an aborted call, on as many workers as before', async () => {
      const before = snapshot()
      const instance = await open()
      const spec = hashSpec({ seed: 5, count: 40, bytes: 256 * 1024 })
      const controller = new AbortController()
      // Abort at the first answer: a timer can fire after a fast machine has hashed them all.
      const aborted = await instance.workloads.hash?.(
        hashInput(spec),
        options({ signal: controller.signal, onOutcome: () => controller.abort() }),
      )
      expect(aborted?.some((o) => !o.ok && o.failure.kind === 'aborted')).toBe(true)
      const next = await instance.workloads.hash?.(hashInput(spec), options())
      expect(verifyOutcomes(expectedHash(spec), next).ok).toBe(true)
      expect(snapshot().threads - before.threads).toBe(2)
      await instance.close()
      expect(await leftSince(before)).toEqual([])
    })

    it('waits in close for workers it replaced after crashes', async () => {
      const before = snapshot()
      const instance = await open()
      const buffers = Array.from({ length: 6 }, () => new Uint8Array(64))
      for (const [i, fault] of (['throw', 'exit', 'hang'] as const).entries())
        markWorkerFault(buffers[i * 2] as Uint8Array, fault)
      const outcomes = await instance.workloads.hash?.({ buffers }, options({ timeoutMs: 200 }))
      expect(outcomes?.map((o) => (o.ok ? 'ok' : o.failure.kind))).toEqual([
        'worker-crashed',
        'ok',
        'worker-crashed',
        'ok',
        'timeout',
        'ok',
      ])
      await instance.close()
      expect(await leftSince(before, 0), 'left when close resolved').toEqual([])
    })

    it('keeps no worker when opened for a workload that never hashes, and refuses the others', async () => {
      const before = snapshot()
      const instance = await variant.open?.({ ...opened, workload: 'scanPort' })
      expect(snapshot().threads, 'no worker for a scan').toBe(before.threads)
      const input = hashInput(hashSpec({ seed: 7, count: 2, bytes: 64 }))
      await expect(instance?.workloads.hash?.(input, options())).rejects.toThrow(
        /only scanPort calls/,
      )
      await instance?.close()
      expect(await leftSince(before)).toEqual([])
      await expect(variant.open?.({ ...opened, workload: 'sort' as never })).rejects.toThrow(
        TypeError,
      )
    })

    it('refuses calls that do not fit it, and bad open options, with a TypeError before any work', async () => {
      const instance = await open()
      const threads = snapshot().threads
      const input = hashInput(hashSpec({ seed: 6, count: 4, bytes: 64 }))
      const hash = instance.workloads.hash
      await expect(hash?.(input, options({ parallelism: 1 }))).rejects.toThrow(
        /parallelism to be 2/,
      )
      await expect(hash?.(input, options({ concurrency: 9 }))).rejects.toThrow(
        /concurrency to be at most 8/,
      )
      await expect(hash?.({ buffers: ['x'] } as never, options())).rejects.toThrow(TypeError)
      expect(snapshot().threads, 'no worker started or replaced').toBe(threads)
      await instance.close()
      await expect(hash?.(input, options())).rejects.toThrow(/closed/)
      await expect(variant.open?.({ concurrency: 0, parallelism: 2 })).rejects.toThrow(TypeError)
      await expect(variant.open?.({ concurrency: 4, parallelism: -1 })).rejects.toThrow(TypeError)
    })
  })
}
