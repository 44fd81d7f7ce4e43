/**
 * The conformance kit's lifecycle section, for every variant, through core's
 * `openVariant` (a variant without `open` gives its one-shot workloads and a
 * close with nothing to do, so every variant meets the same checks): opening
 * and closing leaves no thread, socket or timer; several calls of each
 * workload on one open instance answer right, and a variant that opens
 * something hashes on the same worker threads call after call (the kernel's
 * trace shows them) instead of starting a pool per call; after the instance
 * is closed, the one-shot workloads still answer.
 *
 * A call on an instance after its `close` is outside the contract: the kit
 * makes none and requires nothing of one (the harness never makes one), as
 * asking every style to detect it would add code to each contestant for a
 * call nobody makes.
 */
import {
  expectedFetch,
  expectedHash,
  expectedPipeline,
  fetchInput,
  fetchSpec,
  hashInput,
  hashSpec,
  type Instance,
  type OpenOptions,
  type Outcome,
  openVariant,
  type RunOptions,
  type Variant,
  type WorkloadId,
  type Workloads,
} from '@arena/core'
import { describe, expect, it } from 'vitest'
import { tagUrls } from '../mock-server.ts'
import { snapshotResources, waitForNoLeaks } from '../resources.ts'
import type { MockWorldInfo } from '../start-mock-world.ts'
import { enableKernelTrace, threadsOf, tracedRun } from './kernel-trace.ts'
import { ASKED_WORKERS, workersOf } from './parallelism.ts'
import { scanVerified } from './scan.ts'
import { expectVerified, nextTag, options, world } from './support.ts'

/** What the kit opens every variant for; its calls ask for exactly this. */
export const OPEN_OPTIONS: OpenOptions = { concurrency: 8, parallelism: ASKED_WORKERS }
/** Calls of each workload on one open instance. */
export const CALLS = 3

/** One call of a workload: runs it with the instance's options, verifies it, and returns the workers' digests. */
type Call = (workloads: Partial<Workloads>) => Promise<readonly number[]>

/** A verified call of each workload the variant has, on whichever workloads it is given. */
function callsOf(variant: Variant, world: MockWorldInfo, label: string) {
  const run: RunOptions = options(OPEN_OPTIONS)
  const workers = workersOf(variant.limits)
  const pages = (bytes: number) => {
    const spec = fetchSpec({ seed: 41, count: 40, bytes })
    const urls = fetchInput(spec, world.origin).urls
    return { spec, input: () => ({ urls: tagUrls(urls, nextTag(`${label}/lifecycle`)) }) }
  }
  const calls: Partial<Record<WorkloadId, Call>> = {}
  if (variant.workloads.fetch) {
    const { spec, input } = pages(1024)
    calls.fetch = async (w) => {
      expectVerified(expectedFetch(spec), await w.fetch?.(input(), run))
      return []
    }
  }
  if (variant.workloads.hash) {
    const spec = hashSpec({ seed: 42, count: 8 * ASKED_WORKERS, bytes: 256 * 1024 })
    const expected: readonly Outcome<unknown>[] = expectedHash(spec)
    calls.hash = async (w) => {
      const traces = await tracedRun(
        async () => (await w.hash?.(hashInput(spec), run)) ?? [],
        expected,
        workers,
      )
      return [...threadsOf(traces)]
    }
  }
  if (variant.workloads.scanPort) {
    const { open, filtered } = world
    const ports = [...new Set([...open, ...filtered].flatMap((p) => [p, p + 1]))]
    calls.scanPort = async (w) => {
      const scan = w.scanPort
      expect(scan, 'the instance has scanPort').toBeDefined()
      if (scan) await scanVerified(scan, world, ports, { ...run, timeoutMs: 250 })
      return []
    }
  }
  if (variant.workloads.pipeline) {
    const { spec, input } = pages(16 * 1024)
    const expected: readonly Outcome<unknown>[] = expectedPipeline(spec)
    calls.pipeline = async (w) => {
      const traces = await tracedRun(
        async () => (await w.pipeline?.(input(), run)) ?? [],
        expected,
        workers,
      )
      return [...threadsOf(traces)]
    }
  }
  return calls
}

/** Opens `variant`, closes it at once, and asserts nothing it opened is left. */
export async function checkOpenClose(variant: Variant): Promise<void> {
  const before = snapshotResources()
  const instance = await openVariant(variant, OPEN_OPTIONS)
  await instance.close()
  expect(await waitForNoLeaks(before), 'left behind after close').toEqual([])
}

/**
 * Calls each workload {@link CALLS} times on one open instance of `variant`
 * and verifies every answer; for a variant with `open`, the hashing calls of
 * a workload must all run on the instance's own worker threads (exactly its
 * parallelism of them). Then closes it, asserts nothing is left, and calls
 * each one-shot workload once more.
 */
export async function checkInstanceCalls(
  variant: Variant,
  world: MockWorldInfo,
  label: string,
): Promise<void> {
  const calls = Object.entries(callsOf(variant, world, label))
  const workers = workersOf(variant.limits)
  // Before open: its workers read the variable when they load the kernel.
  enableKernelTrace()
  const before = snapshotResources()
  const instance: Instance = await openVariant(variant, OPEN_OPTIONS)
  try {
    for (const [name, call] of calls) {
      const perCall: (readonly number[])[] = []
      for (let i = 0; i < CALLS; i++) perCall.push(await call(instance.workloads))
      if (!variant.open || (name !== 'hash' && name !== 'pipeline')) continue
      const threads = new Set(perCall.flat())
      expect(
        threads.size,
        `${name}: ${CALLS} calls on one instance of parallelism ${workers} hashed on ${threads.size} worker threads (${perCall.map((t) => t.length).join(', ')} per call): ${threads.size > workers ? 'a pool per call, not the instance’s' : 'not its workers'}`,
      ).toBe(workers)
    }
  } finally {
    await instance.close()
  }
  expect(await waitForNoLeaks(before), 'left behind after close').toEqual([])
  for (const [, call] of calls) await call(variant.workloads)
}

/** Registers the lifecycle checks of `variant`. */
export function describeLifecycle(variant: Variant, label: string) {
  const reuse = variant.open
    ? ', on the same worker threads call after call'
    : ' (no open: its one-shot workloads)'
  describe('lifecycle', () => {
    it('opens and closes, leaving no thread, socket or timer', () => checkOpenClose(variant))
    it(`answers ${CALLS} calls of each workload on one open instance${reuse}, and one-shot calls after close`, () =>
      checkInstanceCalls(variant, world(), label))
  })
}
