/**
 * Every process the harness starts (the mock world, cell children, nmap) is
 * tracked here, so an interrupted run can kill them all and leave no orphan.
 */
import type { ChildProcess } from 'node:child_process'

const live = new Set<ChildProcess>()

/** Tracks `child` until it exits; returns it. */
export function track<T extends ChildProcess>(child: T): T {
  live.add(child)
  child.once('exit', () => live.delete(child))
  return child
}

/**
 * Kills `child` and, when it leads a process group of its own (a cell child,
 * started detached), everything in that group: a tool the child started (nmap)
 * must not outlive it.
 */
export function killTree(child: ChildProcess, signal: NodeJS.Signals = 'SIGKILL'): void {
  try {
    if (child.pid !== undefined) process.kill(-child.pid, signal)
    else child.kill(signal)
  } catch {
    // Not a group leader, or already gone: the process alone.
    child.kill(signal)
  }
}

/** Kills every tracked process that is still running, and the groups they lead. */
export function killAll(signal: NodeJS.Signals = 'SIGKILL'): void {
  for (const child of live) killTree(child, signal)
}
