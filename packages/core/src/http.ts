/**
 * The shared HTTP primitive: a GET on a keep-alive undici pool, promise-level
 * and AbortSignal-aware. Every contestant uses it by default, so the report
 * compares concurrency models rather than HTTP clients. It schedules nothing:
 * limits, timeouts and cancellation are the contestant's job.
 */
import type { Readable } from 'node:stream'
import { crc32 } from 'node:zlib'
import { Pool } from 'undici'
import { formatChecksum } from './fetch.ts'
import { expectLoopback } from './loopback.ts'
import { HttpStatusError } from './outcome.ts'
import { expectInteger } from './validate.ts'

/** What {@link HttpClient.get} returns. */
export interface HttpGetResult {
  /** HTTP status, 2xx (anything else rejects with `HttpStatusError`). */
  readonly status: number
  /** Body length, in bytes. */
  readonly bytes: number
  /** CRC-32 of the body, 8 lowercase hex digits. */
  readonly checksum: string
}

/** What {@link HttpClient.getBody} returns. */
export interface HttpBodyResult {
  /** HTTP status, 2xx (anything else rejects with `HttpStatusError`). */
  readonly status: number
  /** The body, in its own `ArrayBuffer`: safe to transfer to a worker. */
  readonly body: Uint8Array
}

/** Options of one GET. */
export interface HttpGetOptions {
  /** Aborts the request, including the body download; the promise rejects with `signal.reason`. */
  readonly signal?: AbortSignal
}

/** A keep-alive connection pool to one origin. */
export interface HttpClient {
  /**
   * GETs `url` (same origin as the client), counting and checksumming the body
   * as it streams by. Rejects with `HttpStatusError` for a non-2xx status, with
   * `signal.reason` when aborted, and with the client's error (with a `code`)
   * when the connection fails or closes mid-body.
   */
  get(url: string, options?: HttpGetOptions): Promise<HttpGetResult>
  /** As {@link HttpClient.get}, but keeps the body (the pipeline hashes it) instead of checksumming it. */
  getBody(url: string, options?: HttpGetOptions): Promise<HttpBodyResult>
  /** Closes every connection; pending requests fail. */
  close(): Promise<void>
}

/** Options of {@link createHttpClient}. */
export interface HttpClientOptions {
  /** A loopback origin, like `http://127.0.0.1:41234`. */
  readonly origin: string
  /** Connections in the pool: size it to the run's concurrency. */
  readonly connections: number
}

/** Largest accepted pool size. */
export const MAX_CONNECTIONS = 100_000

/**
 * Creates a keep-alive pool of `connections` connections to a loopback origin.
 * @throws TypeError for a non-loopback origin or a bad pool size
 */
export function createHttpClient(options: HttpClientOptions): HttpClient {
  if (typeof options?.origin !== 'string' || !URL.canParse(options.origin)) {
    throw new TypeError(
      `Expected origin to be an http URL like http://127.0.0.1:8080, got ${JSON.stringify(options?.origin)}`,
    )
  }
  const origin = new URL(options.origin)
  expectLoopback('origin', origin.hostname.replace(/^\[|\]$/g, ''))
  const connections = expectInteger('connections', options.connections, 1, MAX_CONNECTIONS)
  const pool = new Pool(origin.origin, { connections, pipelining: 1, keepAliveTimeout: 30_000 })

  async function request<T>(
    url: string,
    signal: AbortSignal | undefined,
    read: (body: Readable, declaredBytes: number) => Promise<T>,
  ): Promise<{ status: number } & T> {
    const target = new URL(url)
    if (target.origin !== origin.origin) {
      throw new TypeError(`Expected a URL on ${origin.origin}, got ${JSON.stringify(url)}`)
    }
    try {
      const response = await pool.request({
        path: target.pathname + target.search,
        method: 'GET',
        signal: signal ?? null,
      })
      if (response.statusCode < 200 || response.statusCode > 299) {
        await response.body.dump()
        throw new HttpStatusError(response.statusCode)
      }
      const declared = Number(response.headers['content-length'])
      return {
        status: response.statusCode,
        ...(await read(response.body, Number.isSafeInteger(declared) ? declared : 0)),
      }
    } catch (error) {
      // Clients throw many shapes on abort; the signal knows why, so its reason wins.
      if (signal?.aborted) throw signal.reason
      throw error
    }
  }

  const get = (url: string, { signal }: HttpGetOptions = {}) =>
    request(url, signal, async (stream) => {
      let bytes = 0
      let crc = 0
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        crc = crc32(chunk, crc)
        bytes += chunk.length
      }
      return { bytes, checksum: formatChecksum(crc) }
    })

  const getBody = (url: string, { signal }: HttpGetOptions = {}) =>
    request(url, signal, async (stream, declared) => {
      // A fresh ArrayBuffer sized from Content-Length: never a slice of Node's shared
      // Buffer pool, which a transfer to a worker would detach for everyone.
      let body = new Uint8Array(declared)
      let bytes = 0
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        if (bytes + chunk.length > body.length) {
          const grown = new Uint8Array(Math.max(body.length * 2, bytes + chunk.length))
          grown.set(body.subarray(0, bytes))
          body = grown
        }
        body.set(chunk, bytes)
        bytes += chunk.length
      }
      return { body: bytes === body.length ? body : body.slice(0, bytes) }
    })

  // destroy, not close: close waits for requests still in flight, and after an abort
  // those are exactly the ones nobody wants; idle keep-alive sockets go either way.
  return { get, getBody, close: () => pool.destroy() }
}
