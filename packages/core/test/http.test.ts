import { getEventListeners } from 'node:events'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { checksumOf } from '../src/fetch.ts'
import { createHttpClient, type HttpClient } from '../src/http.ts'
import { failureOf, HttpStatusError } from '../src/outcome.ts'
import {
  BODY,
  GZIPPED,
  startHttpServer,
  startRawServer,
  type TestServer,
} from './support/http-servers.ts'

let http: TestServer
let raw: TestServer
beforeAll(async () => {
  ;[http, raw] = await Promise.all([startHttpServer(), startRawServer()])
})
afterAll(async () => {
  await Promise.all([http.close(), raw.close()])
})

/** Runs `body` with a fresh client on `server`, closed afterwards. */
async function withClient(
  server: TestServer,
  body: (client: HttpClient, origin: string) => Promise<void>,
  connections = 2,
) {
  const client = createHttpClient({ origin: server.origin, connections })
  try {
    await body(client, server.origin)
  } finally {
    await client.close()
  }
}

const ownsItsBuffer = (view: Uint8Array) =>
  view.byteOffset === 0 && view.buffer.byteLength === view.byteLength

describe('createHttpClient: bodies', () => {
  it('counts and checksums a body, or keeps it in a buffer of its own', () =>
    withClient(http, async (client, origin) => {
      expect(await client.get(`${origin}/ok`)).toEqual({
        status: 200,
        bytes: BODY.length,
        checksum: checksumOf(BODY),
      })
      const { status, body } = await client.getBody(`${origin}/ok`)
      expect(status).toBe(200)
      expect(Buffer.from(body).equals(BODY)).toBe(true)
      expect(ownsItsBuffer(body)).toBe(true)
    }))

  it('reads chunked, close-delimited, empty (204) and informational-first answers whole', async () => {
    await withClient(http, async (client, origin) => {
      const chunked = await client.getBody(`${origin}/chunked`)
      expect(Buffer.from(chunked.body).equals(BODY) && ownsItsBuffer(chunked.body)).toBe(true)
      expect(await client.get(`${origin}/chunked`)).toMatchObject({ checksum: checksumOf(BODY) })
      expect(await client.get(`${origin}/empty`)).toEqual({
        status: 204,
        bytes: 0,
        checksum: '00000000',
      })
      expect((await client.getBody(`${origin}/empty`)).body.length).toBe(0)
      expect(await client.get(`${origin}/early-hints`)).toMatchObject({
        status: 200,
        bytes: BODY.length,
      })
    })
    await withClient(raw, async (client, origin) => {
      expect(await client.get(`${origin}/close-delimited`)).toMatchObject({
        bytes: BODY.length,
        checksum: checksumOf(BODY),
      })
      const { body } = await client.getBody(`${origin}/close-delimited`)
      expect(Buffer.from(body).equals(BODY) && ownsItsBuffer(body)).toBe(true)
    })
  })

  it('counts a compressed body as it arrives, without decompressing it', () =>
    withClient(http, async (client, origin) => {
      expect(await client.get(`${origin}/gzip`)).toEqual({
        status: 200,
        bytes: GZIPPED.length,
        checksum: checksumOf(GZIPPED),
      })
    }))

  it('keeps many bodies apart when they share connections', () =>
    withClient(
      http,
      async (client, origin) => {
        const bodies = await Promise.all(
          Array.from({ length: 40 }, (_, i) => client.getBody(`${origin}/page-${i}`)),
        )
        bodies.forEach(({ body }, i) => {
          expect(Buffer.from(body).toString()).toBe(`/page-${i}`)
        })
      },
      3,
    ))
})

