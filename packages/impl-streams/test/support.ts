/**
 * What this package's own tests share beyond the kit: the mock world the
 * kit's global setup provides, and a count of this process's OS threads
 * (worker threads are threads) and libuv handles, to show what an instance or
 * a pool leaves behind once closed.
 */
import { readdirSync } from 'node:fs'
import { setTimeout as sleep } from 'node:timers/promises'
import type { MockWorldInfo } from '@arena/kit/mock-world'
import { inject } from 'vitest'

/** The mock world of this test project (the kit's global setup provides it as `arenaWorld`). */
export const world = (): MockWorldInfo => (inject as (key: string) => MockWorldInfo)('arenaWorld')

/** OS threads of this process now. */
export const threadCount = (): number => readdirSync('/proc/self/task').length

/** Live libuv handles of this process, by type. */
function handles(): Map<string, number> {
  const counts = new Map<string, number>()
  for (const type of process.getActiveResourcesInfo()) counts.set(type, (counts.get(type) ?? 0) + 1)
  return counts
}

/** What this process holds now, to compare with later. */
export function snapshot() {
  return { threads: threadCount(), handles: handles() }
}

/**
 * What is held beyond `before`: threads at once (a `close` must have waited
 * for them), handles after a few turns of the loop (libuv frees a closed
 * socket's handle on a later turn), at most `withinMs`.
 */
export async function leftSince(
  before: ReturnType<typeof snapshot>,
  withinMs = 200,
): Promise<string[]> {
  // Threads and handles get the same grace: a thread that close terminated may still be exiting.
  const extra = () => {
    const threads = threadCount() - before.threads
    const more = [...handles()].flatMap(([type, n]) => {
      const count = n - (before.handles.get(type) ?? 0)
      return count > 0 ? [`${count} × ${type}`] : []
    })
    return threads > 0 ? [`${threads} thread(s)`, ...more] : more
  }
  const until = Date.now() + withinMs
  let left = extra()
  while (left.length > 0 && Date.now() < until) {
    await sleep(10)
    left = extra()
  }
  return left
}
