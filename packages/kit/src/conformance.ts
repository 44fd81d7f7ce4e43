/**
 * The conformance kit: `describeImplementation(impl)` is the whole test file of
 * a contestant. It runs every workload of every variant at small sizes against
 * the mock world and proves, for each: answers verified item by item, exactly
 * one outcome per item in input order, the concurrency limit real (seen from
 * the server) and not accidentally serial, CPU work really off the main thread,
 * timeouts close to `timeoutMs`, every injected fault classified, aborts prompt
 * and complete, and no socket, timer or thread left behind. Every contestant,
 * present and future, is held to the same suite: there are no special cases.
 */
import { lookup } from 'node:dns/promises'
import { readFile } from 'node:fs/promises'
import {
  defineImplementation,
  describeVerdict,
  effectiveLimits,
  expectedFailure,
  expectedFetch,
  expectedHash,
  expectedPipeline,
  type Fault,
  type FetchInput,
  faults,
  fetchInput,
  fetchSpec,
  hashInput,
  hashSpec,
  type Implementation,
  type Outcome,
  type PageSpec,
  type PageSpecParams,
  type RunOptions,
  sha256Hex,
  type VariantLimits,
  verifyOutcomes,
  type Workloads,
} from '@arena/core'
import fc from 'fast-check'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest'
import type { ArenaWorld } from './global-setup.ts'
import { expectedFromObservation, recordTruth } from './ground-truth.ts'
import { fetchStats, tagUrls } from './mock-server.ts'
import { type ResourceSnapshot, snapshotResources, waitForNoLeaks } from './resources.ts'

/** How long after an abort a workload must have settled, in milliseconds. */
export const ABORT_SETTLE_MS = 250

let tagCounter = 0
const nextTag = (label: string) => `${label}#${++tagCounter}-${process.pid}`

const options = (o: Partial<RunOptions>): RunOptions => ({
  concurrency: 4,
  parallelism: 0,
  timeoutMs: 5000,
  ...o,
})

function expectVerified<T>(expected: readonly Outcome<T>[], actual: unknown, allowAborted = false) {
  const verdict = verifyOutcomes(expected, actual, { allowAborted })
  expect(verdict.ok, describeVerdict(verdict)).toBe(true)
  return verdict
}

async function timed<T>(work: () => Promise<T>): Promise<{ result: T; elapsedMs: number }> {
  const start = performance.now()
  const result = await work()
  return { result, elapsedMs: performance.now() - start }
}

/** Main-thread CPU time, in milliseconds, spent while `work` runs. */
async function mainThreadCpuMs(work: () => Promise<unknown>): Promise<number> {
  const before = process.threadCpuUsage()
  await work()
  const used = process.threadCpuUsage(before)
  return (used.user + used.system) / 1000
}

/** Aborts `run` after `abortAfterMs` and returns its result and how long it took to settle after the abort. */
async function runAndAbort<T>(run: (signal: AbortSignal) => Promise<T>, abortAfterMs: number) {
  const controller = new AbortController()
  let abortedAt = 0
  const timer = setTimeout(() => {
    abortedAt = performance.now()
    controller.abort()
  }, abortAfterMs)
  try {
    const result = await run(controller.signal)
    return { result, settleMs: abortedAt === 0 ? Number.NaN : performance.now() - abortedAt }
  } finally {
    clearTimeout(timer)
  }
}

const countAborted = (outcomes: readonly Outcome<unknown>[]) =>
  outcomes.filter((o) => !o.ok && o.failure.kind === 'aborted').length

const FAULT_MODES = faults.filter((f): f is Exclude<Fault, 'none'> => f !== 'none')

