import { checksumOf, FAULT_STATUS, fetchSpec, pageBody, pageUrls } from '@arena/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { fetchStats, type MockServer, startMockServer, tagUrls } from '../src/mock-server.ts'
import { snapshotResources, waitForNoLeaks } from '../src/resources.ts'

let server: MockServer
beforeAll(async () => {
  server = await startMockServer()
})
afterAll(() => server.close())

const urlOf = (fault: string, bytes = 4096, latency = 0) =>
  `${server.origin}/page/5/1?bytes=${bytes}&latency=${latency}&fault=${fault}`

describe('the mock server', () => {
  it('binds 127.0.0.1 and serves each page its deterministic body', async () => {
    expect(server.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    const spec = fetchSpec({ seed: 5, count: 3, bytes: 3000 })
    for (const [i, url] of pageUrls(spec, server.origin).entries()) {
      const body = new Uint8Array(await (await fetch(url)).arrayBuffer())
      expect(checksumOf(body)).toBe(checksumOf(pageBody(5, { index: i, bytes: 3000 })))
    }
  })

  it('answers a malformed path with 400 and says what it expected', async () => {
    const response = await fetch(`${server.origin}/page/x`)
    expect(response.status).toBe(400)
    expect(await response.text()).toMatch(/\/page\/<seed>\/<index>/)
  })

  it('waits the page latency before answering', async () => {
    const start = performance.now()
    await (await fetch(urlOf('none', 10, 120))).arrayBuffer()
    expect(performance.now() - start).toBeGreaterThanOrEqual(115)
  })

  it('injects each fault as specified', async () => {
    expect((await fetch(urlOf('status'))).status).toBe(FAULT_STATUS)
    await expect(fetch(urlOf('reset'))).rejects.toThrow()
    await expect(fetch(urlOf('stall'), { signal: AbortSignal.timeout(200) })).rejects.toMatchObject(
      { name: 'TimeoutError' },
    )
    await expect((await fetch(urlOf('truncate'))).arrayBuffer()).rejects.toThrow()
    const drip = await fetch(urlOf('drip', 100_000), { signal: AbortSignal.timeout(300) })
    expect(drip.headers.get('content-length')).toBe('100000')
    await expect(drip.arrayBuffer()).rejects.toMatchObject({ name: 'TimeoutError' })
  })

  it('counts requests in flight per run tag, and their peak', async () => {
    const spec = fetchSpec({ seed: 1, count: 5, bytes: 10, latency: { kind: 'fixed', ms: 100 } })
    const urls = tagUrls(pageUrls(spec, server.origin), 'peak-test')
    await Promise.all(urls.map(async (url) => (await fetch(url)).arrayBuffer()))
    const stats = await fetchStats(server.origin, 'peak-test')
    expect(stats).toMatchObject({ inFlight: 0, peakInFlight: 5, started: 5, served: 5 })
    expect(stats.latencyP50Ms).toBeGreaterThanOrEqual(99)
    expect((await fetchStats(server.origin, 'never-used')).started).toBe(0)
  })

  it('closes with stalled requests pending and leaves no handle behind', async () => {
    const before = snapshotResources()
    const own = await startMockServer()
    const stalled = fetch(`${own.origin}/page/1/0?bytes=1&latency=0&fault=stall`).catch(
      (error: unknown) => error,
    )
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(own.stats().inFlight).toBe(1)
    await own.close()
    expect(await stalled).toBeInstanceOf(Error)
    expect(await waitForNoLeaks(before)).toEqual([])
  })
})
