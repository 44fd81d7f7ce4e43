/**
 * fetch, streams style: `Readable.from(urls).map(fn, { concurrency, signal })`
 * — Node's own bounded, ordered map — with each request under its own
 * deadline (core's `deadline()`: `AbortSignal.timeout` joined to the run's
 * signal) on the kept client of the URLs' origin, and every failure caught
 * into an outcome, put in its place in the call's `Ledger` as it completes.
 * The price of the order: the map holds at most `2 × concurrency − 1` items
 * between its head and its newest, so a slow page at the head stops new
 * requests from starting (see the README).
 */
import { Readable } from 'node:stream'
import {
  checkFetchInput,
  deadline,
  type FetchValue,
  failed,
  failureOf,
  type HttpClient,
  type Outcome,
  success,
} from '@arena/core'
import { Ledger } from './ledger.ts'
import { oneShot, type Step } from './lifecycle.ts'

/**
 * One page as an outcome: a GET on `client` under a deadline of `timeoutMs`
 * joined to `signal`; `started` is called as the request goes out.
 */
export async function fetchOne(
  client: HttpClient,
  url: string,
  timeoutMs: number,
  signal: AbortSignal | undefined,
  started?: () => void,
): Promise<Outcome<FetchValue>> {
  const limit = deadline(timeoutMs, signal)
  started?.()
  try {
    return success(await client.get(url, { signal: limit }))
  } catch (error) {
    return failed(failureOf(error, limit))
  }
}

/** fetch on the kept resources. */
export const fetchOn: Step<'fetch'> = {
  check: checkFetchInput,
  async run(kept, { urls }, { concurrency, timeoutMs, signal, onStart, onOutcome }) {
    const first = urls[0]
    if (first === undefined) return []
    const client = kept.client(new URL(first).origin)
    const ledger = new Ledger<FetchValue>(urls.length, onOutcome)
    const pages = Readable.from(urls).map(
      ledger.each((url: string, index) =>
        fetchOne(client, url, timeoutMs, signal, onStart && (() => onStart(index))),
      ),
      { concurrency, signal },
    )
    return ledger.collect(pages, signal)
  },
}

/** Downloads every URL with at most `concurrency` requests in flight. */
export const fetch = oneShot(fetchOn)
