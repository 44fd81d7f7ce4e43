/**
 * The `fetch` workload (I/O-bound): download N pages from the mock server with
 * at most `concurrency` requests in flight. Each item's path encodes its whole
 * behaviour (size, latency, injected fault), so the server is stateless and a
 * spec sent to a child process reproduces exactly.
 */
import { crc32 } from 'node:zlib'
import { expectLoopback } from './loopback.ts'
import type { Failure, Outcome } from './outcome.ts'
import { createRandom, MAX_PAYLOAD_BYTES, payloadView } from './random.ts'
import { startsWithOrigin } from './same-origin.ts'
import { expectArray, expectInteger, expectNumber, expectObject, expectOneOf } from './validate.ts'

/** Faults the mock server can inject into one response. */
export const faults = ['none', 'status', 'reset', 'stall', 'truncate', 'drip'] as const
/** One of {@link faults}: `status` answers 503; `reset` resets the connection; `stall` never answers; `truncate` closes mid-body; `drip` sends the body too slowly to finish within any timeout. */
export type Fault = (typeof faults)[number]

/** The status code of a `status` fault. */
export const FAULT_STATUS = 503

/** How long a `drip` response takes to send its body, in milliseconds: longer than any timeout Arena uses. */
export const DRIP_DURATION_MS = 120_000

/** Per-request latency added by the server before it answers. */
export type Latency =
  | { readonly kind: 'none' }
  | { readonly kind: 'fixed'; readonly ms: number }
  | { readonly kind: 'uniform'; readonly minMs: number; readonly maxMs: number }
  | { readonly kind: 'exponential'; readonly meanMs: number }

/** Probability, from 0 to 1, of each fault per request. Their sum must not exceed 1. */
export type FaultPlan = Partial<Record<Exclude<Fault, 'none'>, number>>

/** One page to download. */
export interface PageItem {
  /** Position in the input, from 0. */
  readonly index: number
  /** Body size in bytes. */
  readonly bytes: number
  /** Server-side delay before answering, in milliseconds. */
  readonly latencyMs: number
  /** The fault the server injects into this response. */
  readonly fault: Fault
}

/** Parameters of a page spec (shared by `fetch` and `pipeline`). */
export interface PageSpecParams {
  /** Seed of every random choice and of the bodies; an unsigned 32-bit integer. */
  readonly seed: number
  /** Number of pages. */
  readonly count: number
  /** Body size of every page, in bytes. */
  readonly bytes: number
  /** Server latency; none by default. */
  readonly latency?: Latency
  /** Fault probabilities; none by default. */
  readonly faults?: FaultPlan
}

/** A serialisable list of pages; the same seed and parameters give the same spec in any process. */
export interface PageSpec {
  readonly seed: number
  readonly items: readonly PageItem[]
}

/** The `fetch` workload's spec. */
export interface FetchSpec extends PageSpec {
  readonly workload: 'fetch'
}

/** What a contestant's `fetch` receives: absolute URLs on the mock server, in input order. */
export interface FetchInput {
  readonly urls: readonly string[]
}

/** A downloaded page: what the verifier checks. */
export interface FetchValue {
  /** HTTP status (2xx). */
  readonly status: number
  /** Body length in bytes. */
  readonly bytes: number
  /** CRC-32 of the body, 8 lowercase hex digits. */
  readonly checksum: string
}

/** One outcome per URL, in input order. */
export type FetchResult = readonly Outcome<FetchValue>[]

/** Largest page count in one spec. */
export const MAX_ITEMS = 1_000_000

function drawLatency(latency: Latency, next: () => number): number {
  switch (latency.kind) {
    case 'none':
      return 0
    case 'fixed':
      return latency.ms
    case 'uniform':
      return Math.round(latency.minMs + next() * (latency.maxMs - latency.minMs))
    case 'exponential':
      return Math.min(60_000, Math.round(-Math.log(1 - next()) * latency.meanMs))
  }
}

function checkLatency(latency: unknown): Latency {
  const l = expectObject('latency', latency)
  const kind = expectOneOf('latency.kind', l.kind, ['none', 'fixed', 'uniform', 'exponential'])
  if (kind === 'fixed') expectInteger('latency.ms', l.ms, 0, 60_000)
  if (kind === 'uniform') {
    expectInteger('latency.minMs', l.minMs, 0, 60_000)
    expectInteger('latency.maxMs', l.maxMs, l.minMs as number, 60_000)
  }
  if (kind === 'exponential') expectNumber('latency.meanMs', l.meanMs, 0, 10_000)
  return l as unknown as Latency
}

function checkFaultPlan(plan: unknown): FaultPlan {
  const p = expectObject('faults', plan)
  let sum = 0
  for (const [key, value] of Object.entries(p)) {
    expectOneOf('a key of faults', key, faults.slice(1))
    sum += expectNumber(`faults.${key}`, value, 0, 1)
  }
  if (sum > 1)
    throw new TypeError(`Expected the fault probabilities to add up to at most 1, got ${sum}`)
  return p as FaultPlan
}

/**
 * Generates a page spec deterministically from its parameters.
 * @throws TypeError naming the first invalid parameter
 */
