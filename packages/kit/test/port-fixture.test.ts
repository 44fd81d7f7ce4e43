import { execFileSync } from 'node:child_process'
import { createServer } from 'node:net'
import { tcpProbe } from '@arena/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { portStates, recordTruth } from '../src/ground-truth.ts'
import { type PortFixture, startPortFixture } from '../src/port-fixture.ts'
import { snapshotResources, waitForNoLeaks } from '../src/resources.ts'

const probe = (port: number, ms: number) =>
  tcpProbe('127.0.0.1', port, { signal: AbortSignal.timeout(ms) }).catch(
    (error: Error) => error.name,
  )

function hasNmap(): boolean {
  try {
    execFileSync('nmap', ['--version'], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
}

/** nmap's verdict on every listed port of 127.0.0.1, from its grepable output; the rest it found closed. */
function nmapScan(): Map<number, string> {
  const out = execFileSync(
    'nmap',
    ['-sT', '-Pn', '-n', '-p1-65535', '--max-retries', '1', '-T4', '-oG', '-', '127.0.0.1'],
    {
      encoding: 'utf8',
    },
  )
  const line = out.split('\n').find((l) => l.includes('Ports:')) ?? ''
  const ports = line.split('Ports:')[1]?.split('\t')[0] ?? ''
  return new Map(
    ports
      .split(',')
      .map((entry) => entry.trim().split('/'))
      .filter(([port]) => port)
      .map(([port, state]) => [Number(port), state ?? '']),
  )
}

let fixture: PortFixture
beforeAll(async () => {
  fixture = await startPortFixture({ open: 2, filtered: 3 })
})
afterAll(() => fixture.close())

describe('the port fixture', () => {
  it('has open ports that accept, filtered ports that hang, and says so in its truth', async () => {
    const truth = fixture.truth()
    for (const port of fixture.open) {
      expect(await probe(port, 1000)).toBe('open')
      expect(truth(port)).toBe('open')
    }
    for (const port of fixture.filtered) {
      expect(await probe(port, 200)).toBe('TimeoutError')
      expect(truth(port)).toBe('filtered')
    }
  })

  it('counts listeners it does not own, and sees a full accept queue as filtered', async () => {
    const other = createServer()
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve))
    const port = (other.address() as { port: number }).port
    expect(fixture.truth()(port)).toBe('open')
    await new Promise((resolve) => other.close(resolve))
    expect(fixture.truth()(port)).toBe('closed')
    // Seen through the kernel alone, without the fixture's own list: the queues are full.
    const states = portStates('127.0.0.1')
    for (const port of fixture.filtered) expect(states.get(port)).toBe('filtered')
  })

  it.skipIf(!hasNmap() && !process.env.CI)(
    'agrees with nmap -sT on every port from 1 to 65535',
    () => {
      const recorder = recordTruth({ filtered: fixture.filtered })
      const nmap = nmapScan()
      const truth = recorder.stop()
      const disagreements: string[] = []
      for (let port = 1; port <= 65535; port++) {
        const state = nmap.get(port) ?? 'closed'
        if (!truth.states(port).has(state as never))
          disagreements.push(`${port}: nmap ${state}, truth ${[...truth.states(port)]}`)
      }
      expect(disagreements).toEqual([])
      for (const port of fixture.filtered) expect(nmap.get(port)).toBe('filtered')
      for (const port of fixture.open) expect(nmap.get(port)).toBe('open')
    },
  )

  it('closes without leaving a thread, socket or listener behind', async () => {
    const before = snapshotResources()
    const own = await startPortFixture({ open: 1, filtered: 1 })
    const ports = [...own.open, ...own.filtered]
    await own.close()
    expect(await waitForNoLeaks(before)).toEqual([])
    const states = portStates('127.0.0.1')
    for (const port of ports) expect(states.has(port)).toBe(false)
  })
})
