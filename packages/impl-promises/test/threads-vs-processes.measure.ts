/**
 * Threads against processes for CPU work, side by side in one process and
 * interleaved round by round (the order alternating): the default variant's
 * worker-thread pool and the processes variant's child-process pool, each
 * opened for `hash` with 2 workers. Per round and model: open → ready, warm
 * 64 B tasks/s, 64 KiB and 1 MiB MB/s (the throughput of one call on the open
 * instance), and memory once ready and warm — this process's RSS growth since
 * before open, plus its children's RSS and PSS (PSS shares the pages children have in common, such as
 * Node's own code, among them). Prints each round and the medians as JSON.
 * Not a test: run it with `node --expose-gc
 * packages/impl-promises/test/threads-vs-processes.measure.ts [rounds]`.
 */
import { readFileSync } from 'node:fs'
import { hashInput, hashSpec, type Instance, type Variant } from '@arena/core'
import { implementation } from '../src/index.ts'

const rounds = Number(process.argv[2] ?? 8)
const models: Record<string, Variant | undefined> = {
  threads: implementation.variants.find((v) => v.id === 'default'),
  processes: implementation.variants.find((v) => v.id === 'processes'),
}
const run = { concurrency: 8, parallelism: 2, timeoutMs: 60_000 }
const sizes = [
  { name: '64 B', bytes: 64, count: 4000 },
  { name: '64 KiB', bytes: 64 * 1024, count: 400 },
  { name: '1 MiB', bytes: 1 << 20, count: 64 },
] as const

/** A field of a /proc status or smaps_rollup file, in KiB. */
function procKiB(path: string, field: string): number {
  const line = readFileSync(path, 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${field}:`))
  return Number(line?.split(/\s+/)[1] ?? Number.NaN)
}

function childPids(): number[] {
  return readFileSync(`/proc/self/task/${process.pid}/children`, 'utf8')
    .split(' ')
    .filter((p) => p.trim() !== '')
    .map(Number)
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN
}

/** This process's RSS, after a full collection when run with `--expose-gc` (so garbage is not counted). */
function rss(): number {
  ;(globalThis as { gc?: () => void }).gc?.()
  return process.memoryUsage().rss
}

async function measure(variant: Variant) {
  const rssBefore = rss()
  const openedAt = performance.now()
  const instance: Instance = (await variant.open?.({ ...run, workload: 'hash' })) as Instance
  const openMs = performance.now() - openedAt
  const hash = instance.workloads.hash
  if (!hash) throw new Error(`${variant.id} has no hash`)
  const figures: Record<string, number> = { openMs }
  try {
    await hash(hashInput(hashSpec({ seed: 1, count: 200, bytes: 1024 })), run)
    // Memory once ready and warm, before the large inputs this process allocates for both models.
    const children = childPids()
    figures.parentRssGrowthMiB = (rss() - rssBefore) / 2 ** 20
    figures.childrenRssMiB =
      children.reduce((sum, pid) => sum + procKiB(`/proc/${pid}/status`, 'VmRSS'), 0) / 1024
    figures.childrenPssMiB =
      children.reduce((sum, pid) => sum + procKiB(`/proc/${pid}/smaps_rollup`, 'Pss'), 0) / 1024
    for (const { name, bytes, count } of sizes) {
      const input = hashInput(hashSpec({ seed: 2, count, bytes }))
      const start = performance.now()
      const result = await hash(input, run)
      const seconds = (performance.now() - start) / 1000
      if (!result.every((o) => o.ok)) throw new Error(`${variant.id}: a ${name} task failed`)
      figures[`${name} tasks/s`] = count / seconds
      figures[`${name} MB/s`] = (count * bytes) / seconds / 1e6
    }
  } finally {
    await instance.close()
  }
  return figures
}

const results: Record<string, Record<string, number>[]> = { threads: [], processes: [] }
for (let round = 0; round < rounds; round++) {
  const order = round % 2 === 0 ? ['threads', 'processes'] : ['processes', 'threads']
  for (const name of order) {
    const variant = models[name]
    if (!variant) throw new Error(`no ${name} variant`)
    const figures = await measure(variant)
    results[name]?.push(figures)
    console.log(JSON.stringify({ round, model: name, ...figures }))
  }
}
const medians = Object.fromEntries(
  Object.entries(results).map(([name, list]) => [
    name,
    Object.fromEntries(
      Object.keys(list[0] ?? {}).map((key) => [key, median(list.map((f) => f[key] ?? Number.NaN))]),
    ),
  ]),
)
console.log(JSON.stringify({ rounds, medians }, null, 2))
