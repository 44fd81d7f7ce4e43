import { describe, expect, it } from 'vitest'
import { cancellationCases, checkAbortAtRandom } from '../src/conformance/cancellation.ts'
import { scanVerified } from '../src/conformance/scan.ts'
import { snapshotResources, waitForNoLeaks } from '../src/resources.ts'
import { emptyWorld, rejectingScan, TODO, throwingScan } from './fixtures/stub-workloads.ts'

describe("the kit's own truth recorder, when the scan under test throws", () => {
  for (const [how, run] of [
    ['rejects', rejectingScan],
    ['throws at once', throwingScan],
  ] as const) {
    it(`is stopped when the workload ${how}: the failure is the stub's, no timer is left`, async () => {
      const before = snapshotResources()
      // Several runs: the leak check counts handles by type, so one timer of the test
      // runner ending meanwhile could hide a single leaked one, never five.
      for (let i = 0; i < 5; i++)
        await expect(scanVerified(run, emptyWorld, [1, 2, 3], {})).rejects.toThrow(TODO)
      expect(await waitForNoLeaks(before, 100)).toEqual([])
    })
  }

  it('is stopped in the abort-at-any-moment property too, through its shrinking runs', async () => {
    const cases = new Map(cancellationCases({ scanPort: rejectingScan }, 'stub', () => emptyWorld))
    const prepare = cases.get('scanPort')
    expect(prepare).toBeDefined()
    const before = snapshotResources()
    const failure = await checkAbortAtRandom(prepare ?? (() => undefined)).then(
      () => undefined,
      (error: unknown) => error,
    )
    expect(failure, "the property fails with the stub's error").toMatchObject({
      cause: { message: expect.stringMatching(TODO) },
    })
    expect(await waitForNoLeaks(before, 100)).toEqual([])
  })
})
