/**
 * The ceiling's `fetch`: what every contestant's `fetch` does — a GET per
 * URL, the whole body read, its length and CRC-32 returned — on the fastest
 * client Node offers, undici's `dispatch` with a handler (see `pages.ts`).
 * On an opened instance it reuses the instance's warm connections; a
 * one-shot call opens its own pool and destroys it before it resolves.
 */
import { checkRunOptions, type FetchInput, type FetchResult, type RunOptions } from '@arena/core'
import { expectConcurrency, type Kept } from './kept.ts'
import { Origins } from './origins.ts'
import { downloadPages, fetchOutcomes, pagePaths } from './pages.ts'

/** Downloads every URL with `concurrency` lanes, on the instance's pools when `kept` is given. */
export async function fetchPages(
  input: FetchInput,
  options: RunOptions,
  kept?: Kept,
): Promise<FetchResult> {
  const { origin, paths } = pagePaths(input)
  const { concurrency, timeoutMs, signal, onStart, onOutcome } = checkRunOptions(options)
  if (kept) expectConcurrency(kept, concurrency)
  if (origin === undefined) return []
  const origins = kept?.origins ?? new Origins(concurrency)
  try {
    const { outcomes, sink } = fetchOutcomes(paths.length, onOutcome)
    const run = { concurrency, timeoutMs, signal, onStart }
    await downloadPages(origins.pool(origin), paths, run, sink)
    return outcomes
  } finally {
    if (!kept) await origins.close()
  }
}
