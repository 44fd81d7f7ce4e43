import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { checksumOf } from '../src/fetch.ts'
import { createHttpClient } from '../src/http.ts'
import { HttpStatusError } from '../src/outcome.ts'
import { tcpProbe } from '../src/tcp.ts'

const body = Buffer.from('x'.repeat(5000))
let server: Server
let origin: string
let port: number

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === '/missing') res.writeHead(404).end('no')
    else if (req.url === '/slow') setTimeout(() => res.end(body), 5000).unref()
    else res.writeHead(200, { 'content-length': body.length }).end(body)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  port = (server.address() as AddressInfo).port
  origin = `http://127.0.0.1:${port}`
})
afterAll(async () => {
  server.closeAllConnections()
  await new Promise((resolve) => server.close(resolve))
})

describe('createHttpClient', () => {
  it('counts and checksums a body, or keeps it in a buffer of its own', async () => {
    const client = createHttpClient({ origin, connections: 2 })
    try {
      expect(await client.get(`${origin}/ok`)).toEqual({
        status: 200,
        bytes: 5000,
        checksum: checksumOf(body),
      })
      const { body: kept } = await client.getBody(`${origin}/ok`)
      expect(Buffer.from(kept).equals(body)).toBe(true)
      expect(kept.byteOffset === 0 && kept.buffer.byteLength === kept.byteLength).toBe(true)
    } finally {
      await client.close()
    }
  })

  it('rejects a non-2xx status with HttpStatusError, and an abort with the signal reason', async () => {
    const client = createHttpClient({ origin, connections: 2 })
    try {
      await expect(client.get(`${origin}/missing`)).rejects.toEqual(new HttpStatusError(404))
      const reason = new DOMException('too slow', 'TimeoutError')
      await expect(
        client.get(`${origin}/slow`, { signal: AbortSignal.abort(reason) }),
      ).rejects.toBe(reason)
      const controller = new AbortController()
      const pending = client.get(`${origin}/slow`, { signal: controller.signal })
      setTimeout(() => controller.abort(), 20)
      await expect(pending).rejects.toMatchObject({ name: 'AbortError' })
    } finally {
      await client.close()
    }
  })

  it('refuses non-loopback origins and URLs of another origin', async () => {
    expect(() => createHttpClient({ origin: 'http://example.com', connections: 1 })).toThrow(
      /loopback/,
    )
    expect(() => createHttpClient({ origin, connections: 0 })).toThrow(/connections/)
    const client = createHttpClient({ origin, connections: 1 })
    await expect(client.get('http://127.0.0.2:1/x')).rejects.toThrow(/Expected a URL on/)
    await client.close()
  })
})

describe('tcpProbe', () => {
  it('finds a listening port open and a free one closed', async () => {
    expect(await tcpProbe('127.0.0.1', port)).toBe('open')
    const free = createServer()
    await new Promise<void>((resolve) => free.listen(0, '127.0.0.1', resolve))
    const freePort = (free.address() as AddressInfo).port
    await new Promise((resolve) => free.close(resolve))
    expect(await tcpProbe('127.0.0.1', freePort)).toBe('closed')
  })

  it('rejects with the signal reason when aborted, and refuses non-loopback hosts', async () => {
    const reason = new Error('stop')
    await expect(tcpProbe('127.0.0.1', port, { signal: AbortSignal.abort(reason) })).rejects.toBe(
      reason,
    )
    expect(() => tcpProbe('10.0.0.1', 80)).toThrow(/loopback/)
    expect(() => tcpProbe('127.0.0.1', 0)).toThrow(/port/)
  })
})
