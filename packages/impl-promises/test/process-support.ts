/**
 * What the process tests share: this process's children as the process table
 * lists them, whether a process still runs, and waiting until the table
 * says what a test expects (a killed child takes a moment to be reaped).
 */
import { readdirSync, readFileSync } from 'node:fs'
import { setTimeout as sleep } from 'node:timers/promises'

/** The pids this process's threads have as children now (/proc/self/task/<tid>/children). */
export function children(): number[] {
  const pids: number[] = []
  for (const task of readdirSync('/proc/self/task')) {
    let listed = ''
    try {
      listed = readFileSync(`/proc/self/task/${task}/children`, 'utf8')
    } catch {
      // The thread ended meanwhile.
    }
    for (const pid of listed.split(' ')) if (pid.trim() !== '') pids.push(Number(pid))
  }
  return pids.sort((a, b) => a - b)
}

/** Whether `pid` is a live process: it exists and is not a zombie (exited, not yet reaped). */
export function running(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z'
  } catch {
    return false
  }
}

/** Polls `read` until `holds` is true of it or `withinMs` pass; returns the last reading. */
export async function eventually<T>(
  read: () => T,
  holds: (value: T) => boolean,
  withinMs = 2000,
): Promise<T> {
  const until = Date.now() + withinMs
  let value = read()
  while (!holds(value) && Date.now() < until) {
    await sleep(10)
    value = read()
  }
  return value
}

/** This process's children beyond `before`. */
export const newChildren = (before: readonly number[]) =>
  children().filter((pid) => !before.includes(pid))
