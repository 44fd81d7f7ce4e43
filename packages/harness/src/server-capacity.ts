/**
 * The mock server's own capacity: autocannon on one prebuilt URL at the
 * point's concurrency and page. autocannon never checksums a body and asks
 * for the same URL over and over, so this is what the server sustains, not
 * what a client doing the contestants' work can reach — the report shows it as
 * context beside the ceiling, never as one.
 */
import type { Point } from '@arena/core'
import autocannon from 'autocannon'

/** Requests per second the mock server answered at `origin` for `point`'s page, over `seconds`. */
export async function serverCapacity(
  point: Point,
  origin: string,
  seconds: number,
): Promise<number> {
  const url = `${origin}/page/1/0?bytes=${point.bytes}&latency=${point.latencyMs}&fault=none`
  // autocannon finishes on its one-second sampling tick, so a fixed request count
  // understates short runs; a fixed duration is how it is meant to be driven.
  const result = await autocannon({
    url,
    connections: point.concurrency,
    duration: seconds,
    pipelining: 1,
  })
  if (result.non2xx > 0 || result.errors > 0)
    throw new Error(`autocannon saw ${result.non2xx} non-2xx and ${result.errors} errors`)
  return result.requests.total / result.duration
}
