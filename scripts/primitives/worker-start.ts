/**
 * The worker group of the primitives benchmark: how long a worker thread
 * takes from `new Worker` to its first message, loading core's sha256 kernel
 * against loading nothing. The two alternate, one of each per pair, each
 * worker terminated (outside the clock) before the next starts.
 */
import { performance } from 'node:perf_hooks'
import { Worker } from 'node:worker_threads'
import { medianOf } from '../../packages/core/src/index.ts'

export const BARE_WORKER = 'bare worker'
export const KERNEL_WORKER = 'worker loading core kernel'

const entries = {
  [BARE_WORKER]: new URL('./bare-worker.js', import.meta.url),
  [KERNEL_WORKER]: new URL('./kernel-worker.js', import.meta.url),
}

async function startOnce(entry: URL): Promise<number> {
  const start = performance.now()
  const worker = new Worker(entry)
  try {
    const message = await new Promise((resolve, reject) => {
      worker.once('message', resolve)
      worker.once('error', reject)
    })
    const elapsed = performance.now() - start
    if (message !== 'ready') throw new Error(`${entry.pathname} said ${String(message)}`)
    return elapsed
  } finally {
    await worker.terminate()
  }
}

/** Start times in ms of `pairs` alternated pairs (after one uncounted pair), and their paired ratios. */
export async function measureWorkerStart(pairs: number): Promise<{
  ms: Map<string, number[]>
  ratio: { median: number; min: number; max: number }
}> {
  const ms = new Map<string, number[]>([
    [BARE_WORKER, []],
    [KERNEL_WORKER, []],
  ])
  const ratios: number[] = []
  for (let pair = -1; pair < pairs; pair++) {
    // Alternate which goes first, so neither always starts on a just-freed core.
    const order = pair % 2 === 0 ? [BARE_WORKER, KERNEL_WORKER] : [KERNEL_WORKER, BARE_WORKER]
    const times: Record<string, number> = {}
    for (const name of order) times[name] = await startOnce(entries[name as keyof typeof entries])
    if (pair < 0) continue
    ms.get(BARE_WORKER)?.push(times[BARE_WORKER] as number)
    ms.get(KERNEL_WORKER)?.push(times[KERNEL_WORKER] as number)
    ratios.push((times[KERNEL_WORKER] as number) / (times[BARE_WORKER] as number))
  }
  return {
    ms,
    ratio: {
      median: medianOf(ratios) ?? Number.NaN,
      min: Math.min(...ratios),
      max: Math.max(...ratios),
    },
  }
}
