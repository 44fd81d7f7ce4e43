/**
 * A worker thread of the hybrid scanner: scans each chunk it is sent with the
 * default promise scanner and posts the outcomes back under the chunk's id.
 * It lives as long as the scanner keeps it, and scans several chunks at once
 * if asked; an `abort` message for an id aborts that chunk, which then
 * settles and is still posted. Its first message says it has loaded.
 */
import { parentPort } from 'node:worker_threads'
import type { ScanResult } from '@arena/core'
import { scanPort } from './scan-port.ts'

/** A chunk of ports to scan, as the main thread sends it. */
export interface ScanJob {
  readonly id: number
  readonly host: string
  readonly ports: readonly number[]
  readonly concurrency: number
  readonly timeoutMs: number
}

/** What the main thread sends: a chunk, or the abort of one. */
export type ScanRequest =
  | { readonly kind: 'scan'; readonly job: ScanJob }
  | { readonly kind: 'abort'; readonly id: number }

/** What the worker sends back for a chunk. */
export interface ScanReply {
  readonly id: number
  readonly outcomes: ScanResult
}

const port = parentPort
if (!port) throw new Error('scan-worker.ts runs as a worker thread only')
const running = new Map<number, AbortController>()

port.on('message', async (request: ScanRequest) => {
  if (request.kind === 'abort') return running.get(request.id)?.abort()
  const { id, host, ports, concurrency, timeoutMs } = request.job
  const controller = new AbortController()
  running.set(id, controller)
  const outcomes = await scanPort(
    { host, ports },
    { concurrency, parallelism: 0, timeoutMs, signal: controller.signal },
  )
  running.delete(id)
  port.postMessage({ id, outcomes } satisfies ScanReply)
})
port.postMessage('ready')
