/**
 * One GET as an undici dispatch handler: the request's promise, its abort
 * listener and its body's running count and CRC-32 (or its own buffer) in
 * one object, driven by undici's controller callbacks. Exactly one of
 * resolve or reject happens, whichever comes first of: the response's end
 * (a 2xx resolves, anything else rejects with `HttpStatusError` — undici has
 * read the body by then), undici's error (connection refused or reset, body
 * shorter or longer than its Content-Length, bytes that are not HTTP, the
 * pool destroyed) and the signal's abort, whose reason always wins.
 */
import { crc32 } from 'node:zlib'
import type { Dispatcher } from 'undici'
import { formatChecksum } from './fetch.ts'
import type { HttpBodyResult, HttpGetResult } from './http.ts'
import { HttpStatusError } from './outcome.ts'
import { MAX_PAYLOAD_BYTES } from './random.ts'

type Controller = Dispatcher.DispatchController

/** The state of one GET; a subclass decides what the body becomes. */
export abstract class Exchange<T> implements Dispatcher.DispatchHandler {
  status = 0
  settled = false
  signal: AbortSignal | undefined = undefined
  controller: Controller | undefined = undefined
  resolve: (value: T) => void = noop
  reject: (reason: unknown) => void = noop
  onAbort: (() => void) | undefined = undefined

  /** Dispatches `GET target` on `dispatcher`; settles as the module header says. */
  send(dispatcher: Dispatcher, target: string, signal: AbortSignal | undefined): Promise<T> {
    if (signal?.aborted) return Promise.reject(signal.reason)
    return new Promise<T>((resolve, reject) => {
      this.resolve = resolve
      this.reject = reject
      if (signal) {
        this.signal = signal
        // A function, not the exchange as a listener object: Node wraps an object's
        // handleEvent in an async function, a closure and a promise per call.
        this.onAbort = () => this.abort()
        signal.addEventListener('abort', this.onAbort)
      }
      dispatcher.dispatch({ path: target, method: 'GET' }, this)
    })
  }

  /** The signal aborted: reject with its reason now, and stop the request wherever it is. */
  abort(): void {
    if (this.settled) return
    const reason = this.signal?.reason
    this.finish()
    this.reject(reason)
    // After settling: undici calls onResponseError from within abort().
    this.controller?.abort(reason)
  }

  onRequestStart(controller: Controller): void {
    // Aborted while it waited for a connection: it must not go out.
    if (this.settled) controller.abort(this.signal?.reason)
    else this.controller = controller
  }

  onResponseStart(
    _controller: Controller,
    status: number,
    headers: Record<string, string | string[] | undefined>,
  ): void {
    // 1xx answers are informational: the real one follows on the same request.
    if (status < 200) return
    this.status = status
    if (status <= 299) this.begin(headers['content-length'])
  }

  onResponseData(_controller: Controller, chunk: Buffer): void {
    // A non-2xx body is only drained: undici reads it to keep the connection.
    if (this.status <= 299) this.take(chunk)
  }

  onResponseEnd(): void {
    if (this.settled) return
    this.finish()
    if (this.status < 200 || this.status > 299) this.reject(new HttpStatusError(this.status))
    else this.resolve(this.result())
  }

  onResponseError(_controller: Controller | null, error: Error): void {
    if (this.settled) return
    this.finish()
    // Clients throw many shapes on abort; the signal knows why, so its reason wins.
    this.reject(this.signal?.aborted ? this.signal.reason : error)
  }

  finish(): void {
    this.settled = true
    if (this.onAbort) this.signal?.removeEventListener('abort', this.onAbort)
  }

  /** A 2xx response starts, with its Content-Length header if it has one. */
  abstract begin(contentLength: string | string[] | undefined): void
  /** A chunk of a 2xx body; undici may reuse its memory once this returns. */
  abstract take(chunk: Buffer): void
  /** What the GET resolves with, once the whole body is in. */
  abstract result(): T
}

/** `get`: the body's length and CRC-32, nothing kept. */
export class ChecksumExchange extends Exchange<HttpGetResult> {
  bytes = 0
  crc = 0
  begin(): void {}
  take(chunk: Buffer): void {
    this.crc = crc32(chunk, this.crc)
    this.bytes += chunk.length
  }
  result(): HttpGetResult {
    return { status: this.status, bytes: this.bytes, checksum: formatChecksum(this.crc) }
  }
}

/** `getBody`: the body in an `ArrayBuffer` of its own. */
export class BodyExchange extends Exchange<HttpBodyResult> {
  bytes = 0
  body = new Uint8Array(0)
  begin(contentLength: string | string[] | undefined): void {
    const declared = Number(contentLength)
    // A fresh ArrayBuffer sized from Content-Length: never a slice of Node's shared
    // Buffer pool, which a transfer to a worker would detach for everyone. A length
    // past any page is not trusted with an allocation before its bytes arrive.
    if (Number.isSafeInteger(declared) && declared > 0)
      this.body = new Uint8Array(Math.min(declared, MAX_PAYLOAD_BYTES))
  }
  take(chunk: Buffer): void {
    const end = this.bytes + chunk.length
    if (end > this.body.length) {
      const grown = new Uint8Array(Math.max(this.body.length * 2, end))
      grown.set(this.body.subarray(0, this.bytes))
      this.body = grown
    }
    this.body.set(chunk, this.bytes)
    this.bytes = end
  }
  result(): HttpBodyResult {
    const { body, bytes } = this
    return { status: this.status, body: bytes === body.length ? body : body.slice(0, bytes) }
  }
}

function noop(): void {}
