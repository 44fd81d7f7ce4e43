import { getEventListeners } from 'node:events'
import { createServer, type Server } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEADLINE_EXCEEDED, disposableDeadline } from '../src/deadline.ts'
import { tcpProbe } from '../src/tcp.ts'

let server: Server
let port: number
let freePort: number
const sockets = () =>
  process.getActiveResourcesInfo().filter((type) => type === 'TCPSocketWrap').length

beforeAll(async () => {
  server = createServer((socket) => socket.on('error', () => {}))
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  port = (server.address() as { port: number }).port
  const free = createServer()
  await new Promise<void>((resolve) => free.listen(0, '127.0.0.1', resolve))
  freePort = (free.address() as { port: number }).port
  await new Promise((resolve) => free.close(resolve))
})
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve))
})

describe('tcpProbe', () => {
  it('finds a listening port open and a free one closed, and leaves no socket behind', async () => {
    const before = sockets()
    expect(await tcpProbe('127.0.0.1', port)).toBe('open')
    expect(await tcpProbe('127.0.0.1', freePort)).toBe('closed')
    await expect.poll(sockets).toBe(before)
  })

  it('rejects with the signal reason when aborted, and refuses non-loopback hosts and bad ports', async () => {
    const reason = new Error('stop')
    await expect(tcpProbe('127.0.0.1', port, { signal: AbortSignal.abort(reason) })).rejects.toBe(
      reason,
    )
    expect(() => tcpProbe('10.0.0.1', 80)).toThrow(/loopback/)
    expect(() => tcpProbe('127.0.0.1', 0)).toThrow(/port/)
    expect(() => tcpProbe('127.0.0.1', 65536)).toThrow(/port/)
  })

  it('never has a refusal’s stack trace formatted (Node’s stream destruction reads it)', async () => {
    const original = Error.prepareStackTrace
    let refusalsFormatted = 0
    Error.prepareStackTrace = (error, frames) => {
      if (String((error as Error).message).includes('ECONNREFUSED')) refusalsFormatted++
      return original ? original(error, frames) : String(error)
    }
    try {
      for (let i = 0; i < 20; i++) expect(await tcpProbe('127.0.0.1', freePort)).toBe('closed')
    } finally {
      Error.prepareStackTrace = original
    }
    expect(refusalsFormatted).toBe(0)
  })

  it('leaves no listener on its signal once it has answered', async () => {
    const { signal } = new AbortController()
    await tcpProbe('127.0.0.1', port, { signal })
    await tcpProbe('127.0.0.1', freePort, { signal })
    expect(getEventListeners(signal, 'abort')).toHaveLength(0)
  })

  it('scans 1–65535 under cleared deadlines and leaves no timer or abort for after the scan', {
    timeout: 120_000,
  }, async () => {
    const before = process.getActiveResourcesInfo().filter((t) => t === 'Timeout').length
    const limits: AbortSignal[] = []
    const answers = new Map<string, number>()
    let next = 1
    const lane = async () => {
      while (next <= 65535) {
        const probed = next++
        using limit = disposableDeadline(500)
        limits.push(limit)
        const answer = await tcpProbe('127.0.0.1', probed, { signal: limit }).catch(
          (error: unknown) => (error === DEADLINE_EXCEEDED ? 'filtered' : String(error)),
        )
        answers.set(answer, (answers.get(answer) ?? 0) + 1)
      }
    }
    await Promise.all(Array.from({ length: 500 }, lane))
    expect([...answers.keys()].every((a) => ['open', 'closed', 'filtered'].includes(a))).toBe(true)
    expect(answers.get('open')).toBeGreaterThan(0)
    const timedOut = limits.filter((limit) => limit.aborted).length
    expect(timedOut).toBe(answers.get('filtered') ?? 0)
    expect(
      process.getActiveResourcesInfo().filter((t) => t === 'Timeout').length,
    ).toBeLessThanOrEqual(before)
    // Past every probe's deadline: with AbortSignal.timeout, all 65,535 would abort now.
    await new Promise((resolve) => setTimeout(resolve, 600))
    expect(limits.filter((limit) => limit.aborted).length).toBe(timedOut)
  })
})
