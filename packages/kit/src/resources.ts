/**
 * Leak detection for the conformance kit: the libuv handles a process holds
 * (sockets, servers, timers), its OS threads (worker threads are threads;
 * `getActiveResourcesInfo` does not list them) and its child processes (a
 * process pool's children; the process table, since a child outlives every
 * handle of it in the parent once its pipes are closed). A workload that
 * returns while a socket, timer, worker or child process is still alive leaks
 * it; these helpers prove none is.
 */
import { readdirSync, readFileSync } from 'node:fs'

/** Counts of live handles by type, the process's thread count, and its children. */
export interface ResourceSnapshot {
  readonly handles: ReadonlyMap<string, number>
  readonly threads: number
  /** Process ids of this process's children (a zombie not yet reaped included). */
  readonly processes: readonly number[]
}

/** The text of a /proc file, or `undefined` once it is gone (its thread or process ended). */
function readProc(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8')
  } catch {
    return undefined
  }
}

/**
 * Process ids of this process's children, ascending: every thread's
 * `/proc/self/task/<tid>/children` (a child is listed under the thread that
 * forked it), or, on a kernel built without those lists, every process in
 * /proc whose parent is this one.
 */
export function childProcesses(): number[] {
  const pids = new Set<number>()
  let listed = false
  for (const task of readdirSync('/proc/self/task')) {
    const children = readProc(`/proc/self/task/${task}/children`)
    if (children === undefined) continue
    listed = true
    for (const pid of children.split(' ')) if (pid.trim() !== '') pids.add(Number(pid))
  }
  if (!listed)
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue
      // The parent's pid is the second field after the command, which is in parentheses and may hold spaces.
      const stat = readProc(`/proc/${entry}/stat`)
      const ppid = stat?.slice(stat.lastIndexOf(')') + 2).split(' ')[1]
      if (Number(ppid) === process.pid) pids.add(Number(entry))
    }
  return [...pids].sort((a, b) => a - b)
}

/** The resources this process holds now. */
export function snapshotResources(): ResourceSnapshot {
  const handles = new Map<string, number>()
  for (const type of process.getActiveResourcesInfo())
    handles.set(type, (handles.get(type) ?? 0) + 1)
  return {
    handles,
    threads: readdirSync('/proc/self/task').length,
    processes: childProcesses(),
  }
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
  const children = now.processes.filter((pid) => !before.processes.includes(pid))
  if (children.length > 0)
    leaks.push(`${children.length} child process(es) still running (pids ${children.join(', ')})`)
  return leaks
}

/**
 * Waits until nothing is left beyond `before`, giving closing sockets and
 * exiting threads and processes `withinMs` to finish, then reports what is
 * still alive.
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
