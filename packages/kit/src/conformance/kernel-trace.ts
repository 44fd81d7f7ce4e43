/**
 * What the sha256 kernel says about where and when it hashed. With
 * `ARENA_KERNEL_TRACE` in the environment when a worker thread loads the
 * kernel (a worker copies its parent's environment when it is constructed),
 * every digest posts its thread id and start and end instants on core's
 * broadcast channel. The kit listens there to prove what no timing can: that
 * `p` workers really hashed at the same time, and that an open instance kept
 * its workers between calls. Digests on the caller's own thread are left out:
 * only worker threads matter, and the caller's kernel may well have loaded
 * before the trace was turned on.
 */
import { BroadcastChannel, threadId } from 'node:worker_threads'
import { KERNEL_TRACE_CHANNEL, type KernelTrace, type Outcome } from '@arena/core'
import { expectVerified } from './support.ts'

/** How long to wait for traces still on their way after the work is done, in milliseconds. */
const TRACE_DELIVERY_MS = 2000

/** Turns the trace on for every worker thread constructed from now on. */
export function enableKernelTrace(): void {
  process.env.ARENA_KERNEL_TRACE = '1'
}

/** A running watch of the kernel (see {@link watchKernel}). */
export interface KernelWatch {
  /**
   * Stops listening and returns the digests worker threads started since the
   * watch began. When `expected` digests are due, it first waits (at most
   * {@link TRACE_DELIVERY_MS}) for that many to arrive; with none due it waits
   * a moment for stray ones.
   */
  stop(expected: number): Promise<KernelTrace[]>
}

const wallNow = () => performance.timeOrigin + performance.now()

/** Listens to the kernel's trace from now on; `stop` it in a `finally`, as it holds a port open. */
export function watchKernel(): KernelWatch {
  enableKernelTrace()
  const since = wallNow()
  const traces: KernelTrace[] = []
  const channel = new BroadcastChannel(KERNEL_TRACE_CHANNEL)
  channel.onmessage = (event) => {
    const trace = (event as { data: KernelTrace }).data
    if (trace.threadId !== threadId && trace.startMs >= since) traces.push(trace)
  }
  let stopped: Promise<KernelTrace[]> | undefined
  return {
    stop(expected) {
      stopped ??= (async () => {
        // Traces travel on their own port, so they may land after the answers they belong to.
        const deadline = Date.now() + (expected > 0 ? TRACE_DELIVERY_MS : 50)
        while (Date.now() < deadline && (expected === 0 || traces.length < expected))
          await new Promise((resolve) => setTimeout(resolve, 10))
        channel.close()
        return traces
      })()
      return stopped
    },
  }
}

/** The most distinct threads that had a digest in progress at one instant. */
export function peakThreads(traces: readonly KernelTrace[]): number {
  const events = traces.flatMap((t) => [
    { at: t.startMs, delta: 1, thread: t.threadId },
    { at: t.endMs, delta: -1, thread: t.threadId },
  ])
  // A digest that ends at the instant another starts did not overlap it.
  events.sort((a, b) => a.at - b.at || a.delta - b.delta)
  const running = new Map<number, number>()
  let peak = 0
  for (const { delta, thread } of events) {
    const now = (running.get(thread) ?? 0) + delta
    if (now === 0) running.delete(thread)
    else running.set(thread, now)
    peak = Math.max(peak, running.size)
  }
  return peak
}

/** The worker threads that hashed. */
export const threadsOf = (traces: readonly KernelTrace[]): Set<number> =>
  new Set(traces.map((t) => t.threadId))

/**
 * Runs `work` while watching the kernel, verifies its answer against
 * `expected`, and returns the digests worker threads made; `workers` is how
 * many the run should use (none: no digest is waited for).
 */
export async function tracedRun<T>(
  work: () => Promise<readonly Outcome<T>[]>,
  expected: readonly Outcome<T>[],
  workers: number,
): Promise<KernelTrace[]> {
  const watch = watchKernel()
  let result: readonly Outcome<T>[]
  try {
    result = await work()
  } catch (error) {
    await watch.stop(0)
    throw error
  }
  const traces = await watch.stop(workers > 0 ? expected.length : 0)
  expectVerified(expected, result)
  return traces
}
