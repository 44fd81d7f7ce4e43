/**
 * The ceiling's `hash`: sha256 of every buffer with core's kernel, on
 * `parallelism` raw worker threads that each take one contiguous share of
 * the input (split by bytes), sent as a few batches of transferred buffers —
 * or, with parallelism 0, in a plain loop on this thread. An opened instance
 * keeps its workers warm between calls; a one-shot call starts and
 * terminates its own, start-up included.
 */
import { performance } from 'node:perf_hooks'
import {
  checkHashInput,
  checkRunOptions,
  type HashInput,
  type HashResult,
  type RunOptions,
  sha256Hex,
} from '@arena/core'
import { DigestCall } from './digest-call.ts'
import { type HashWorkers, ownBuffers, startFor } from './hash-workers.ts'
import { expectParallelism, type Kept } from './kept.ts'

/** Most items in one message to a worker. */
const BATCH_ITEMS = 256
/** Most bytes in one message (one item may be larger): about 3 ms of hashing, so answers flow back steadily. */
const BATCH_BYTES = 1 << 20
/** Per-item cost of a hash in "bytes", so shares of many tiny buffers balance too. */
const ITEM_WEIGHT = 64
/** Longest stretch the event loop hashes without letting an abort in, ms. */
const SLICE_MS = 10

/** Hashes every buffer: on the instance's workers when `kept` is given, else on workers of its own. */
export async function hashBuffers(
  input: HashInput,
  options: RunOptions,
  kept?: Kept,
): Promise<HashResult> {
  const { buffers } = checkHashInput(input)
  const { parallelism, timeoutMs, signal, onStart, onOutcome } = checkRunOptions(options)
  if (kept) expectParallelism(kept, parallelism, 'hash')
  const call = new DigestCall(buffers.length, { onStart, onOutcome })
  let workers = kept?.workers
  if (!call.watch(signal, () => workers?.cancel(call))) return call.promise
  if (parallelism === 0) return hashHere(call, buffers)
  const own = workers === undefined
  workers ??= await startFor(call, parallelism)
  if (workers === undefined) return call.promise
  try {
    hashOn(workers, call, buffers, timeoutMs)
    return await call.promise
  } finally {
    // After an abort the answer is final at once; threads still starting take 150 ms or more to end.
    const closing = own ? workers.close() : undefined
    if (!signal?.aborted) await closing
  }
}

/** Hashes every buffer on this thread, letting an abort (the call's watch) in every few milliseconds. */
function hashHere(call: DigestCall, buffers: readonly Uint8Array[]): Promise<HashResult> {
  let next = 0
  const slice = () => {
    const until = performance.now() + SLICE_MS
    while (next < buffers.length && !call.finished) {
      call.start(next, 1)
      call.set(next, sha256Hex(buffers[next] as Uint8Array))
      next++
      if (performance.now() >= until) return void setImmediate(slice)
    }
  }
  slice()
  return call.promise
}

/** Where each worker's share starts: contiguous ranges of about equal weight. */
function shares(buffers: readonly Uint8Array[], workers: number): number[] {
  let total = 0
  for (const buffer of buffers) total += buffer.byteLength + ITEM_WEIGHT
  const starts = [0]
  let weight = 0
  for (let i = 0; i < buffers.length && starts.length < workers; i++) {
    weight += (buffers[i] as Uint8Array).byteLength + ITEM_WEIGHT
    if (weight >= (total * starts.length) / workers) starts.push(i + 1)
  }
  while (starts.length < workers) starts.push(buffers.length)
  return starts
}

/** The batches of one share, as [first, end) ranges. */
function batches(buffers: readonly Uint8Array[], from: number, to: number): [number, number][] {
  const ranges: [number, number][] = []
  let first = from
  let bytes = 0
  for (let i = from; i < to; i++) {
    const size = (buffers[i] as Uint8Array).byteLength
    if (i > first && (i - first >= BATCH_ITEMS || bytes + size > BATCH_BYTES)) {
      ranges.push([first, i])
      first = i
      bytes = 0
    }
    bytes += size
  }
  if (to > first) ranges.push([first, to])
  return ranges
}

/** Hashes every buffer on `workers`, each worker taking one share; `call` collects the digests. */
function hashOn(
  workers: HashWorkers,
  call: DigestCall,
  input: readonly Uint8Array[],
  timeoutMs: number,
): void {
  const buffers = ownBuffers(input)
  const starts = shares(buffers, workers.size)
  const plan = starts.map((from, k) => batches(buffers, from, starts[k + 1] ?? buffers.length))
  // Batch by batch across the workers, so every worker starts on its first batch at once.
  for (let round = 0; plan.some((share) => round < share.length); round++) {
    plan.forEach((share, k) => {
      const range = share[round]
      if (range) workers.post(call, range[0], buffers.slice(range[0], range[1]), k, true)
    })
  }
  if (!call.finished) {
    const sweep = setInterval(() => workers.expire(timeoutMs), Math.max(1, timeoutMs / 4))
    call.onFinish(() => clearInterval(sweep))
  }
}
