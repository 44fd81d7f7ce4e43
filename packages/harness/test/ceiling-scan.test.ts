import { spawnSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  describeVerdict,
  type RunOptions,
  type ScanResult,
  verifyOutcomes,
  type Workloads,
} from '@arena/core'
import {
  expectedScanFromTruth,
  type PortFixture,
  recordTruth,
  startPortFixture,
} from '@arena/kit/mock-world'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { implementation, nmapArgs } from '../src/ceiling/index.ts'
import { withHooks } from './ceiling-recorder.ts'

const raw = implementation.variants[0].workloads.scanPort as Workloads['scanPort']
const nmap = implementation.variants[1].workloads.scanPort as Workloads['scanPort']
const hasNmap = spawnSync('nmap', ['--version'], { stdio: 'ignore' }).status === 0

let fixture: PortFixture
beforeAll(async () => {
  fixture = await startPortFixture({ open: 3, filtered: 3 })
})
afterAll(() => fixture.close())

const options = (o: Partial<RunOptions> = {}): RunOptions => ({
  concurrency: 100,
  parallelism: 0,
  timeoutMs: 500,
  ...o,
})

/** Ports 1–1024 and the fixture's, scanned by `scan` while the machine's listeners are recorded, then verified. */
async function scanVerified(scan: Workloads['scanPort'], o: Partial<RunOptions> = {}) {
  const ports = [
    ...Array.from({ length: 1024 }, (_, i) => i + 1),
    ...fixture.open,
    ...fixture.filtered,
  ]
  const recorder = recordTruth({ host: fixture.host, filtered: fixture.filtered })
  const { result, problems, started } = await withHooks((hooks) =>
    scan({ host: fixture.host, ports }, options({ ...o, ...hooks })),
  )
  const verdict = verifyOutcomes(expectedScanFromTruth(ports, recorder, result), result)
  expect(verdict.ok, describeVerdict(verdict)).toBe(true)
  expect(problems).toEqual([])
  return { ports, result, started }
}

const stateOf = (result: ScanResult, index: number) => {
  const outcome = result[index]
  return outcome?.ok ? outcome.value.state : outcome?.failure.kind
}

/** nmap processes whose parent is this process. */
function nmapChildren(): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .filter((pid) => {
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
        return stat.includes('(nmap)') && Number(fields[1]) === process.pid
      } catch {
        return false
      }
    })
    .map(Number)
}

describe('scanPort: the raw connect loop', () => {
  it('answers every port as the ground truth has it, the fixture’s open and filtered ones too', async () => {
    const { ports, result, started } = await scanVerified(raw)
    expect(started).toBe(ports.length)
    for (const port of fixture.filtered)
      expect(stateOf(result, ports.indexOf(port))).toBe('filtered')
    for (const port of fixture.open) expect(stateOf(result, ports.indexOf(port))).toBe('open')
  })

  it('restores stack traces and leaves no socket or timer behind', async () => {
    const limit = Error.stackTraceLimit
    const count = (type: string) =>
      process.getActiveResourcesInfo().filter((t) => t === type).length
    const before = { sockets: count('TCPSocketWrap'), timers: count('Timeout') }
    await raw({ host: fixture.host, ports: [...fixture.filtered, 1, 2, 3] }, options())
    expect(Error.stackTraceLimit).toBe(limit)
    // A destroyed socket's handle closes on the loop's next turn; the harness's child gives leftovers a grace too.
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(count('TCPSocketWrap')).toBeLessThanOrEqual(before.sockets)
    expect(count('Timeout')).toBeLessThanOrEqual(before.timers)
  })

  it('after an abort answers at once: answered ports stay right, the rest is aborted', async () => {
    const controller = new AbortController()
    const ports = [1, 2, ...fixture.filtered]
    setTimeout(() => controller.abort(), 100)
    const started = performance.now()
    const { result, problems } = await withHooks((hooks) =>
      raw(
        { host: fixture.host, ports },
        options({ concurrency: 10, timeoutMs: 10_000, signal: controller.signal, ...hooks }),
      ),
    )
    expect(performance.now() - started).toBeLessThan(5000)
    expect(problems).toEqual([])
    expect(result.map((_, i) => stateOf(result, i))).toEqual([
      'closed',
      'closed',
      ...fixture.filtered.map(() => 'aborted'),
    ])
  })
})

describe('scanPort: nmap, pinned', () => {
  it('pins the round-trip timeout to timeoutMs and the parallelism to concurrency', () => {
    const args = nmapArgs('127.0.0.1', [5, 1, 2, 3, 80], 500, 750).join(' ')
    for (const flag of ['min-rtt-timeout', 'initial-rtt-timeout', 'max-rtt-timeout'])
      expect(args).toContain(`--${flag} 750ms`)
    expect(args).toContain('--min-parallelism 500 --max-parallelism 500')
    expect(args).toMatch(/^-sT -Pn -n --max-retries 0 .* -p 1-3,5,80 -oX - 127\.0\.0\.1$/)
  })

  it('rejects with one sentence when nmap is not installed', async () => {
    const path = process.env.PATH
    const empty = mkdtempSync(join(tmpdir(), 'no-nmap-'))
    process.env.PATH = empty
    try {
      await expect(nmap({ host: '127.0.0.1', ports: [1] }, options())).rejects.toThrow(
        /^nmap is not installed; /,
      )
    } finally {
      process.env.PATH = path
      rmSync(empty, { recursive: true })
    }
  })

  const title = hasNmap ? 'with nmap' : 'SKIPPED: nmap is not installed (apt-get install nmap)'
  describe.skipIf(!hasNmap)(title, () => {
    it('answers every port as the ground truth has it, the fixture’s open and filtered ones too', async () => {
      const { ports, result } = await scanVerified(nmap)
      for (const port of fixture.filtered)
        expect(stateOf(result, ports.indexOf(port))).toBe('filtered')
      for (const port of fixture.open) expect(stateOf(result, ports.indexOf(port))).toBe('open')
    })

    it('answers in input order, duplicates included', async () => {
      const ports = [fixture.filtered[0] as number, 1, fixture.open[0] as number, 1]
      const result = await nmap({ host: fixture.host, ports }, options())
      expect(result.map((_, i) => stateOf(result, i))).toEqual([
        'filtered',
        'closed',
        'open',
        'closed',
      ])
    })

    it('kills nmap when the signal aborts and answers every port aborted', async () => {
      const controller = new AbortController()
      // Filtered ports one at a time, each held 5 s: nmap is still scanning when the abort comes.
      const ports = [...fixture.filtered]
      const pending = nmap(
        { host: fixture.host, ports },
        options({ concurrency: 1, timeoutMs: 5000, signal: controller.signal }),
      )
      await new Promise((r) => setTimeout(r, 300))
      expect(nmapChildren()).toHaveLength(1)
      controller.abort()
      const result = await pending
      expect(new Set(result.map((_, i) => stateOf(result, i)))).toEqual(new Set(['aborted']))
      // Killed at once; the process is gone (reaped) a moment later.
      for (let i = 0; i < 100 && nmapChildren().length > 0; i++)
        await new Promise((r) => setTimeout(r, 20))
      expect(nmapChildren()).toEqual([])
    })
  })
})
