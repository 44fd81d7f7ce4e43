/**
 * Measures what the ordered `map` costs when an item is slow: the full scan
 * of 1–65535 at concurrency 500 (timeout 500 ms, as the harness's
 * `r65535-c500`) and 200 × 1 KiB pages with 5 % stalls at concurrency 64
 * (timeout 500 ms, as `faults-stall-5`), each through three shapes of the
 * same stream built from this package's own per-item functions and sinks:
 * Node's `map` (the default variant), Node's `map` with `highWaterMark` as
 * large as the input, `mapUnordered` (the tuned variant), and, for
 * reference, no stream at all: `concurrency` async lanes, the raw-promise
 * shape of `impl-promises` (written here, not imported). Rounds
 * alternate the shapes; it prints each one's median wall time and the mean
 * operations in flight over the run (time-weighted), against the concurrency
 * asked. The mock world runs in its own process, as in the harness.
 *
 *   cd packages/impl-streams && npx pnpm@12.4.2 exec node scripts/head-of-line.ts [rounds]
 */
import { fork } from 'node:child_process'
import { once } from 'node:events'
import { Readable } from 'node:stream'
import { fileURLToPath } from 'node:url'
import {
  createHttpClient,
  describeVerdict,
  expectedFetch,
  fetchInput,
  fetchSpec,
  type Outcome,
  verifyOutcomes,
} from '@arena/core'
import type { MockWorldInfo } from '@arena/kit/mock-world'
import { fetchOne } from '../src/fetch.ts'
import { Ledger } from '../src/ledger.ts'
import { mapUnordered } from '../src/map-unordered.ts'
import { probeOne } from '../src/scan-port.ts'

const rounds = Number(process.argv[2] ?? 3)
const worldMain = fileURLToPath(import.meta.resolve('@arena/kit/mock-world-main'))
const worldProcess = fork(worldMain, [], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] })
const [world] = (await once(worldProcess, 'message')) as [MockWorldInfo]

/** Counts operations in flight and integrates them over time. */
function meter() {
  let inFlight = 0
  let area = 0
  let last = performance.now()
  const step = (delta: number) => {
    const now = performance.now()
    area += inFlight * (now - last)
    last = now
    inFlight += delta
  }
  return {
    wrap:
      <A extends unknown[], R>(fn: (...args: A) => Promise<R>) =>
      async (...args: A): Promise<R> => {
        step(1)
        try {
          return await fn(...args)
        } finally {
          step(-1)
        }
      },
    meanOver: (ms: number) => area / ms,
  }
}

type Shape = 'map' | 'map, highWaterMark = n' | 'unordered' | 'lanes, no stream'
const shapes: Shape[] = ['map', 'map, highWaterMark = n', 'unordered', 'lanes, no stream']

/** The reference without a stream: `concurrency` async loops taking the next index, as raw-promise code writes it. */
async function lanes<T, R>(items: readonly T[], fn: (item: T) => Promise<R>, concurrency: number) {
  const results = new Array<R>(items.length)
  let next = 0
  const lane = async () => {
    for (let i = next++; i < items.length; i = next++) results[i] = await fn(items[i] as T)
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, lane))
  return results
}

/** One run of `items` through `fn` in `shape`, at `concurrency`; its outcomes, wall time and mean in flight. */
async function run<T, R>(
  shape: Shape,
  items: readonly T[],
  fn: (item: T) => Promise<Outcome<R>>,
  concurrency: number,
) {
  const m = meter()
  const op = m.wrap(fn)
  const start = performance.now()
  const ledger = new Ledger<R>(items.length, undefined)
  const each = ledger.each(op)
  const outcomes =
    shape === 'lanes, no stream'
      ? await lanes(items, op, concurrency)
      : await ledger.collect(
          shape === 'unordered'
            ? mapUnordered(Readable.from(items), each, { concurrency })
            : Readable.from(items).map(each, {
                concurrency,
                ...(shape === 'map' ? {} : { highWaterMark: items.length }),
              }),
          undefined,
        )
  const ms = performance.now() - start
  return { outcomes, ms, mean: m.meanOver(ms) }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN

async function measure<T, R>(
  title: string,
  concurrency: number,
  items: readonly T[],
  fn: (item: T) => Promise<Outcome<R>>,
  check: (outcomes: Outcome<R>[]) => string,
) {
  const figures = new Map<Shape, { ms: number[]; mean: number[]; check: Set<string> }>()
  for (let round = 0; round < rounds; round++)
    for (const shape of round % 2 ? [...shapes].reverse() : shapes) {
      const { outcomes, ms, mean } = await run(shape, items, fn, concurrency)
      const f = figures.get(shape) ?? { ms: [], mean: [], check: new Set() }
      f.ms.push(ms)
      f.mean.push(mean)
      f.check.add(check(outcomes))
      figures.set(shape, f)
    }
  console.log(`\n${title} (concurrency ${concurrency}, ${rounds} rounds)`)
  for (const [shape, f] of figures)
    console.log(
      `  ${shape.padEnd(22)} median ${median(f.ms).toFixed(0).padStart(5)} ms (${f.ms.map((x) => x.toFixed(0)).join(', ')}), mean in flight ${median(f.mean).toFixed(0)} of ${concurrency}; ${[...f.check].join(' / ')}`,
    )
}

const ports = Array.from({ length: 65535 }, (_, i) => i + 1)
await measure(
  'scan of ports 1–65535, timeout 500 ms',
  500,
  ports,
  (port) => probeOne(world.host, port, 500, undefined),
  (outcomes) => {
    const filtered = outcomes.filter((o) => o.ok && o.value.state === 'filtered').length
    const open = outcomes.filter((o) => o.ok && o.value.state === 'open').length
    return `${open} open, ${filtered} filtered`
  },
)

const spec = fetchSpec({ seed: 1, count: 200, bytes: 1024, faults: { stall: 0.05 } })
const client = createHttpClient({ origin: world.origin, connections: 64 })
const urls = fetchInput(spec, world.origin).urls
await measure(
  `fetch of 200 × 1 KiB with ${spec.items.filter((i) => i.fault === 'stall').length} stalls, timeout 500 ms`,
  64,
  urls,
  (url) => fetchOne(client, url, 500, undefined),
  (outcomes) => {
    const verdict = verifyOutcomes(expectedFetch(spec), outcomes)
    return verdict.ok ? 'verified' : describeVerdict(verdict)
  },
)
await client.close()
worldProcess.send({ type: 'close' })
await once(worldProcess, 'exit')
