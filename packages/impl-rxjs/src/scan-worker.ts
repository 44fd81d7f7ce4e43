/**
 * A worker thread of the hybrid scanner, kept for as many scans as its
 * owner sends: each job is a chunk of ports scanned with the default
 * variant's RxJS probe stream, its outcomes posted back as they come, in
 * batches, each tagged with the job and the port's index in the chunk. A
 * cancel message unsubscribes that job's stream, which destroys its sockets;
 * the thread stays for the next job. It stays TypeScript for now: it
 * imports the probe stream and `@arena/core`, TypeScript modules both, so a
 * plain-JavaScript entry alone would not spare its start-up the type
 * stripper; an instance's threads pay that start-up once, at `open`.
 */
import { parentPort } from 'node:worker_threads'
import type { ScanValue } from '@arena/core'
import { bufferTime, filter, Subscription } from 'rxjs'
import { type Indexed, mapOutcomes } from './outcomes.ts'
import { probe } from './probe.ts'

/** One chunk of one scan. */
export interface ScanJob {
  readonly host: string
  readonly ports: readonly number[]
  readonly concurrency: number
  readonly timeoutMs: number
}

/** What the main thread sends a scan worker: a job to start, or one to cancel. */
export type ScanRequest =
  | { readonly id: number; readonly job: ScanJob }
  | { readonly cancel: number }

/** What a scan worker sends back: `'ready'` once loaded, then batches of a job's outcomes. */
export type ScanReply = 'ready' | { readonly id: number; readonly batch: Indexed<ScanValue>[] }

// One message per port would cost more than its probe; and a batch is at most
// what an abort can lose of the answers this worker has already found.
const BATCH_MS = 20

const port = parentPort
if (port === null) throw new Error('scan-worker.ts is a worker thread entry point')
const running = new Map<number, Subscription>()

port.on('message', (request: ScanRequest) => {
  if ('cancel' in request) {
    running.get(request.cancel)?.unsubscribe()
    running.delete(request.cancel)
    return
  }
  const { id, job } = request
  const subscription = new Subscription(() => running.delete(id))
  running.set(id, subscription)
  subscription.add(
    mapOutcomes(job.ports, job.concurrency, (p) => probe(job.host, p, job.timeoutMs))
      .pipe(
        bufferTime(BATCH_MS),
        filter((batch) => batch.length > 0),
      )
      .subscribe({
        next: (batch) => port.postMessage({ id, batch } satisfies ScanReply),
        complete: () => subscription.unsubscribe(),
      }),
  )
})
// The first message says the module is loaded: the owner counts this thread ready from here.
port.postMessage('ready' satisfies ScanReply)
