#!/usr/bin/env node
/**
 * The ceiling's own figures, measured as issue 12 asks: interleaved rounds in
 * one process against the mock world in a process of its own. fetch (2,000 ×
 * 1 KiB at concurrency 64, warm pools, every answer verified): the ceiling's
 * dispatch client against the contestants' loop (core's `get` under a
 * per-request `deadline`, as the promises contestant writes it) and the old
 * ceiling's `Pool.request` loop (which reads bodies but checksums nothing).
 * scan (1–65535 at concurrency 500, 500 ms): the raw connect loop against
 * lanes of core's `tcpProbe` and pinned nmap. Each round runs every tool once,
 * in a rotating order; the ratios are medians of per-round ratios, which a
 * busy machine disturbs less than ratios of medians.
 * Run: `node packages/harness/src/ceiling/compare.ts [fetchRounds] [scanRounds]`.
 */
import { fork } from 'node:child_process'
import { performance } from 'node:perf_hooks'
import { fileURLToPath } from 'node:url'
import {
  createHttpClient,
  deadline,
  describeVerdict,
  expectedFetch,
  failed,
  failureOf,
  fetchInput,
  fetchSpec,
  medianOf,
  type Outcome,
  type RunOptions,
  type ScanValue,
  success,
  tcpProbe,
  verifyOutcomes,
  type Workloads,
} from '@arena/core'
import type { WorldReady } from '@arena/kit/mock-world-main'
import { Pool } from 'undici'
import { implementation } from './index.ts'

const fetchRounds = Number(process.argv[2] ?? 15)
const scanRounds = Number(process.argv[3] ?? 3)

async function lanes<T>(count: number, concurrency: number, task: (i: number) => Promise<T>) {
  const out = new Array<T>(count)
  let next = 0
  const lane = async () => {
    while (next < count) {
      const i = next++
      out[i] = await task(i)
    }
  }
  await Promise.all(Array.from({ length: concurrency }, lane))
  return out
}

/** Runs every tool once per round in a rotating order; returns each tool's seconds per round. */
async function interleaved(
  tools: Record<string, () => Promise<unknown>>,
  rounds: number,
  check: (name: string, answer: unknown) => void,
): Promise<Map<string, number[]>> {
  const names = Object.keys(tools)
  const seconds = new Map(names.map((name) => [name, [] as number[]]))
  // Round -1 warms every tool up and is not counted.
  for (let round = -1; round < rounds; round++) {
    for (let k = 0; k < names.length; k++) {
      const name = names[(k + Math.max(0, round)) % names.length] as string
      const start = performance.now()
      const answer = await (tools[name] as () => Promise<unknown>)()
      const elapsed = (performance.now() - start) / 1000
      check(name, answer)
      if (round >= 0) seconds.get(name)?.push(elapsed)
    }
  }
  return seconds
}

function report(seconds: Map<string, number[]>, items: number, unit: 'rate' | 'time') {
  const [baseName, base] = [...seconds][0] as [string, number[]]
  for (const [name, values] of seconds) {
    const sorted = [...values].sort((a, b) => a - b)
    const first = sorted[0] ?? 0
    const last = sorted.at(-1) ?? 0
    const figure =
      unit === 'rate'
        ? `median ${Math.round(items / (medianOf(values) ?? 1))}/s (${Math.round(items / last)}–${Math.round(items / first)})`
        : `median ${(medianOf(values) ?? 0).toFixed(2)} s (${first.toFixed(2)}–${last.toFixed(2)})`
    const ratio = medianOf(values.map((v, i) => v / (base[i] ?? v)))
    const vs = name === baseName ? '' : `  ${baseName} is ${(ratio ?? 0).toFixed(2)}× as fast`
    console.log(`  ${name.padEnd(24)}${figure}${vs}`)
  }
}