describe('createHttpClient: failures', () => {
  it('rejects a non-2xx answer with HttpStatusError once its body is read, and follows no redirect', () =>
    withClient(
      http,
      async (client, origin) => {
        await expect(client.get(`${origin}/missing`)).rejects.toEqual(new HttpStatusError(404))
        await expect(client.getBody(`${origin}/redirect`)).rejects.toEqual(new HttpStatusError(302))
        const before = http.requests()
        // One connection: had a body been left unread, this request could not reuse it.
        expect(await client.get(`${origin}/ok`)).toMatchObject({ status: 200 })
        expect(http.targets.slice(before)).toEqual(['/ok'])
      },
      1,
    ))

  it('fails a reset, a truncated body, a short body and garbage as network errors with a code', async () => {
    const networkCode = async (promise: Promise<unknown>) => {
      const failure = failureOf(
        await promise.then(
          () => undefined,
          (error: unknown) => error,
        ),
      )
      expect(failure.kind).toBe('network')
      return failure.kind === 'network' ? failure.code : ''
    }
    await withClient(http, async (client, origin) => {
      for (const path of ['/reset', '/truncate']) {
        expect(await networkCode(client.get(`${origin}${path}`))).toMatch(/^(E|UND_ERR)/)
        expect(await networkCode(client.getBody(`${origin}${path}`))).toMatch(/^(E|UND_ERR)/)
      }
    })
    await withClient(raw, async (client, origin) => {
      expect(await networkCode(client.get(`${origin}/short`))).toMatch(/^UND_ERR/)
      // A Content-Length no page reaches allocates nothing up front: the truncation decides.
      expect(await networkCode(client.getBody(`${origin}/huge-length`))).toMatch(/^UND_ERR/)
      // undici 8.13 builds its HTTPParserError without a code: core's union calls it UNKNOWN.
      expect(await networkCode(client.get(`${origin}/not-http`))).toMatch(/^(HPE_|UNKNOWN$)/)
    })
  })

  it('refuses non-loopback origins and URLs of another origin, as rejections', async () => {
    expect(() => createHttpClient({ origin: 'http://example.com', connections: 1 })).toThrow(
      /loopback/,
    )
    expect(() => createHttpClient({ origin: 'not a url', connections: 1 })).toThrow(/origin/)
    expect(() => createHttpClient({ origin: http.origin, connections: 0 })).toThrow(/connections/)
    await withClient(http, async (client, origin) => {
      const before = http.requests()
      const port = new URL(origin).port
      for (const url of [
        'http://127.0.0.2:1/x',
        `http://127.0.0.1:${port}@127.0.0.2/x`,
        `http://127.0.0.1:${port}0/x`,
        `https://127.0.0.1:${port}/x`,
        'not a url',
        42 as unknown as string,
      ]) {
        await expect(client.get(url)).rejects.toThrow(TypeError)
      }
      expect(http.requests()).toBe(before)
    })
  })
})

describe('createHttpClient: aborts', () => {
  it('starts nothing for a signal already aborted, and rejects with its reason', () =>
    withClient(http, async (client, origin) => {
      const reason = new DOMException('too slow', 'TimeoutError')
      const before = http.requests()
      await expect(client.get(`${origin}/ok`, { signal: AbortSignal.abort(reason) })).rejects.toBe(
        reason,
      )
      expect(http.requests()).toBe(before)
    }))

  it('rejects with the reason when aborted before the answer, mid-body, or while queued', () =>
    withClient(
      http,
      async (client, origin) => {
        const oks = () => http.targets.filter((t) => t === '/ok').length
        const oksBefore = oks()
        const waiting = new AbortController()
        const midBody = new AbortController()
        const queued = new AbortController()
        const stalled = client.get(`${origin}/stall`, { signal: waiting.signal })
        const half = client.getBody(`${origin}/half`, { signal: midBody.signal })
        // Two connections, both busy: this one waits in the pool.
        const third = client.get(`${origin}/ok`, { signal: queued.signal })
        await expect.poll(() => http.targets.filter((t) => t === '/half').length).toBe(1)
        const reasons = [new Error('queued'), new Error('mid-body'), new Error('waiting')]
        queued.abort(reasons[0])
        midBody.abort(reasons[1])
        waiting.abort(reasons[2])
        await expect(third).rejects.toBe(reasons[0])
        await expect(half).rejects.toBe(reasons[1])
        await expect(stalled).rejects.toBe(reasons[2])
        // The queued request never went out, and the client stays usable.
        expect(oks()).toBe(oksBefore)
        expect(await client.get(`${origin}/ok`)).toMatchObject({ status: 200 })
        expect(oks()).toBe(oksBefore + 1)
      },
      2,
    ))

  it('leaves no listener on the signal once it settles, however it settles', () =>
    withClient(http, async (client, origin) => {
      const controller = new AbortController()
      const { signal } = controller
      await client.get(`${origin}/ok`, { signal })
      await client.getBody(`${origin}/ok`, { signal })
      await client.get(`${origin}/missing`, { signal }).catch(() => {})
      await client.get(`${origin}/reset`, { signal }).catch(() => {})
      expect(getEventListeners(signal, 'abort')).toHaveLength(0)
      // A late abort reaches nothing and breaks nothing.
      controller.abort()
      expect(await client.get(`${origin}/ok`)).toMatchObject({ status: 200 })
    }))
})
