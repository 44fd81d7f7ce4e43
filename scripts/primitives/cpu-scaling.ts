/**
 * The CPU group of the primitives benchmark: what this machine gives two
 * threads hashing at once, whatever the model. sha256 of 1 MiB buffers on
 * the main thread, then on one and on two raw worker threads (each buffer
 * transferred, one in flight per worker), interleaved round by round; each
 * worker also says how long it spent hashing, so the time per item on a
 * worker can be set against the main thread's and the wall against the busy
 * time (what message passing leaves idle).
 */
import { createHash } from 'node:crypto'
import { Worker } from 'node:worker_threads'
import { medianOf, payloadCopy } from '../../packages/core/src/index.ts'

const ITEMS = 256
const BYTES = 1 << 20

/** One round's figures, items/s and ms of hashing per item. */
export interface CpuRound {
  readonly loop: number
  readonly one: number
  readonly two: number
  readonly loopMsPerItem: number
  readonly workerMsPerItem: number
  readonly twoBusyShare: number
}

const buffers = () => Array.from({ length: ITEMS }, (_, i) => payloadCopy(7, i, BYTES))

const reply = <T>(worker: Worker) =>
  new Promise<T>((resolve, reject) => {
    const onMessage = (message: T) => {
      worker.off('error', reject)
      resolve(message)
    }
    worker.once('message', onMessage)
    worker.once('error', reject)
  })

async function onWorkers(workers: readonly Worker[], items: Uint8Array[]): Promise<number> {
  let next = 0
  const start = performance.now()
  await Promise.all(
    workers.map(async (worker) => {
      while (next < items.length) {
        const item = items[next++] as Uint8Array
        const done = reply<string>(worker)
        worker.postMessage(item, [item.buffer as ArrayBuffer])
        await done
      }
    }),
  )
  return performance.now() - start
}

const busy = async (workers: readonly Worker[]) =>
  Promise.all(
    workers.map((w) => {
      const done = reply<number>(w)
      w.postMessage('busy')
      return done
    }),
  )

/** `rounds` interleaved rounds; the medians are what the benchmark prints. */
export async function measureCpu(rounds: number): Promise<CpuRound[]> {
  const entry = new URL('./sha-worker.js', import.meta.url)
  const workers = [new Worker(entry), new Worker(entry)]
  try {
    await Promise.all(workers.map((w) => reply(w)))
    const out: CpuRound[] = []
    for (let round = 0; round <= rounds; round++) {
      let items = buffers()
      const start = performance.now()
      for (const item of items) createHash('sha256').update(item).digest('hex')
      const loopMs = performance.now() - start
      await busy(workers)
      items = buffers()
      const oneMs = await onWorkers(workers.slice(0, 1), items)
      await busy(workers)
      items = buffers()
      const twoMs = await onWorkers(workers, items)
      const twoBusy = await busy(workers)
      if (round === 0) continue
      out.push({
        loop: ITEMS / (loopMs / 1000),
        one: ITEMS / (oneMs / 1000),
        two: ITEMS / (twoMs / 1000),
        loopMsPerItem: loopMs / ITEMS,
        workerMsPerItem: twoBusy.reduce((a, b) => a + b, 0) / ITEMS,
        twoBusyShare: twoBusy.reduce((a, b) => a + b, 0) / (2 * twoMs),
      })
    }
    return out
  } finally {
    await Promise.all(workers.map((w) => w.terminate()))
  }
}

/** The lines the benchmark prints for `rounds`. */
export function describeCpu(rounds: readonly CpuRound[]): string[] {
  const m = (pick: (r: CpuRound) => number) => medianOf(rounds.map(pick)) ?? Number.NaN
  const f = (x: number, d = 0) => x.toFixed(d)
  return [
    `  main thread            ${f(m((r) => r.loop))} items/s (${f(
      m((r) => r.loopMsPerItem),
      2,
    )} ms of hashing per item)`,
    `  1 raw worker           ${f(m((r) => r.one))} items/s (${f(
      m((r) => r.one / r.loop),
      2,
    )}× the main thread)`,
    `  2 raw workers          ${f(m((r) => r.two))} items/s (${f(
      m((r) => r.two / r.loop),
      2,
    )}× the main thread); each worker spent ${f(
      m((r) => r.workerMsPerItem),
      2,
    )} ms hashing an item and was busy ${f(m((r) => r.twoBusyShare) * 100)}% of the wall`,
  ]
}
