/**
 * The conformance kit's section for `scanPort`: the fixture's open, closed and
 * filtered ports found, every port from 1 to 65535 answered as the machine's
 * ground truth says, filtered ports reported after close to `timeoutMs`,
 * prompt and complete aborts, and non-loopback targets or bad ports refused.
 */
import type { RunOptions, ScanResult, Workloads } from '@arena/core'
import { describe, expect, it } from 'vitest'
import { expectedScanFromTruth, recordTruth } from '../ground-truth.ts'
import type { MockWorldInfo } from '../start-mock-world.ts'
import {
  ABORT_SETTLE_MS,
  countAborted,
  expectNearTimeout,
  expectVerified,
  options,
  runAndAbort,
  timed,
  world,
} from './support.ts'

/**
 * Runs a scan of `ports` on `world` while recording the machine's listeners,
 * then verifies it against what was really there. The recorder is stopped
 * however the run ends, so a run that throws leaves no timer of the kit's.
 */
export async function scanVerified(
  run: Workloads['scanPort'],
  world: MockWorldInfo,
  ports: readonly number[],
  o: Partial<RunOptions>,
  allowAborted = false,
): Promise<ScanResult> {
  const { host, filtered } = world
  const recorder = recordTruth({ host, filtered })
  let result: ScanResult
  try {
    result = await run({ host, ports }, options(o))
  } finally {
    recorder.stop()
  }
  expectVerified(expectedScanFromTruth(ports, recorder, result), result, allowAborted)
  return result
}

/** Registers the `scanPort` tests of a variant. */
export function describeScan(run: Workloads['scanPort']) {
  describe('scanPort', () => {
    it('finds the open, closed and filtered ports of the fixture', async () => {
      const { open, filtered } = world()
      const ports = [...new Set([...open, ...filtered].flatMap((p) => [p, p + 1, p - 1]))].filter(
        (p) => p > 0 && p < 65536,
      )
      const result = await scanVerified(run, world(), ports, { concurrency: 8, timeoutMs: 250 })
      const states = new Set(result.map((o) => (o.ok ? o.value.state : 'failed')))
      expect([...states].sort()).toEqual(['closed', 'filtered', 'open'])
    })

    it('returns exactly the ground truth for every port from 1 to 65535', async () => {
      const ports = Array.from({ length: 65535 }, (_, i) => i + 1)
      const result = await scanVerified(run, world(), ports, { concurrency: 500, timeoutMs: 1000 })
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
      expectNearTimeout(elapsedMs, 300)
    })

    it('settles promptly when aborted, with every unfinished port aborted', async () => {
      const { filtered, open } = world()
      const { result, settleMs } = await runAndAbort(
        (signal) =>
          scanVerified(
            run,
            world(),
            [...open, ...filtered],
            { concurrency: 2, timeoutMs: 10_000, signal },
            true,
          ),
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
