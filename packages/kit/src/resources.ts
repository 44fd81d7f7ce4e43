/**
 * Leak detection for the conformance kit: the libuv handles a process holds
 * (sockets, servers, timers) and its OS threads (worker threads are threads;
 * `getActiveResourcesInfo` does not list them). A workload that returns while
 * a socket, timer or worker is still alive leaks it; these helpers prove none is.
 */
import { readdirSync } from 'node:fs'

/** Counts of live handles by type, and the process's thread count. */
export interface ResourceSnapshot {
  readonly handles: ReadonlyMap<string, number>
  readonly threads: number
}

/** The resources this process holds now. */
export function snapshotResources(): ResourceSnapshot {
  const handles = new Map<string, number>()
  for (const type of process.getActiveResourcesInfo())
    handles.set(type, (handles.get(type) ?? 0) + 1)
  return { handles, threads: readdirSync('/proc/self/task').length }
}

/** What `now` holds beyond `before`, one phrase per kind; empty when nothing leaked. */
export function leaksSince(
  before: ResourceSnapshot,
  now: ResourceSnapshot = snapshotResources(),
): string[] {
  const leaks: string[] = []
  for (const [type, count] of now.handles) {
    const extra = count - (before.handles.get(type) ?? 0)
    if (extra > 0) leaks.push(`${extra} × ${type}`)
  }
  if (now.threads > before.threads)
    leaks.push(`${now.threads - before.threads} thread(s) (worker threads not terminated?)`)
  return leaks
}

/**
 * Waits until nothing is left beyond `before`, giving closing sockets and
 * exiting threads `withinMs` to finish, then reports what is still alive.
 */
export async function waitForNoLeaks(before: ResourceSnapshot, withinMs = 2000): Promise<string[]> {
  const deadline = Date.now() + withinMs
  let leaks = leaksSince(before)
  while (leaks.length > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 20))
    leaks = leaksSince(before)
  }
  return leaks
}
