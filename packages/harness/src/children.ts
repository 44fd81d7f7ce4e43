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

/** Kills every tracked process that is still running. */
export function killAll(signal: NodeJS.Signals = 'SIGKILL'): void {
  for (const child of live) child.kill(signal)
}
