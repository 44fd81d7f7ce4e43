/**
 * Results as they complete, in the promise style's own terms: each lane
 * reports an outcome as it stores it, so a slow first page is reported after
 * the quick ones behind it; a hash item starts when a worker takes it, so no
 * more items are started and unreported than there are workers; and the
 * hybrid's threads send their outcomes in batches as they complete, not as one
 * chunk at the end. One-shot and on an opened instance alike.
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

const variantOf = (id: string) => implementation.variants.find((v) => v.id === id) as Variant
const main = variantOf('default')
const hybrid = variantOf('hybrid')
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
  if (!main?.open || !hybrid?.open) throw new Error('both variants open')
  instances.push(await main.open(opened), await hybrid.open({ ...opened, parallelism: 1 }))
})
afterAll(async () => {
  await Promise.all(instances.map((i) => i.close()))
})

for (const form of ['one-shot', 'opened'] as const) {
  const workloads = () => (form === 'one-shot' ? main?.workloads : instances[0]?.workloads)

  describe(`promises/default ${form}`, () => {
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
      // A freed worker takes its next task in the turn its digest arrives, one microtask
      // before that digest is reported: hence one more than the workers, never the queue.
      const peak = recorder.peakStarted()
      expect(peak, 'started and unreported').toBeGreaterThanOrEqual(2)
      expect(peak, 'started and unreported').toBeLessThanOrEqual(3)
    })
  })

  describe(`promises/hybrid ${form}`, () => {
    it("reports a chunk's quick ports before the filtered port at its head times out", async () => {
      const run =
        form === 'one-shot' ? hybrid?.workloads.scanPort : instances[1]?.workloads.scanPort
      const { host, open, filtered } = world()
      // One thread, so one chunk: only batches sent as the ports complete put index 0 last.
      const ports = [
        filtered[0] as number,
        ...open,
        ...Array.from({ length: 16 }, (_, i) => 20_000 + i),
      ]
      const { result, recorder } = await withCallbacks((hooks) =>
        run?.(
          { host, ports },
          options({ concurrency: 4, parallelism: 1, timeoutMs: 1000, ...hooks }),
        ),
      )
      expect(result?.[0]).toEqual({ ok: true, value: { state: 'filtered' } })
      expect(recorder.order()).toHaveLength(ports.length)
      expect(recorder.order().at(-1), 'the filtered port is the last to complete').toBe(0)
      expect(recorder.outcomes(ports.length)).toEqual(result)
      expect(
        recorder.events.some((e) => e.kind === 'start'),
        'no onStart from the hybrid',
      ).toBe(false)
      await sleep(50)
      expect(recorder.late).toEqual([])
    })
  })
}
