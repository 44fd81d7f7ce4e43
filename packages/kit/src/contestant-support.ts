/**
 * What a contestant's own lifecycle tests share (`@arena/kit/contestant-support`):
 * the mock world the kit's global setup provides, a count of this process's
 * threads and handles, and the kernel's
 * trace of which thread hashed what. The trace must be switched on before the
 * first worker starts (workers copy the environment when they are created),
 * so a test file calls `traceKernel()` at its top.
 */

import { lookup } from 'node:dns/promises'
import { readdirSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { setTimeout as sleep } from 'node:timers/promises'
import { BroadcastChannel } from 'node:worker_threads'
import { KERNEL_TRACE_CHANNEL, type KernelTrace } from '@arena/core'

/** The mock world of this test project, as the kit's global setup provides it. */
export { world } from './conformance/support.ts'

/** OS threads of this process (worker threads are threads) and its libuv handles by type. */
export interface Snapshot {
  readonly threads: number
  readonly handles: ReadonlyMap<string, number>
}

export function snapshot(): Snapshot {
  const handles = new Map<string, number>()
  for (const type of process.getActiveResourcesInfo())
    handles.set(type, (handles.get(type) ?? 0) + 1)
  return { threads: readdirSync('/proc/self/task').length, handles }
}

/** What `now` holds beyond `before`, one phrase per kind; empty when nothing is left. */
export function leftSince(before: Snapshot, now: Snapshot = snapshot()): string[] {
  const left: string[] = []
  for (const [type, count] of now.handles) {
    const extra = count - (before.handles.get(type) ?? 0)
    if (extra > 0) left.push(`${extra} × ${type}`)
  }
  if (now.threads > before.threads) left.push(`${now.threads - before.threads} thread(s)`)
  return left
}

/**
 * What is left beyond `before` once a closed socket's handle is gone and a
 * terminated thread has exited: libuv frees a closed handle on a later turn of
 * the loop, and a worker's OS thread can still be in /proc a moment after its
 * `exit` event (a fresh-clone CI run counted one there, once), so both get a
 * few turns, at most `withinMs`.
 */
export async function leftAfterClose(before: Snapshot, withinMs = 100): Promise<string[]> {
  const until = Date.now() + withinMs
  let left = leftSince(before)
  while (left.length > 0 && Date.now() < until) {
    await sleep(5)
    left = leftSince(before)
  }
  return left
}

/** Starts libuv's thread pool now, so its lazily spawned threads are not counted as the instance's. */
export async function warmThreadPool(): Promise<void> {
  await Promise.all([readFile(new URL(import.meta.url)), lookup('127.0.0.1')])
}

/** Switches the kernel's trace on for workers started from now on and collects what they post. */
export function traceKernel() {
  process.env.ARENA_KERNEL_TRACE = '1'
  const traces: KernelTrace[] = []
  const channel = new BroadcastChannel(KERNEL_TRACE_CHANNEL)
  channel.onmessage = (event) => traces.push((event as { data: KernelTrace }).data)
  channel.unref()
  return {
    /** Forgets what was collected so far. */
    clear: () => void traces.splice(0),
    /** The threads that hashed since the last `clear`, once at least `digests` digests arrived (within 2 s). */
    async threads(digests: number): Promise<Set<number>> {
      const until = Date.now() + 2000
      while (traces.length < digests && Date.now() < until) await sleep(5)
      return new Set(traces.map((t) => t.threadId))
    },
    close: () => channel.close(),
  }
}
