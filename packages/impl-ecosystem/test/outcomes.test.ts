/**
 * Results as they complete, in the ecosystem's own terms: p-map's mapper
 * reports each outcome as it resolves, so a slow first page is reported after
 * the quick ones behind it (p-map itself resolves in input order); a hash item
 * starts when a free piscina thread is handed it, so no more items are started
 * and unreported than there are threads. One-shot and on an opened instance.
 */
import { setTimeout as sleep } from 'node:timers/promises'
import {
  type FetchSpec,
  fetchInput,
  fetchSpec,
  hashInput,
  hashSpec,
  type Instance,
  type RunOptions,
  type Variant,
} from '@arena/core'
import { withCallbacks } from '@arena/kit/callbacks'
import { warmThreadPool, world } from '@arena/kit/contestant-support'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { implementation } from '../src/index.ts'

const [main] = implementation.variants as readonly Variant[]
const opened = { concurrency: 8, parallelism: 2 }
const options = (o: Partial<RunOptions> = {}): RunOptions => ({ ...opened, timeoutMs: 5000, ...o })

/** Eight quick pages, the first of them answered only after `slowMs` (long enough for the rest under any load). */
function slowFirst(seed: number, slowMs: number): FetchSpec {
  const spec = fetchSpec({ seed, count: 8, bytes: 1024 })
  return {
    ...spec,
    items: spec.items.map((it, i) => (i === 0 ? { ...it, latencyMs: slowMs } : it)),
  }
}

const instances: Instance[] = []
beforeAll(async () => {
  await warmThreadPool()
  if (!main?.open) throw new Error('the default variant opens')
  instances.push(await main.open(opened))
})
afterAll(async () => {
  await Promise.all(instances.map((i) => i.close()))
})

for (const form of ['one-shot', 'opened'] as const) {
  const workloads = () => (form === 'one-shot' ? main?.workloads : instances[0]?.workloads)

  describe(`ecosystem/default ${form}`, () => {
    it('reports a slow first page after the quick ones behind it', async () => {
      const spec = slowFirst(110, 1500)
      const input = fetchInput(spec, world().origin)
      const { result, recorder } = await withCallbacks((hooks) =>
        workloads()?.fetch?.(input, options({ concurrency: 4, ...hooks })),
      )
      expect(result?.every((o) => o.ok)).toBe(true)
      expect(recorder.order().at(-1), 'the slow page is the last to complete').toBe(0)
      expect(recorder.outcomes(8)).toEqual(result)
      expect(recorder.peakStarted()).toBeLessThanOrEqual(4)
      await sleep(50)
      expect(recorder.late).toEqual([])
    })

    it('starts a hash item only when a worker takes it', async () => {
      const input = hashInput(hashSpec({ seed: 111, count: 24, bytes: 256 * 1024 }))
      const { result, recorder } = await withCallbacks((hooks) =>
        workloads()?.hash?.(input, options(hooks)),
      )
      expect(recorder.outcomes(24)).toEqual(result)
      expect(recorder.events.filter((e) => e.kind === 'start')).toHaveLength(24)
      // Whether p-limit hands a freed thread its next task before or after the previous
      // digest is reported is a matter of promise ticks: one more than the threads at most.
      const peak = recorder.peakStarted()
      expect(peak, 'started and unreported').toBeGreaterThanOrEqual(2)
      expect(peak, 'started and unreported').toBeLessThanOrEqual(3)
    })
  })
}