const world = fork(fileURLToPath(import.meta.resolve('@arena/kit/mock-world-main')), [], {
  stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
})
const ready = await new Promise<WorldReady>((resolve) => world.once('message', resolve))
try {
  const concurrency = 64
  const timeoutMs = 10_000
  const spec = fetchSpec({ seed: 12, count: 2000, bytes: 1024 })
  const { urls } = fetchInput(spec, ready.origin)
  const expected = expectedFetch(spec)
  const run: RunOptions = { concurrency, parallelism: 0, timeoutMs }
  const ceiling = implementation.variants[0]
  const instance = await (ceiling.open as NonNullable<typeof ceiling.open>)({
    concurrency,
    parallelism: 0,
  })
  const client = createHttpClient({ origin: ready.origin, connections: concurrency })
  const pool = new Pool(ready.origin, { connections: concurrency, pipelining: 1 })
  const paths = urls.map((url) => url.slice(ready.origin.length))
  const fetched = await interleaved(
    {
      'ceiling dispatch': () => (instance.workloads.fetch as Workloads['fetch'])({ urls }, run),
      'core.get + deadline': () =>
        lanes(urls.length, concurrency, async (i) => {
          const limit = deadline(timeoutMs, undefined)
          try {
            return success(await client.get(urls[i] as string, { signal: limit }))
          } catch (error) {
            return failed(failureOf(error, limit))
          }
        }),
      'old Pool.request loop': () =>
        lanes(urls.length, concurrency, async (i) => {
          const { statusCode, body } = await pool.request({
            path: paths[i] as string,
            method: 'GET',
          })
          let bytes = 0
          for await (const chunk of body as AsyncIterable<Buffer>) bytes += chunk.length
          return statusCode === 200 && bytes === 1024
        }),
    },
    fetchRounds,
    (name, answer) => {
      if (name === 'old Pool.request loop') {
        if (!(answer as boolean[]).every(Boolean)) throw new Error(`${name} saw a bad page`)
        return
      }
      const verdict = verifyOutcomes(expected, answer)
      if (!verdict.ok) throw new Error(`${name}: ${describeVerdict(verdict)}`)
    },
  )
  await Promise.all([instance.close(), client.close(), pool.destroy()])
  console.log(`fetch 2000 × 1 KiB, concurrency ${concurrency}, ${fetchRounds} interleaved rounds:`)
  report(fetched, urls.length, 'rate')

  const ports = Array.from({ length: 65535 }, (_, i) => i + 1)
  const scanRun: RunOptions = { concurrency: 500, parallelism: 0, timeoutMs: 500 }
  const input = { host: ready.host, ports }
  const tallies = new Map<string, string>()
  const scanned = await interleaved(
    {
      'ceiling connect loop': () =>
        (ceiling.workloads.scanPort as Workloads['scanPort'])(input, scanRun),
      'tcpProbe lanes': () =>
        lanes(ports.length, 500, async (i): Promise<Outcome<ScanValue>> => {
          const limit = deadline(500, undefined)
          try {
            return success({
              state: await tcpProbe(ready.host, ports[i] as number, { signal: limit }),
            })
          } catch (error) {
            const failure = failureOf(error, limit)
            return failure.kind === 'timeout' ? success({ state: 'filtered' }) : failed(failure)
          }
        }),
      'nmap -sT pinned': () =>
        (implementation.variants[1].workloads.scanPort as Workloads['scanPort'])(input, scanRun),
    },
    scanRounds,
    (name, answer) => {
      const count: Record<string, number> = {}
      for (const o of answer as Outcome<ScanValue>[]) {
        const key = o.ok ? o.value.state : o.failure.kind
        count[key] = (count[key] ?? 0) + 1
      }
      tallies.set(name, JSON.stringify(count))
    },
  )
  console.log(`scan 1–65535, concurrency 500, timeout 500 ms, ${scanRounds} interleaved rounds:`)
  report(scanned, ports.length, 'time')
  for (const [name, tally] of tallies) console.log(`  ${name}: last answer ${tally}`)
} finally {
  world.send({ type: 'close' })
}
