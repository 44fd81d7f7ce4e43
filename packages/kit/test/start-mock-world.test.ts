import { describe, expect, it } from 'vitest'
import { portStates } from '../src/ground-truth.ts'
import { fetchStats } from '../src/mock-server.ts'
import { snapshotResources, waitForNoLeaks } from '../src/resources.ts'
import { startMockWorld } from '../src/start-mock-world.ts'

describe('startMockWorld', () => {
  it('describes what it started as plain data, and closes it all', async () => {
    const before = snapshotResources()
    const world = await startMockWorld({ open: 1, filtered: 2 })
    const { info } = world
    expect(JSON.parse(JSON.stringify(info))).toEqual(info)
    expect(info.lowPorts).toEqual({ open: [], filtered: [] })
    expect(info.open).toHaveLength(1)
    expect(info.filtered).toHaveLength(2)
    expect((await fetchStats(info.origin)).started).toBe(0)
    const states = portStates(info.host, info.filtered)
    for (const port of info.open) expect(states.get(port)).toBe('open')
    await world.close()
    expect(await waitForNoLeaks(before)).toEqual([])
    const after = portStates(info.host)
    for (const port of [...info.open, ...info.filtered]) expect(after.has(port)).toBe(false)
  })
})
