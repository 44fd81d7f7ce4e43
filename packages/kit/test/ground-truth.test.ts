import { createServer } from 'node:net'
import { verifyOutcomes } from '@arena/core'
import { describe, expect, it } from 'vitest'
import { expectedScanFromTruth, recordTruth } from '../src/ground-truth.ts'
import { snapshotResources, waitForNoLeaks } from '../src/resources.ts'

const listen = async () => {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return { server, port: (server.address() as { port: number }).port }
}
const answer = (state: 'open' | 'closed' | 'filtered') => ({ ok: true, value: { state } }) as const

describe('expectedScanFromTruth', () => {
  it('accepts either state of a port that closed during the scan, and only the truth for the others', async () => {
    const { server, port } = await listen()
    const steady = await listen()
    const recorder = recordTruth({ intervalMs: 5 })
    await new Promise((resolve) => server.close(resolve))
    await new Promise((resolve) => setTimeout(resolve, 30))
    const ports = [port, steady.port]
    for (const state of ['open', 'closed'] as const) {
      const actual = [answer(state), answer('open')]
      expect(verifyOutcomes(expectedScanFromTruth(ports, recorder, actual), actual).ok).toBe(true)
    }
    const wrong = [answer('open'), answer('closed')]
    expect(verifyOutcomes(expectedScanFromTruth(ports, recorder, wrong), wrong).ok).toBe(false)
    await new Promise((resolve) => steady.server.close(resolve))
  })

  it('stops the recorder, and answers the same truth when it was stopped already', async () => {
    const { server, port } = await listen()
    const before = snapshotResources()
    const recorder = recordTruth()
    const first = recorder.stop()
    await new Promise((resolve) => server.close(resolve))
    expect(first.states(port)).toEqual(new Set(['open']))
    expect(expectedScanFromTruth([port], recorder, [answer('closed')])).toEqual([answer('open')])
    expect(await waitForNoLeaks(before), 'the recorder polls no more').toEqual([])
  })

  it('takes a malformed answer as it comes, so the verdict (not the check) reports it', () => {
    const recorder = recordTruth()
    for (const garbage of [undefined, 'garbage', [null], [{ ok: true }], [{ ok: true, value: 3 }]])
      expect(expectedScanFromTruth([1], recorder, garbage)).toEqual([answer('closed')])
  })
})
