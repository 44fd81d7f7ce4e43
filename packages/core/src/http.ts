/**
 * The shared HTTP primitive: a GET on a keep-alive undici pool, promise-level
 * and AbortSignal-aware. Every contestant uses it by default, so the report
 * compares concurrency models rather than HTTP clients. It schedules nothing:
 * limits, timeouts and cancellation are the contestant's job.
 *
 * A GET is one undici `dispatch` with a handler of its own (`exchange.ts`):
 * the body is counted and checksummed, or copied into its own buffer, chunk
 * by chunk as undici hands it over — no response stream, async iterator or
 * per-request URL parse. Against `Pool.request` with those, a 1 KiB page at
 * concurrency 64 took 51 instead of 82 CPU µs here.
 */
import { Pool } from 'undici'
import { BodyExchange, ChecksumExchange, type Exchange } from './exchange.ts'
import { expectLoopback } from './loopback.ts'
import { sameOriginTarget } from './same-origin.ts'
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
   * as it streams by. Rejects with `HttpStatusError` for a non-2xx status (once
   * its body has been read), with `signal.reason` when aborted, and with the
   * client's error (with a `code`) when the connection fails, closes mid-body,
   * delivers a body of another length than its Content-Length, or is not HTTP.
   * Redirects are not followed; a compressed body is counted as it arrives.
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
  const parsed = typeof options?.origin === 'string' ? URL.parse(options.origin) : null
  if (parsed === null) {
    throw new TypeError(
      `Expected origin to be an http URL like http://127.0.0.1:8080, got ${JSON.stringify(options?.origin)}`,
    )
  }
  expectLoopback('origin', parsed.hostname.replace(/^\[|\]$/g, ''))
  const connections = expectInteger('connections', options.connections, 1, MAX_CONNECTIONS)
  const origin = parsed.origin
  const pool = new Pool(origin, { connections, pipelining: 1, keepAliveTimeout: 30_000 })

  function send<T>(url: string, options: HttpGetOptions | undefined, exchange: Exchange<T>) {
    const target = typeof url === 'string' ? sameOriginTarget(url, origin) : undefined
    if (target === undefined) {
      return Promise.reject(
        new TypeError(`Expected a URL on ${origin}, got ${JSON.stringify(url)}`),
      )
    }
    return exchange.send(pool, target, options?.signal)
  }

  return {
    get: (url, options) => send(url, options, new ChecksumExchange()),
    getBody: (url, options) => send(url, options, new BodyExchange()),
    // destroy, not close: close waits for requests still in flight, and after an abort
    // those are exactly the ones nobody wants; idle keep-alive sockets go either way.
    close: () => pool.destroy(),
  }
}