export function pageSpec(params: PageSpecParams): PageSpec {
  const p = expectObject('params', params)
  const seed = expectInteger('seed', p.seed, 0, 0xffffffff)
  const count = expectInteger('count', p.count, 1, MAX_ITEMS)
  const bytes = expectInteger('bytes', p.bytes, 0, MAX_PAYLOAD_BYTES)
  const latency = p.latency === undefined ? ({ kind: 'none' } as const) : checkLatency(p.latency)
  const plan = p.faults === undefined ? {} : checkFaultPlan(p.faults)
  const next = createRandom(seed ^ 0x5eed)
  const items: PageItem[] = []
  for (let index = 0; index < count; index++) {
    let fault: Fault = 'none'
    let roll = next()
    for (const [name, probability] of Object.entries(plan) as [Fault, number][]) {
      if (roll < probability) {
        fault = name
        break
      }
      roll -= probability
    }
    items.push({ index, bytes, latencyMs: drawLatency(latency, next), fault })
  }
  return { seed, items }
}

/** Generates the `fetch` workload's spec. */
export function fetchSpec(params: PageSpecParams): FetchSpec {
  return { workload: 'fetch', ...pageSpec(params) }
}

/** The path on the mock server that serves `item`; the server needs nothing else. */
export function pagePath(seed: number, item: PageItem): string {
  return `/page/${seed}/${item.index}?bytes=${item.bytes}&latency=${item.latencyMs}&fault=${item.fault}`
}

/** A parsed {@link pagePath}. */
export interface PageRequest extends PageItem {
  readonly seed: number
}

/**
 * Parses a path made by {@link pagePath}.
 * @throws TypeError naming what is wrong with the path
 */
export function parsePagePath(path: string): PageRequest {
  const url = new URL(path, 'http://127.0.0.1')
  const match = /^\/page\/(\d+)\/(\d+)$/.exec(url.pathname)
  if (!match)
    throw new TypeError(
      `Expected a path like /page/<seed>/<index>?bytes=&latency=&fault=, got "${path}"`,
    )
  const q = url.searchParams
  return {
    seed: expectInteger('seed', Number(match[1]), 0, 0xffffffff),
    index: expectInteger('index', Number(match[2]), 0, MAX_ITEMS),
    bytes: expectInteger('bytes', Number(q.get('bytes')), 0, MAX_PAYLOAD_BYTES),
    latencyMs: expectInteger('latency', Number(q.get('latency') ?? 0), 0, 60_000),
    fault: expectOneOf('fault', q.get('fault') ?? 'none', faults),
  }
}

/** The absolute URLs a contestant downloads, for a server at `origin` (like `http://127.0.0.1:41234`). */
export function pageUrls(spec: PageSpec, origin: string): string[] {
  return spec.items.map((item) => origin + pagePath(spec.seed, item))
}

/** The input of a contestant's `fetch` for a server at `origin`. */
export function fetchInput(spec: FetchSpec, origin: string): FetchInput {
  return { urls: pageUrls(spec, origin) }
}

/** The body the server sends for a page: a view into the seeded pool. */
export function pageBody(seed: number, item: Pick<PageItem, 'index' | 'bytes'>): Uint8Array {
  return payloadView(seed, item.index, item.bytes)
}

/** A CRC-32 value as 8 lowercase hex digits: the form of {@link FetchValue.checksum}. */
export function formatChecksum(crc: number): string {
  return crc.toString(16).padStart(8, '0')
}

/** CRC-32 of `data` as 8 lowercase hex digits: the checksum of {@link FetchValue}. */
export function checksumOf(data: Uint8Array): string {
  return formatChecksum(crc32(data))
}

/** The failure a fault must end in; `undefined` for `none`. */
export function expectedFailure(fault: Fault): Failure | undefined {
  switch (fault) {
    case 'none':
      return undefined
    case 'status':
      return { kind: 'http-status', status: FAULT_STATUS }
    case 'reset':
    case 'truncate':
      return { kind: 'network', code: 'any' }
    case 'stall':
    case 'drip':
      return { kind: 'timeout' }
  }
}

/** The correct outcome of every page of a fetch spec, in input order. */
export function expectedFetch(spec: PageSpec): Outcome<FetchValue>[] {
  return spec.items.map((item) => {
    const failure = expectedFailure(item.fault)
    if (failure) return { ok: false, failure }
    return {
      ok: true,
      value: { status: 200, bytes: item.bytes, checksum: checksumOf(pageBody(spec.seed, item)) },
    }
  })
}

/**
 * Validates a contestant's `fetch` (or `pipeline`) input and returns the one
 * loopback origin every URL shares, or `undefined` when there are no URLs.
 * Each URL is parsed at most once: one spelled with the origin already found
 * (`http://127.0.0.1:41234/…`) is on it whatever its path, so only the first
 * URL and those spelled otherwise are parsed.
 * @throws TypeError for a malformed URL, a non-loopback host or mixed origins
 */
export function checkFetchInput(input: unknown): string | undefined {
  const urls = expectArray('input.urls', expectObject('input', input).urls)
  let origin: string | undefined
  for (let i = 0; i < urls.length; i++) {
    const url = urls[i]
    if (typeof url === 'string' && origin !== undefined && startsWithOrigin(url, origin)) continue
    const parsed = typeof url === 'string' ? URL.parse(url) : null
    if (parsed === null || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) {
      throw new TypeError(
        `Expected input.urls[${i}] to be an absolute http URL, got ${JSON.stringify(url)}`,
      )
    }
    expectLoopback(`input.urls[${i}]`, parsed.hostname.replace(/^\[|\]$/g, ''))
    origin ??= parsed.origin
    if (parsed.origin !== origin) {
      throw new TypeError(
        `Expected every URL on one origin (${origin}), got ${JSON.stringify(url)} at input.urls[${i}]`,
      )
    }
  }
  return origin
}