function describePages<T>(
  name: 'fetch' | 'pipeline',
  run: (input: FetchInput, options: RunOptions) => Promise<readonly Outcome<T>[]>,
  expectedOf: (spec: PageSpec) => Outcome<T>[],
  label: string,
  parallelism: readonly number[],
  limits: VariantLimits | undefined,
) {
  const world = (): ArenaWorld => inject('arenaWorld')
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
      expect(elapsedMs).toBeGreaterThanOrEqual(280)
      expect(elapsedMs).toBeLessThan(1500)
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

function describeHash(run: Workloads['hash'], limits: VariantLimits | undefined) {
  // What the variant really runs at when asked for 2 workers: 2, or less if it declares less.
  const workers = effectiveLimits(limits, { concurrency: 1, parallelism: 2 }).parallelism
  describe('hash', () => {
    const sizes = [0, 1, 64, 1000, 65_536, 1 << 20]
    for (const parallelism of [0, 1, 2]) {
      it(`digests every buffer correctly and in input order (parallelism ${parallelism})`, async () => {
        const spec = hashSpec({ seed: 11, count: 36, bytes: sizes })
        expectVerified(expectedHash(spec), await run(hashInput(spec), options({ parallelism })))
      })
    }

    it(`hashes on the main thread when parallelism is 0, and ${workers > 0 ? 'off it when ≥ 1' : 'also when asked for workers, as its declared parallelism 0 says'}`, async () => {
      const spec = hashSpec({ seed: 12, count: 96, bytes: 1 << 20 })
      // Every input is allocated before any measurement, so the collection that
      // allocation triggers does not land inside a measured window.
      const [plain, onLoop, offLoop] = [hashInput(spec), hashInput(spec), hashInput(spec)]
      const reference = await mainThreadCpuMs(async () => {
        for (const buffer of plain.buffers) sha256Hex(buffer)
      })
      const loopCpu = await mainThreadCpuMs(() => run(onLoop, options({ parallelism: 0 })))
      const workerCpu = await mainThreadCpuMs(() => run(offLoop, options({ parallelism: 2 })))
      expect(loopCpu, 'parallelism 0 hashes on the main thread').toBeGreaterThan(0.7 * reference)
      if (workers > 0)
        expect(workerCpu, 'parallelism 2 leaves the hashing to worker threads').toBeLessThan(
          0.5 * reference,
        )
      else
        expect(
          workerCpu,
          'declared parallelism 0: hashing stays on the main thread',
        ).toBeGreaterThan(0.7 * reference)
    })

    it(`${workers > 0 ? 'survives workers that throw, exit or hang: that item fails, the worker is replaced, the run completes' : 'answers every item under worker faults, which are inert with no workers (declared parallelism 0)'}`, async () => {
      const spec = hashSpec({
        seed: 16,
        count: 30,
        bytes: [64, 4096],
        faults: { throw: 0.1, exit: 0.1, hang: 0.1 },
      })
      const kinds = new Set(spec.faults)
      expect([...kinds].sort(), 'the seeded spec injects every worker fault').toEqual([
        'exit',
        'hang',
        'none',
        'throw',
      ])
      const result = await run(hashInput(spec), options({ parallelism: 2, timeoutMs: 300 }))
      const verdict = expectVerified(expectedHash(spec, workers), result)
      if (workers === 0) {
        expect(verdict.tally.ok).toBe(spec.sizes.length)
        return
      }
      expect(verdict.tally['worker-crashed']).toBeGreaterThan(2)
      expect(verdict.tally.timeout).toBeGreaterThan(0)
      // More crashes than workers: answers after them prove the pool replaced its workers.
      expect(verdict.tally.ok).toBe(spec.faults?.filter((f) => f === 'none').length)
    })

    it('settles promptly when aborted, terminating its workers', async () => {
      const spec = hashSpec({ seed: 13, count: 64, bytes: 1 << 20 })
      const { result, settleMs } = await runAndAbort(
        (signal) => run(hashInput(spec), options({ parallelism: 2, signal })),
        30,
      )
      expectVerified(expectedHash(spec), result, true)
      expect(countAborted(result)).toBeGreaterThan(0)
      expect(settleMs).toBeLessThan(ABORT_SETTLE_MS)
    })

    it('answers every item aborted when the signal is already aborted', async () => {
      const spec = hashSpec({ seed: 14, count: 5, bytes: 64 })
      const result = await run(
        hashInput(spec),
        options({ parallelism: 1, signal: AbortSignal.abort() }),
      )
      expect(countAborted(result)).toBe(5)
    })

    it('rejects bad options and input with a TypeError that names them', async () => {
      const spec = hashSpec({ seed: 15, count: 2, bytes: 64 })
      await expect(run(hashInput(spec), options({ parallelism: -1 }))).rejects.toThrow(
        /parallelism.*got -1/,
      )
      await expect(run({ buffers: ['abc' as unknown as Uint8Array] }, options({}))).rejects.toThrow(
        /buffers\[0\]/,
      )
    })
  })
}

function describeScan(run: Workloads['scanPort']) {
  const world = (): ArenaWorld => inject('arenaWorld')
  /** Runs a scan while recording the machine's listeners, then verifies it against what was really there. */
  const scanVerified = async (
    ports: readonly number[],
    o: Partial<RunOptions>,
    allowAborted = false,
  ) => {
    const { host, filtered } = world()
    const recorder = recordTruth({ host, filtered })
    const result = await run({ host, ports }, options(o))
    expectVerified(expectedFromObservation(ports, recorder.stop(), result), result, allowAborted)
    return result
  }

  describe('scanPort', () => {
    it('finds the open, closed and filtered ports of the fixture', async () => {
      const { open, filtered } = world()
      const ports = [...new Set([...open, ...filtered].flatMap((p) => [p, p + 1, p - 1]))].filter(
        (p) => p > 0 && p < 65536,
      )
      const result = await scanVerified(ports, { concurrency: 8, timeoutMs: 250 })
      const states = new Set(result.map((o) => (o.ok ? o.value.state : 'failed')))
      expect([...states].sort()).toEqual(['closed', 'filtered', 'open'])
    })

    it('returns exactly the ground truth for every port from 1 to 65535', async () => {
      const ports = Array.from({ length: 65535 }, (_, i) => i + 1)
      const result = await scanVerified(ports, { concurrency: 500, timeoutMs: 1000 })
      expect(
        result.filter((o) => o.ok && o.value.state === 'filtered').length,
      ).toBeGreaterThanOrEqual(world().filtered.length)
    })

    it('reports filtered ports after close to timeoutMs', async () => {
      const { host, filtered } = world()
      const { result, elapsedMs } = await timed(() =>
        run({ host, ports: filtered }, options({ concurrency: filtered.length, timeoutMs: 300 })),
      )
      expect(result.map((o) => o.ok && o.value.state)).toEqual(filtered.map(() => 'filtered'))
      expect(elapsedMs).toBeGreaterThanOrEqual(280)
      expect(elapsedMs).toBeLessThan(1500)
    })

    it('settles promptly when aborted, with every unfinished port aborted', async () => {
      const { filtered, open } = world()
      const { result, settleMs } = await runAndAbort(
        (signal) =>
          scanVerified([...open, ...filtered], { concurrency: 2, timeoutMs: 10_000, signal }, true),
        100,
      )
      expect(countAborted(result)).toBeGreaterThanOrEqual(filtered.length)
      expect(settleMs).toBeLessThan(ABORT_SETTLE_MS)
    })

    it('refuses non-loopback targets and bad ports with a TypeError that says what is accepted', async () => {
      await expect(run({ host: '10.0.0.1', ports: [80] }, options({}))).rejects.toThrow(
        /loopback.*127\.0\.0\.0\/8/,
      )
      await expect(run({ host: 'example.com', ports: [80] }, options({}))).rejects.toThrow(
        /loopback/,
      )
      await expect(run({ host: '127.0.0.1', ports: [0] }, options({}))).rejects.toThrow(
        /ports\[0\].*1 to 65535/,
      )
      await expect(
        run({ host: '127.0.0.1', ports: [80] }, options({ concurrency: 1.5 })),
      ).rejects.toThrow(/concurrency/)
    })
  })
}

/** How long after an abort at a random moment a workload must have settled, in milliseconds. */
export const RANDOM_ABORT_SETTLE_MS = 100

/**
 * Aborts every workload at random moments (property-based): the call settles
 * within {@link RANDOM_ABORT_SETTLE_MS} of the abort, every item has exactly
 * one outcome (its true answer, or `aborted`), nothing is left running and no
 * rejection goes unhandled (checked after each test).
 */
function describeCancellation(w: Partial<Workloads>, label: string) {
  const world = (): ArenaWorld => inject('arenaWorld')
  const pages = (bytes: number) => {
    const spec = fetchSpec({
      seed: 21,
      count: 80,
      bytes,
      latency: { kind: 'fixed', ms: 20 },
      faults: { stall: 0.1 },
    })
    return {
      spec,
      input: { urls: tagUrls(fetchInput(spec, world().origin).urls, nextTag(`${label}/abort`)) },
    }
  }
  /** Each case prepares its input, starts the workload, and only afterwards, outside the timed window, computes the truth. */
  interface Prepared {
    start(signal: AbortSignal): Promise<readonly Outcome<unknown>[]>
    expected(result: readonly Outcome<unknown>[]): readonly Outcome<unknown>[]
  }
  const cases: Array<[keyof Workloads, () => Prepared | undefined]> = [
    [
      'fetch',
      () => {
        const run = w.fetch
        if (!run) return undefined
        const { spec, input } = pages(1024)
        return {
          start: (signal) => run(input, options({ concurrency: 8, signal })),
          expected: () => expectedFetch(spec),
        }
      },
    ],
    [
      'hash',
      () => {
        const run = w.hash
        if (!run) return undefined
        const spec = hashSpec({ seed: 22, count: 48, bytes: 256 * 1024 })
        const input = hashInput(spec)
        return {
          start: (signal) => run(input, options({ parallelism: 2, signal })),
          expected: () => expectedHash(spec),
        }
      },
    ],
    [
      'scanPort',
      () => {
        const run = w.scanPort
        if (!run) return undefined
        const { host, open, filtered } = world()
        const ports = [...open, ...filtered, ...Array.from({ length: 200 }, (_, i) => 20_000 + i)]
        let recorder: ReturnType<typeof recordTruth> | undefined
        return {
          start: (signal) => {
            recorder = recordTruth({ host, filtered })
            return run({ host, ports }, options({ concurrency: 4, signal }))
          },
          expected: (result) =>
            expectedFromObservation(
              ports,
              (recorder as ReturnType<typeof recordTruth>).stop(),
              result as never,
            ),
        }
      },
    ],
    [
      'pipeline',
      () => {
        const run = w.pipeline
        if (!run) return undefined
        const { spec, input } = pages(16 * 1024)
        return {
          start: (signal) => run(input, options({ concurrency: 8, parallelism: 2, signal })),
          expected: () => expectedPipeline(spec),
        }
      },
    ],
  ]
  describe('cancellation at any moment', () => {
    for (const [name, prepare] of cases) {
      const available = Boolean(w[name])
      it.skipIf(!available)(
        `${name}: settles within ${RANDOM_ABORT_SETTLE_MS} ms of an abort at a random moment, nothing lost or left behind`,
        async () => {
          await fc.assert(
            fc.asyncProperty(fc.integer({ min: 0, max: 150 }), async (delayMs) => {
              const prepared = prepare()
              if (!prepared) return
              const before = snapshotResources()
              const { result, settleMs } = await runAndAbort(
                (signal) => prepared.start(signal),
                delayMs,
              )
              expectVerified(prepared.expected(result), result, true)
              if (!Number.isNaN(settleMs))
                expect(
                  settleMs,
                  `settled ${settleMs.toFixed(0)} ms after an abort at ${delayMs} ms`,
                ).toBeLessThan(RANDOM_ABORT_SETTLE_MS)
              expect(await waitForNoLeaks(before), 'left behind after the abort').toEqual([])
            }),
            { numRuns: 5 },
          )
        },
      )
    }
  })
}

/**
 * Registers the conformance suite of `implementation`: one `describe` per
 * variant and workload. Call it from the contestant's one test file, with the
 * package's vitest config from `@arena/kit/vitest-config`.
 */
export function describeImplementation(implementation: Implementation): void {
  let before: ResourceSnapshot
  const unhandled: unknown[] = []
  const onUnhandled = (reason: unknown) => unhandled.push(reason)
  beforeAll(async () => {
    process.on('unhandledRejection', onUnhandled)
    // Start libuv's thread pool now, so its lazily spawned threads are not mistaken for leaks.
    await Promise.all([readFile(new URL(import.meta.url)), lookup('127.0.0.1')])
  })
  beforeEach(() => {
    before = snapshotResources()
  })
  afterEach(async () => {
    expect(await waitForNoLeaks(before), 'sockets, timers or threads left behind').toEqual([])
    expect(unhandled.splice(0).map(String), 'unhandled rejections').toEqual([])
  })
  afterAll(() => {
    process.off('unhandledRejection', onUnhandled)
  })

  describe(implementation.id ?? 'implementation', () => {
    it('meets the Implementation contract', () => {
      expect(() => defineImplementation(implementation)).not.toThrow()
    })

    for (const variant of implementation.variants ?? []) {
      describe(`variant ${variant.id}`, () => {
        const label = `${implementation.id}/${variant.id}`
        const w = variant.workloads
        if (w.fetch) describePages('fetch', w.fetch, expectedFetch, label, [0], variant.limits)
        if (w.hash) describeHash(w.hash, variant.limits)
        if (w.scanPort) describeScan(w.scanPort)
        if (w.pipeline)
          describePages('pipeline', w.pipeline, expectedPipeline, label, [0, 2], variant.limits)
        describeCancellation(w, label)
      })
    }
  })
}
