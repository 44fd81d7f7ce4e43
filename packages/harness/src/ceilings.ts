/**
 * Ceilings: the physical limit of each point, measured in the same run
 * against the same mock world, so every cell can say how close it came.
 * fetch: autocannon at the same concurrency and body size. hash: node:crypto
 * on one thread, times min(parallelism, cores). scan: nmap -sT on the same
 * ports when nmap is installed, and a minimal raw connect loop; the faster
 * counts. pipeline: the lower of its fetch and hash ceilings.
 */
import { execFile } from 'node:child_process'
import { connect } from 'node:net'
import { availableParallelism } from 'node:os'
import { performance } from 'node:perf_hooks'
import {
  type Ceiling,
  hashInput,
  hashSpec,
  type Point,
  sha256Hex,
  type WorkloadId,
} from '@arena/core'
import autocannon from 'autocannon'
import { Pool } from 'undici'
import { track } from './children.ts'

/** Attempts per ceiling; the best one counts (a ceiling is what is achievable). */
let attempts = 3

/** Duration of one autocannon run, s. */
let autocannonSeconds = 2

/** Sets the attempts per ceiling and the length of an autocannon run (the quick profile makes one short one). */
export function configureCeilings(n: number, seconds = 2): void {
  attempts = n
  autocannonSeconds = seconds
}

async function best(measure: () => Promise<number>, times = attempts): Promise<number> {
  let top = 0
  for (let i = 0; i < times; i++) top = Math.max(top, await measure())
  return top
}

/** Attempts of the in-process hash ceiling: cheap, and the first ones ran below what the children reached. */
const HASH_CEILING_ATTEMPTS = 5

/**
 * A minimal client: `concurrency` loops of undici requests on one keep-alive
 * pool, each body read to the end and dropped — no model, no verification.
 * autocannon parses and counts every byte in JavaScript and falls far behind
 * it on large bodies, so alone it would be no ceiling at all there.
 */
async function rawFetchRate(point: Point, origin: string, path: string): Promise<number> {
  const pool = new Pool(origin, { connections: point.concurrency, pipelining: 1 })
  const total = Math.max(point.items, point.concurrency * 20)
  let next = 0
  try {
    const start = performance.now()
    await Promise.all(
      Array.from({ length: point.concurrency }, async () => {
        while (next++ < total) {
          const { statusCode, body } = await pool.request({ path, method: 'GET' })
          for await (const _ of body);
          if (statusCode !== 200) throw new Error(`raw client got status ${statusCode}`)
        }
      }),
    )
    return total / ((performance.now() - start) / 1000)
  } finally {
    await pool.destroy()
  }
}

/** The fetch ceiling: the faster of autocannon and a raw undici loop, at the point's concurrency and page. */
export async function fetchCeiling(point: Point, origin: string): Promise<Ceiling> {
  const path = `/page/1/0?bytes=${point.bytes}&latency=${point.latencyMs}&fault=none`
  const url = `${origin}${path}`
  const raw = await best(() => rawFetchRate(point, origin, path))
  const cannon = await best(async () => {
    // autocannon finishes on its one-second sampling tick, so a fixed request count
    // understates short runs; a fixed duration is how it is meant to be driven.
    const result = await autocannon({
      url,
      connections: point.concurrency,
      duration: autocannonSeconds,
      pipelining: 1,
    })
    if (result.non2xx > 0 || result.errors > 0) {
      throw new Error(`autocannon saw ${result.non2xx} non-2xx and ${result.errors} errors`)
    }
    return result.requests.total / result.duration
  })
  return {
    workload: 'fetch',
    pointId: point.id,
    tool: cannon >= raw ? 'autocannon' : 'raw undici loop',
    available: true,
    itemsPerSecond: Math.max(cannon, raw),
    note: `autocannon ${Math.round(cannon)}/s, raw undici loop ${Math.round(raw)}/s, ${point.concurrency} connections`,
  }
}

