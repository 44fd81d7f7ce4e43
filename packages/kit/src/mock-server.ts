/**
 * The mock HTTP server every fetch and pipeline run talks to. It binds
 * 127.0.0.1 only, is stateless (each path says what to send: size, latency,
 * fault) and deterministic (bodies come from the seed). It counts requests in
 * flight per run tag, so a concurrency limit can be checked from the server's
 * side of the wire, where no client can fake it.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createHistogram } from 'node:perf_hooks'
import {
  DRIP_DURATION_MS,
  FAULT_STATUS,
  type PageRequest,
  pageBody,
  parsePagePath,
} from '@arena/core'

/** Requests counted for one run tag (or for the whole server). */
export interface ServerStats {
  /** Requests received and not yet finished or closed. */
  readonly inFlight: number
  /** Highest `inFlight` seen. */
  readonly peakInFlight: number
  /** Requests received. */
  readonly started: number
  /** Responses sent completely. */
  readonly served: number
  /** Median time from request to the end of a complete response, server side, ms (0 before any). */
  readonly latencyP50Ms: number
  /** 99th percentile of the same, ms. */
  readonly latencyP99Ms: number
}

/** A running mock server. */
export interface MockServer {
  /** Like `http://127.0.0.1:41234`. */
  readonly origin: string
  readonly port: number
  /** Counters of the requests whose URL carries `run=<tag>`, or of every request when no tag is given. */
  stats(tag?: string): ServerStats
  /** Stops listening, destroys every connection and clears every timer. */
  close(): Promise<void>
}

/** Query parameter that tags a request with its run, for per-run counters. */
export const RUN_TAG_PARAM = 'run'

/** The control path that answers a run's {@link ServerStats} as JSON. */
export const STATS_PATH = '/__arena/stats'

/** Adds a run tag to page URLs so the server counts them apart. */
export function tagUrls(urls: readonly string[], tag: string): string[] {
  return urls.map(
    (url) => `${url}${url.includes('?') ? '&' : '?'}${RUN_TAG_PARAM}=${encodeURIComponent(tag)}`,
  )
}

/** Reads a run's counters from a mock server, in this process or another. */
export async function fetchStats(origin: string, tag?: string): Promise<ServerStats> {
  const query = tag === undefined ? '' : `?${RUN_TAG_PARAM}=${encodeURIComponent(tag)}`
  const response = await fetch(`${origin}${STATS_PATH}${query}`)
  if (!response.ok) throw new Error(`The mock server answered ${response.status} for its stats`)
  return (await response.json()) as ServerStats
}

class Counter {
  inFlight = 0
  peakInFlight = 0
  started = 0
  served = 0
  readonly latency = createHistogram()
  begin() {
    this.started++
    this.inFlight++
    if (this.inFlight > this.peakInFlight) this.peakInFlight = this.inFlight
  }
  snapshot(): ServerStats {
    const ms = (percentile: number) =>
      this.latency.count === 0 ? 0 : this.latency.percentile(percentile) / 1000
    return {
      inFlight: this.inFlight,
      peakInFlight: this.peakInFlight,
      started: this.started,
      served: this.served,
      latencyP50Ms: ms(50),
      latencyP99Ms: ms(99),
    }
  }
}

/** Drip: this many pieces over {@link DRIP_DURATION_MS}. */
const DRIP_PIECES = 1200

function respond(
  page: PageRequest,
  req: IncomingMessage,
  res: ServerResponse,
  timers: Set<NodeJS.Timeout>,
) {
  const body = pageBody(page.seed, page)
  const headers = {
    'content-type': 'application/octet-stream',
    'content-length': String(body.length),
  }
  switch (page.fault) {
    case 'none':
      res.writeHead(200, headers).end(body)
      return
    case 'status':
      res.writeHead(FAULT_STATUS, { 'content-type': 'text/plain' }).end('injected fault: status\n')
      return
    case 'reset':
      req.socket.resetAndDestroy()
      return
    case 'stall':
      // Never answers; the client's timeout must end it.
      return
    case 'truncate':
      res.writeHead(200, headers)
      res.write(body.subarray(0, Math.floor(body.length / 2)), () => req.socket.destroy())
      return
    case 'drip': {
      res.writeHead(200, headers)
      const piece = Math.max(1, Math.ceil(body.length / DRIP_PIECES))
      let sent = 0
      const timer = setInterval(() => {
        res.write(body.subarray(sent, sent + piece))
        sent += piece
        if (sent >= body.length) {
          clearInterval(timer)
          timers.delete(timer)
          res.end()
        }
      }, DRIP_DURATION_MS / DRIP_PIECES)
      timers.add(timer)
      res.once('close', () => {
        clearInterval(timer)
        timers.delete(timer)
      })
      return
    }
  }
}

/** Options of {@link startMockServer}. */
export interface MockServerOptions {
  /** Port on 127.0.0.1; 0 (the default) picks a free ephemeral port. */
  readonly port?: number
}

/** Starts the mock server on 127.0.0.1 and resolves once it listens. */
export async function startMockServer({ port = 0 }: MockServerOptions = {}): Promise<MockServer> {
  const total = new Counter()
  const byTag = new Map<string, Counter>()
  const timers = new Set<NodeJS.Timeout>()

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    const tag = url.searchParams.get(RUN_TAG_PARAM) ?? undefined
    if (url.pathname === STATS_PATH) {
      const counter = tag === undefined ? total : (byTag.get(tag) ?? new Counter())
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify(counter.snapshot()))
      return
    }
    let page: PageRequest
    try {
      page = parsePagePath(req.url ?? '/')
    } catch (error) {
      res.writeHead(400, { 'content-type': 'text/plain' }).end(`${(error as Error).message}\n`)
      return
    }
    const counters = [total]
    if (tag !== undefined) {
      const counter = byTag.get(tag) ?? new Counter()
      byTag.set(tag, counter)
      counters.push(counter)
    }
    for (const c of counters) c.begin()
    const arrived = performance.now()
    res.once('finish', () => {
      const micros = Math.max(1, Math.round((performance.now() - arrived) * 1000))
      for (const c of counters) {
        c.served++
        c.latency.record(micros)
      }
    })
    res.once('close', () => {
      for (const c of counters) c.inFlight--
    })
    if (page.latencyMs === 0) return respond(page, req, res, timers)
    const timer = setTimeout(() => {
      timers.delete(timer)
      respond(page, req, res, timers)
    }, page.latencyMs)
    timers.add(timer)
    res.once('close', () => {
      clearTimeout(timer)
      timers.delete(timer)
    })
  })
  // Keep-alive connections stay open between a run's requests, as a real pool expects.
  server.keepAliveTimeout = 60_000
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen({ host: '127.0.0.1', port, backlog: 4096 }, () => resolve())
  })
  const address = server.address() as AddressInfo
  return {
    origin: `http://127.0.0.1:${address.port}`,
    port: address.port,
    stats: (tag) => (tag === undefined ? total : (byTag.get(tag) ?? new Counter())).snapshot(),
    close: async () => {
      for (const timer of timers) clearTimeout(timer)
      timers.clear()
      const closed = new Promise<void>((resolve) => server.close(() => resolve()))
      server.closeAllConnections()
      await closed
    },
  }
}
