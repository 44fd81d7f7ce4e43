/**
 * What the lifecycle tests share: the mock world the kit's global setup
 * provides, and a count of this process's threads and handles.
 */

import { lookup } from 'node:dns/promises'
import { readdirSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { setTimeout as sleep } from 'node:timers/promises'
import { inject } from 'vitest'

/** The part of the kit's mock world these tests use. */
export interface World {
  readonly origin: string
  readonly host: string
  readonly open: readonly number[]
  readonly filtered: readonly number[]
}

/** The mock world of this test project (the kit's global setup provides it as `arenaWorld`). */
export const world = (): World => (inject as (key: string) => World)('arenaWorld')

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