/** sha256 with node:crypto on one thread, scaled by min(parallelism, cores). */
export async function hashCeiling(point: Point, workload: WorkloadId = 'hash'): Promise<Ceiling> {
  const threads = Math.min(Math.max(1, point.parallelism), availableParallelism())
  const spec = hashSpec({ seed: 1, count: Math.min(point.items, 2000), bytes: point.bytes })
  const { buffers } = hashInput(spec)
  const single = await best(
    async () => {
      const start = performance.now()
      for (const buffer of buffers) sha256Hex(buffer)
      return buffers.length / ((performance.now() - start) / 1000)
    },
    Math.max(attempts, HASH_CEILING_ATTEMPTS),
  )
  return {
    workload,
    pointId: point.id,
    tool: 'node:crypto',
    available: true,
    itemsPerSecond: single * threads,
    note: `sha256 on one thread × ${threads}`,
  }
}

function rawProbe(host: string, port: number, timeoutMs: number): Promise<void> {
  return new Promise((resolve) => {
    const socket = connect({ host, port })
    const done = () => {
      clearTimeout(timer)
      socket.destroy()
      resolve()
    }
    const timer = setTimeout(done, timeoutMs)
    socket.once('connect', done)
    socket.once('error', done)
  })
}

/** A minimal connect scanner: `concurrency` loops of plain connects, no cancellation machinery. */
export async function rawScanSeconds(
  host: string,
  ports: readonly number[],
  concurrency: number,
  timeoutMs: number,
): Promise<number> {
  let next = 0
  const start = performance.now()
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < ports.length) await rawProbe(host, ports[next++] as number, timeoutMs)
    }),
  )
  return (performance.now() - start) / 1000
}

async function nmapSeconds(host: string, range: string, point: Point): Promise<number | undefined> {
  const args = [
    '-sT',
    '-Pn',
    '-n',
    '-p',
    range,
    '--max-retries',
    '0',
    '--max-rtt-timeout',
    `${point.timeoutMs}ms`,
  ]
  args.push(
    '--min-parallelism',
    String(point.concurrency),
    '--max-parallelism',
    String(point.concurrency),
    host,
  )
  const start = performance.now()
  const ran = await new Promise<boolean>((resolve, reject) => {
    track(
      execFile('nmap', args, { maxBuffer: 16 << 20 }, (error) => {
        if (!error) resolve(true)
        else if ((error as NodeJS.ErrnoException).code === 'ENOENT') resolve(false)
        else reject(error)
      }),
    )
  })
  return ran ? (performance.now() - start) / 1000 : undefined
}

/** The scan ceiling: the faster of nmap -sT (if installed) and the raw connect loop. */
export async function scanCeiling(point: Point, host: string): Promise<Ceiling> {
  const [from, to] = (point.ports ?? '1-1024').split('-').map(Number) as [number, number]
  const ports = Array.from({ length: to - from + 1 }, (_, i) => from + i)
  const raw = await best(
    async () =>
      ports.length / (await rawScanSeconds(host, ports, point.concurrency, point.timeoutMs)),
  )
  const nmap = await nmapSeconds(host, `${from}-${to}`, point)
  const nmapRate = nmap === undefined ? undefined : ports.length / nmap
  const useNmap = nmapRate !== undefined && nmapRate > raw
  return {
    workload: 'scanPort',
    pointId: point.id,
    tool: useNmap ? 'nmap -sT' : 'raw connect loop',
    available: true,
    itemsPerSecond: Math.max(raw, nmapRate ?? 0),
    note:
      nmapRate === undefined
        ? `nmap unavailable (not installed); raw connect loop ${Math.round(raw)} ports/s`
        : `nmap -sT ${Math.round(nmapRate)} ports/s, raw connect loop ${Math.round(raw)} ports/s`,
  }
}

/** The pipeline ceiling: the lower of the fetch ceiling at its page size and node:crypto at its parallelism. */
export async function pipelineCeiling(point: Point, origin: string): Promise<Ceiling> {
  const [io, cpu] = [await fetchCeiling(point, origin), await hashCeiling(point, 'pipeline')]
  const ioRate = io.itemsPerSecond ?? 0
  const cpuRate = cpu.itemsPerSecond ?? 0
  return {
    workload: 'pipeline',
    pointId: point.id,
    tool: ioRate < cpuRate ? io.tool : 'node:crypto',
    available: true,
    itemsPerSecond: Math.min(ioRate, cpuRate),
    note: `min(fetch ${Math.round(ioRate)}/s (${io.tool}), sha256 ${Math.round(cpuRate)}/s)`,
  }
}
