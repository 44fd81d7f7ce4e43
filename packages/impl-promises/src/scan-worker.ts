/**
 * A worker thread of the hybrid scanner: scans each chunk it is sent with the
 * default promise scanner and posts the outcomes back under the chunk's id.
 * When the chunk asks for its outcomes as they complete, they also go back in
 * batches, one message per turn of the worker's loop, before the whole chunk.
 * It lives as long as the scanner keeps it, and scans several chunks at once
 * if asked; an `abort` message for an id aborts that chunk, which then
 * settles and is still posted. Its first message says it has loaded.
 */
import { parentPort } from 'node:worker_threads'
import type { Outcome, RunOptions, ScanResult, ScanValue } from '@arena/core'
import { scanPort } from './scan-port.ts'

/** A chunk of ports to scan, as the main thread sends it. */
export interface ScanJob {
  readonly id: number
  readonly host: string
  readonly ports: readonly number[]
  readonly concurrency: number
  readonly timeoutMs: number
  /** Whether to post outcomes as they complete too, not only the whole chunk at the end. */
  readonly report: boolean
}

/** What the main thread sends: a chunk, or the abort of one. */
export type ScanRequest =
  | { readonly kind: 'scan'; readonly job: ScanJob }
  | { readonly kind: 'abort'; readonly id: number }

/** A chunk's outcomes that completed since the last batch, by position in the chunk. */
export type ScanBatch = readonly (readonly [index: number, outcome: Outcome<ScanValue>])[]

/** What the worker sends back for a chunk: batches as they complete (when asked), then every outcome. */
export type ScanReply =
  | { readonly id: number; readonly batch: ScanBatch }
  | { readonly id: number; readonly outcomes: ScanResult }

const port = parentPort
if (!port) throw new Error('scan-worker.ts runs as a worker thread only')
const running = new Map<number, AbortController>()

port.on('message', async (request: ScanRequest) => {
  if (request.kind === 'abort') return running.get(request.id)?.abort()
  const { id, host, ports, concurrency, timeoutMs, report } = request.job
  const controller = new AbortController()
  running.set(id, controller)
  const options: RunOptions = { concurrency, parallelism: 0, timeoutMs, signal: controller.signal }
  let batch: [number, Outcome<ScanValue>][] = []
  let flush: NodeJS.Immediate | undefined
  // One message per turn of the loop, with every connect that completed in it: a message per
  // port would cost a structured clone and a wake-up of the main thread each.
  const onOutcome = (index: number, outcome: Outcome<unknown>) => {
    // The scanner reports only its own outcomes, which are scan outcomes.
    batch.push([index, outcome as Outcome<ScanValue>])
    flush ??= setImmediate(() => {
      flush = undefined
      port.postMessage({ id, batch } satisfies ScanReply)
      batch = []
    })
  }
  const outcomes = await scanPort({ host, ports }, report ? { ...options, onOutcome } : options)
  // The whole chunk carries whatever the last batch would have.
  clearImmediate(flush)
  running.delete(id)
  port.postMessage({ id, outcomes } satisfies ScanReply)
})
port.postMessage('ready')
