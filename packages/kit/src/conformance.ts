/**
 * The conformance kit: `describeImplementation(impl)` is the whole test file of
 * a contestant. It runs every workload of every variant at small sizes against
 * the mock world and proves, for each: answers verified item by item, exactly
 * one outcome per item in input order, the concurrency limit real (seen from
 * the server) and not accidentally serial, CPU work really off the main thread
 * and on as many workers at once as asked (seen in the kernel's trace),
 * timeouts close to `timeoutMs`, every injected fault classified, aborts prompt
 * and complete, each outcome reported once through `onOutcome` before the call
 * settles, no socket, timer, thread or child process left behind (a
 * crashed or hung child replaced, not multiplied), and an opened instance
 * that answers call after call on its own workers and closes clean. Every contestant,
 * present and future, is held to the same suite: there are no special cases.
 * Each workload's tests are a section of their own in `./conformance/`.
 */
import { lookup } from 'node:dns/promises'
import { readFile } from 'node:fs/promises'
import {
  defineImplementation,
  expectedFetch,
  expectedPipeline,
  type Implementation,
} from '@arena/core'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { describeCancellation } from './conformance/cancellation.ts'
import { describeHash } from './conformance/hash.ts'
import { enableKernelTrace } from './conformance/kernel-trace.ts'
import { describeLifecycle } from './conformance/lifecycle.ts'
import { describeOutcomeCallbacks } from './conformance/outcomes.ts'
import { describePages } from './conformance/pages.ts'
import { describeParallelism } from './conformance/parallelism.ts'
import { describeProcesses } from './conformance/processes.ts'
import { describeScan } from './conformance/scan.ts'
import { type ResourceSnapshot, snapshotResources, waitForNoLeaks } from './resources.ts'

export { ABORT_SETTLE_MS, RANDOM_ABORT_SETTLE_MS } from './conformance/support.ts'

/**
 * Registers the conformance suite of `implementation`: one `describe` per
 * variant and workload. Call it from the contestant's one test file, with the
 * package's vitest config from `@arena/kit/vitest-config`.
 */
export function describeImplementation(implementation: Implementation): void {
  // Before any worker exists: a worker reads the variable when it loads the kernel.
  enableKernelTrace()
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
        describeParallelism(w, variant.limits, label)
        describeCancellation(w, label)
        describeOutcomeCallbacks(w, label, variant.limits)
        describeLifecycle(variant, label)
        describeProcesses(variant)
      })
    }
  })
}
