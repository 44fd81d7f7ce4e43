/**
 * The conformance kit's section for `hash`: every digest verified at 0, 1 and
 * 2 workers, the CPU work really on the main thread at parallelism 0 and off
 * it when workers are asked for, in worker threads or child processes (or
 * kept on it, as a declared parallelism 0 says), worker faults survived item
 * by item, prompt aborts that terminate the workers, and bad options refused
 * before any work.
 */
import {
  effectiveLimits,
  expectedHash,
  hashInput,
  hashSpec,
  sha256Hex,
  type VariantLimits,
  type Workloads,
} from '@arena/core'
import { describe, expect, it } from 'vitest'
import { expectHashedInChildren, reapedChildrenCpuMs } from './processes.ts'
import { ABORT_SETTLE_MS, countAborted, expectVerified, options, runAndAbort } from './support.ts'

/** Main-thread CPU time, in milliseconds, spent while `work` runs. */
async function mainThreadCpuMs(work: () => Promise<unknown>): Promise<number> {
  const before = process.threadCpuUsage()
  await work()
  const used = process.threadCpuUsage(before)
  return (used.user + used.system) / 1000
}

/** Registers the `hash` tests of a variant with these declared `limits`. */
export function describeHash(run: Workloads['hash'], limits: VariantLimits | undefined) {
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
      const childrenBefore = reapedChildrenCpuMs()
      const workerCpu = await mainThreadCpuMs(() => run(offLoop, options({ parallelism: 2 })))
      const childrenCpu = reapedChildrenCpuMs() - childrenBefore
      expect(loopCpu, 'parallelism 0 hashes on the main thread').toBeGreaterThan(0.7 * reference)
      if (workers > 0 && childrenCpu > 0)
        await expectHashedInChildren(run, spec.sizes.length, childrenCpu, reference)
      else if (workers > 0)
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
