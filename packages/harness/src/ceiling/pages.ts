/**
 * The ceiling's HTTP client: `concurrency` lanes of undici `dispatch` calls,
 * each with a handler that counts and CRCs the body chunk by chunk as undici
 * hands it over (or keeps it in its own `ArrayBuffer`, for the pipeline). No
 * promise, stream, async iterator or `AbortSignal` per request: one abort
 * listener and one coarse deadline sweep serve the whole run, and a lane
 * dispatches its next request from the handler's own callback. Everything a
 * contestant's answer must show is still checked: undici fails a body whose
 * length differs from its Content-Length, a non-2xx answer is drained and
 * ends as `http-status`, an error as `network` (both through core's
 * `failureOf`), a request past `timeoutMs` as `timeout`.
 */
import { performance } from 'node:perf_hooks'
import { crc32 } from 'node:zlib'
import {
  checkFetchInput,
  type Failure,
  type FetchValue,
  failed,
  failureOf,
  formatChecksum,
  HttpStatusError,
  MAX_PAYLOAD_BYTES,
  type Outcome,
  success,
} from '@arena/core'
import type { Dispatcher } from 'undici'

/** What one call asks of the downloader. */
export interface PageRunOptions {
  /** Lanes, so requests in flight (≥ 1). */
  readonly concurrency: number
  /** Deadline of one request with its body, ms. */
  readonly timeoutMs: number
  readonly signal?: AbortSignal | undefined
  /** Called as each request is handed to its connection (core's `RunOptions.onStart`). */
  readonly onStart?: ((index: number) => void) | undefined
}

/** Where a run's answers go: a checksummed page, a kept body, or a failure, once per item. */
export interface PageSink {
  /** `undefined`: checksum each body (fetch); a function: keep each 2xx body and hand it over (pipeline). */
  readonly keep?: ((index: number, body: Uint8Array<ArrayBuffer>) => void) | undefined
  page(index: number, value: FetchValue): void
  fail(index: number, failure: Failure): void
}

/** A path the WHATWG URL parser leaves as it is: only characters it never encodes, no fragment, no dot segment. */
const plainPath = /^\/(?:[\w\-.~!$&()*+,;=:@/?%](?<!\/\.))*$/

/**
 * The request paths of `urls` (all on one origin, which core's check
 * returns): each URL with its origin sliced off, parsed only when it is not
 * spelled in the origin's own form or its path is one the URL parser would
 * rewrite — so the request line is the one `new URL` would give.
 * @throws TypeError as core's `checkFetchInput`
 */
export function pagePaths(input: unknown): { origin: string | undefined; paths: string[] } {
  const origin = checkFetchInput(input)
  const urls = (input as { urls: readonly string[] }).urls
  const paths = urls.map((url) => {
    if (origin !== undefined && url.startsWith(origin) && url[origin.length] === '/') {
      const path = url.slice(origin.length)
      if (plainPath.test(path)) return path
    }
    const parsed = new URL(url)
    return parsed.pathname + parsed.search
  })
  return { origin, paths }
}

class PageHandler implements Dispatcher.DispatchHandler {
  readonly run: PageRun
  readonly index: number
  readonly startedAt: number
  controller: Dispatcher.DispatchController | undefined = undefined
  status = 0
  bytes = 0
  crc = 0
  body: Uint8Array<ArrayBuffer> | undefined = undefined
  settled = false

  constructor(run: PageRun, index: number) {
    this.run = run
    this.index = index
    this.startedAt = performance.now()
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.controller = controller
    // Settled while it waited for a connection (cut off, or the run aborted): it must not go out.
    if (this.settled)
      controller.abort((this.run.stopReason ?? new Error('no longer wanted')) as Error)
    else this.run.onStart?.(this.index)
  }

  onResponseStart(
    _controller: Dispatcher.DispatchController,
    status: number,
    headers: Record<string, string | string[] | undefined>,
  ): void {
    this.status = status
    if (this.run.sink.keep && status >= 200 && status <= 299) {
      const declared = Number(headers['content-length'])
      // Sized from Content-Length: one allocation, never a slice of Node's shared pool.
      const size = Number.isSafeInteger(declared) && declared <= MAX_PAYLOAD_BYTES ? declared : 0
      this.body = new Uint8Array(Math.max(0, size))
    }
  }

  onResponseData(_controller: Dispatcher.DispatchController, chunk: Buffer): void {
    const body = this.body
    if (body) {
      if (this.bytes + chunk.length > body.length) {
        const grown = new Uint8Array(Math.max(body.length * 2, this.bytes + chunk.length))
        grown.set(body.subarray(0, this.bytes))
        this.body = grown
      }
      ;(this.body as Uint8Array).set(chunk, this.bytes)
    } else if (!this.run.sink.keep) {
      this.crc = crc32(chunk, this.crc)
    }
    this.bytes += chunk.length
  }

  onResponseEnd(): void {
    this.run.end(this)
  }

  onResponseError(_controller: Dispatcher.DispatchController | null, error: Error): void {
    this.run.error(this, error)
  }
}

/** One call's lanes over its paths. */
class PageRun {
  readonly sink: PageSink
  readonly onStart: ((index: number) => void) | undefined
  stopReason: unknown
  readonly #dispatcher: Dispatcher
  readonly #paths: readonly string[]
  readonly #options: PageRunOptions
  readonly #inFlight = new Set<PageHandler>()
  #next = 0
  #settledCount = 0
  #finish: () => void = () => {}
  #sweep: NodeJS.Timeout | undefined
  #onAbort: (() => void) | undefined

