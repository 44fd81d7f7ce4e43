/**
 * Measures what `open` waits for: a `WorkerPool` of `size` workers from its
 * construction until `ready()` resolves (every worker has loaded `worker.js`
 * and said so), then `close()` until every thread has exited; `rounds` times,
 * printing the median and the smallest of each.
 *
 *   cd packages/impl-streams && npx pnpm@12.4.2 exec node scripts/worker-start.ts [rounds] [size]
 */
import { WorkerPool } from '../src/pool.ts'

const rounds = Number(process.argv[2] ?? 20)
const size = Number(process.argv[3] ?? 2)
const ready: number[] = []
const closed: number[] = []
for (let round = 0; round < rounds; round++) {
  const start = performance.now()
  const pool = new WorkerPool(size)
  await pool.ready()
  const loaded = performance.now()
  await pool.close()
  ready.push(loaded - start)
  closed.push(performance.now() - loaded)
}
const summary = (xs: number[]) => {
  const sorted = [...xs].sort((a, b) => a - b)
  const median = sorted[Math.floor(sorted.length / 2)] ?? Number.NaN
  return `median ${median.toFixed(1)} ms, min ${(sorted[0] ?? Number.NaN).toFixed(1)} ms`
}
console.log(`pool of ${size}, ${rounds} rounds: ready ${summary(ready)}; close ${summary(closed)}`)
