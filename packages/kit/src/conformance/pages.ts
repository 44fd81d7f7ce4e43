/**
 * The conformance kit's section for the workloads that download pages of the
 * mock server, `fetch` and `pipeline`: every answer verified item by item, the
 * concurrency limit seen from the server's side of the wire (never above it,
 * and reached — an accidentally serial variant fails), every injected fault
 * classified, timeouts close to `timeoutMs`, prompt and complete aborts, and
 * bad options refused before any work.
 */
import {
  effectiveLimits,
  expectedFailure,
  type Fault,
  type FetchInput,
  faults,
  fetchInput,
  fetchSpec,
  type Outcome,
  type PageSpec,
  type PageSpecParams,
  type RunOptions,
  type VariantLimits,
} from '@arena/core'
import { describe, expect, it } from 'vitest'
import { fetchStats, tagUrls } from '../mock-server.ts'
import {
  ABORT_SETTLE_MS,
  countAborted,
  expectNearTimeout,
  expectVerified,
  nextTag,
  options,
  runAndAbort,
  timed,
  world,
} from './support.ts'

const FAULT_MODES = faults.filter((f): f is Exclude<Fault, 'none'> => f !== 'none')

/** Registers the page workload `name`'s tests; `parallelism` lists the worker counts its correctness runs at. */
export function describePages<T>(
  name: 'fetch' | 'pipeline',
  run: (input: FetchInput, options: RunOptions) => Promise<readonly Outcome<T>[]>,
  expectedOf: (spec: PageSpec) => Outcome<T>[],
  label: string,
  parallelism: readonly number[],
  limits: VariantLimits | undefined,
) {
  /** A tagged page spec and its input; `cleanFirst` moves that many fault-free pages to the front. */
  const setup = (params: Omit<PageSpecParams, 'seed'>, seed = 7, cleanFirst = 0) => {
    const seeded = fetchSpec({ seed, ...params })
    const clean = seeded.items.filter((i) => i.fault === 'none').slice(0, cleanFirst)
    const spec = {
      ...seeded,
      items: [...clean, ...seeded.items.filter((i) => !clean.includes(i))],
    }
    const tag = nextTag(`${label}/${name}`)
    return {
      spec,
      tag,
      input: {
        urls: tagUrls(fetchInput({ ...spec, workload: 'fetch' }, world().origin).urls, tag),
      },
    }
  }

  describe(name, () => {
    for (const par of parallelism) {
      it(`answers every page correctly and in input order (parallelism ${par})`, async () => {
        const { spec, input } = setup({
          count: 150,
          bytes: 4096,
          latency: { kind: 'uniform', minMs: 0, maxMs: 3 },
        })
        expectVerified(
          expectedOf(spec),
          await run(input, options({ concurrency: 16, parallelism: par })),
        )
      })
    }

    for (const concurrency of [1, 7]) {
      // A variant that declares a lower limit is held to that one instead.
      const expected = effectiveLimits(limits, { concurrency, parallelism: 0 }).concurrency
      it(`never has more than concurrency=${concurrency} requests in flight, and reaches ${expected === concurrency ? 'it' : `its declared limit ${expected}`}`, async () => {
        const { spec, tag, input } = setup({
          count: 12 * concurrency,
          bytes: 1024,
          latency: { kind: 'fixed', ms: 15 },
        })
        expectVerified(
          expectedOf(spec),
          await run(input, options({ concurrency, parallelism: parallelism.at(-1) ?? 0 })),
        )
        const stats = await fetchStats(world().origin, tag)
        expect(stats.started).toBe(spec.items.length)
        expect(stats.peakInFlight).toBe(expected)
      })
    }

    for (const fault of [...FAULT_MODES, 'mixed'] as const) {
      it(`classifies every injected fault: ${fault}`, async () => {
        const plan =
          fault === 'mixed'
            ? Object.fromEntries(FAULT_MODES.map((f) => [f, 0.12]))
            : { [fault]: 0.35 }
        const { spec, input } = setup({ count: 30, bytes: 2048, faults: plan })
        const kinds = new Set(spec.items.map((i) => expectedFailure(i.fault)?.kind).filter(Boolean))
        expect(kinds.size, 'the seeded spec injects the fault under test').toBeGreaterThanOrEqual(
          fault === 'mixed' ? 3 : 1,
        )
        const result = await run(
          input,
          options({ concurrency: 4, parallelism: parallelism.at(-1) ?? 0, timeoutMs: 250 }),
        )
        const verdict = expectVerified(expectedOf(spec), result)
        for (const kind of kinds) expect(verdict.tally[kind as string]).toBeGreaterThan(0)
      })
    }

    it('ends stalled requests as timeouts close to timeoutMs', async () => {
      const { spec, input } = setup({ count: 4, bytes: 64, faults: { stall: 1 } })
      const { result, elapsedMs } = await timed(() =>
        run(input, options({ concurrency: 4, timeoutMs: 300 })),
      )
      expectVerified(expectedOf(spec), result)
      expectNearTimeout(elapsedMs, 300)
    })

    it('settles promptly when aborted, with every unfinished page aborted', async () => {
      // The first pages are fault-free, so even a variant declared to run one page at a
      // time has finished some when the abort comes.
      const { spec, input } = setup(
        { count: 80, bytes: 1024, latency: { kind: 'fixed', ms: 40 }, faults: { stall: 0.2 } },
        7,
        4,
      )
      // Late enough that worker threads (pipeline) have started and some pages are done.
      const { result, settleMs } = await runAndAbort(
        (signal) =>
          run(input, options({ concurrency: 4, parallelism: parallelism.at(-1) ?? 0, signal })),
        400,
      )
      expectVerified(expectedOf(spec), result, true)
      expect(countAborted(result)).toBeGreaterThan(0)
      expect(
        result.some((o) => o.ok),
        'some pages finished before the abort',
      ).toBe(true)
      expect(settleMs).toBeLessThan(ABORT_SETTLE_MS)
    })

    it('starts nothing when the signal is already aborted', async () => {
      const { spec, tag, input } = setup({ count: 10, bytes: 64 })
      const result = await run(input, options({ signal: AbortSignal.abort() }))
      expect(result).toHaveLength(spec.items.length)
      expect(countAborted(result)).toBe(spec.items.length)
      expect((await fetchStats(world().origin, tag)).started).toBe(0)
    })

    it('answers an empty input with an empty result', async () => {
      expect(await run({ urls: [] }, options({}))).toEqual([])
    })

    it('rejects bad options and non-loopback URLs with a TypeError that names them', async () => {
      const { input } = setup({ count: 2, bytes: 64 })
      await expect(run(input, options({ concurrency: 0 }))).rejects.toThrow(/concurrency.*got 0/)
      await expect(run(input, options({ timeoutMs: -5 }))).rejects.toThrow(TypeError)
      await expect(run({ urls: ['http://10.0.0.1/page/1/0'] }, options({}))).rejects.toThrow(
        /loopback/,
      )
    })
  })
}
