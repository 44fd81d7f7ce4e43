/**
 * A worker thread of the hybrid scanner: scans its chunk with the default
 * promise scanner and posts the outcomes back. An `abort` message from the
 * main thread aborts the chunk, which then settles and is still posted.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { scanPort } from './scan-port.ts'

/** What the main thread sends each worker. */
export interface ScanJob {
  readonly host: string
  readonly ports: readonly number[]
  readonly concurrency: number
  readonly timeoutMs: number
}

const job = workerData as ScanJob
const controller = new AbortController()
parentPort?.on('message', (message) => {
  if (message === 'abort') controller.abort()
})
const outcomes = await scanPort(
  { host: job.host, ports: job.ports },
  {
    concurrency: job.concurrency,
    parallelism: 0,
    timeoutMs: job.timeoutMs,
    signal: controller.signal,
  },
)
parentPort?.postMessage(outcomes)
parentPort?.close()