  constructor(
    dispatcher: Dispatcher,
    paths: readonly string[],
    options: PageRunOptions,
    sink: PageSink,
  ) {
    this.#dispatcher = dispatcher
    this.#paths = paths
    this.#options = options
    this.sink = sink
    this.onStart = options.onStart
  }

  start(): Promise<void> {
    const { signal, concurrency, timeoutMs } = this.#options
    return new Promise((resolve) => {
      this.#finish = resolve
      if (this.#paths.length === 0) return this.#close()
      if (signal?.aborted) return this.#abortAll(signal.reason)
      if (signal) {
        this.#onAbort = () => this.#abortAll(signal.reason)
        signal.addEventListener('abort', this.#onAbort, { once: true })
      }
      // One timer for the run instead of one per request: a request is cut off
      // between timeoutMs and 1.25 × timeoutMs after it was dispatched.
      this.#sweep = setInterval(() => this.#expire(), Math.max(1, Math.ceil(timeoutMs / 4)))
      const lanes = Math.min(concurrency, this.#paths.length)
      for (let lane = 0; lane < lanes && this.#sweep !== undefined; lane++) this.#launch()
    })
  }

  #launch(): void {
    if (this.stopReason !== undefined || this.#next >= this.#paths.length) return
    const index = this.#next++
    const handler = new PageHandler(this, index)
    this.#inFlight.add(handler)
    this.#dispatcher.dispatch({ path: this.#paths[index] as string, method: 'GET' }, handler)
  }

  end(handler: PageHandler): void {
    if (handler.settled) return
    const { status } = handler
    if (status < 200 || status > 299) {
      this.#settle(handler, failureOf(new HttpStatusError(status)))
      return
    }
    const keep = this.sink.keep
    if (keep) {
      const body = handler.body ?? new Uint8Array(0)
      this.#settle(handler, undefined)
      keep(handler.index, handler.bytes === body.length ? body : body.slice(0, handler.bytes))
    } else {
      this.#settle(handler, undefined)
      this.sink.page(handler.index, {
        status,
        bytes: handler.bytes,
        checksum: formatChecksum(handler.crc),
      })
    }
  }

  error(handler: PageHandler, error: unknown): void {
    if (handler.settled) return
    // A failed dispatch can call back synchronously; the next one starts on a fresh stack.
    this.#settle(handler, failureOf(error), true)
  }

  #settle(handler: PageHandler, failure: Failure | undefined, deferNext = false): void {
    handler.settled = true
    this.#inFlight.delete(handler)
    this.#settledCount++
    if (failure) this.sink.fail(handler.index, failure)
    if (this.#settledCount === this.#paths.length) this.#close()
    else if (deferNext) queueMicrotask(() => this.#launch())
    else this.#launch()
  }

  #expire(): void {
    const now = performance.now()
    const limit = this.#options.timeoutMs
    for (const handler of this.#inFlight) {
      if (now - handler.startedAt < limit) continue
      const reason = new DOMException(`request exceeded ${limit} ms`, 'TimeoutError')
      // Settled first: undici may call the handler's onResponseError from abort() itself.
      this.#settle(handler, failureOf(reason))
      handler.controller?.abort(reason)
    }
  }

  #abortAll(reason: unknown): void {
    if (this.stopReason !== undefined) return
    this.stopReason = reason ?? new DOMException('This operation was aborted', 'AbortError')
    for (const handler of this.#inFlight) {
      handler.settled = true
      handler.controller?.abort(this.stopReason as Error)
    }
    this.#inFlight.clear()
    const failure = failureOf(this.stopReason, this.#options.signal)
    for (let index = 0; index < this.#paths.length; index++) this.sink.fail(index, failure)
    this.#close()
  }

  #close(): void {
    clearInterval(this.#sweep)
    this.#sweep = undefined
    if (this.#onAbort) this.#options.signal?.removeEventListener('abort', this.#onAbort)
    this.#finish()
  }
}

/**
 * Downloads every path on `dispatcher` with `concurrency` lanes and reports
 * each item to `sink` exactly once — except after an abort, which reports
 * every item as aborted (the sink keeps the first answer of each item).
 */
export function downloadPages(
  dispatcher: Dispatcher,
  paths: readonly string[],
  options: PageRunOptions,
  sink: PageSink,
): Promise<void> {
  return new PageRun(dispatcher, paths, options, sink).start()
}

/**
 * A sink that collects fetch outcomes in input order; the first answer of
 * each item wins and is the one reported to `onOutcome`.
 */
export function fetchOutcomes(
  count: number,
  onOutcome?: ((index: number, outcome: Outcome<FetchValue>) => void) | undefined,
): { outcomes: Outcome<FetchValue>[]; sink: PageSink } {
  const outcomes: Outcome<FetchValue>[] = new Array(count)
  const answer = (index: number, outcome: Outcome<FetchValue>) => {
    if (outcomes[index] !== undefined) return
    outcomes[index] = outcome
    onOutcome?.(index, outcome)
  }
  return {
    outcomes,
    sink: {
      page: (index, value) => answer(index, success(value)),
      fail: (index, failure) => {
        if (outcomes[index] === undefined) answer(index, failed(failure))
      },
    },
  }
}
