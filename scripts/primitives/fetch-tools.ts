/**
 * The fetch group of the primitives benchmark: 2,000 × 1 KiB pages at
 * concurrency 64 on warm connections, every answer verified against the mock
 * world's bodies. The reference is the harness's ceiling — undici `dispatch`
 * lanes whose handler CRCs each chunk, one deadline sweep per run — opened as
 * the harness opens it. Against it: lanes of core's `client.get` as a
 * contestant writes them (the input checked, a deadline per request, every
 * failure an outcome), with the cleared-timer deadline, with the
 * `AbortSignal.timeout` idiom, and with no deadline at all.
 */
import {
  checkFetchInput,
  createHttpClient,
  deadline,
  describeVerdict,
  disposableDeadline,
  expectedFetch,
  type FetchInput,
  type FetchValue,
  failed,
  failureOf,
  fetchInput,
  fetchSpec,
  type Outcome,
  type RunOptions,
  success,
  verifyOutcomes,
  type Workloads,
} from '../../packages/core/src/index.ts'
import { openCeiling } from '../../packages/harness/src/ceiling/instance.ts'
import { interleave, type Timings } from './interleave.ts'

/** The point measured. */
export const FETCH_POINT = { count: 2000, bytes: 1024, concurrency: 64, timeoutMs: 10_000 }

export const CEILING_FETCH = 'ceiling dispatch (harness)'
export const CORE_GET = 'core.get + disposableDeadline'
export const CORE_GET_IDIOM = 'core.get + deadline (timeout+any)'
export const CORE_GET_BARE = 'core.get, no deadline'

/** `count` calls of `task` with at most `concurrency` in flight; results in input order. */
export async function lanes<R>(
  count: number,
  concurrency: number,
  task: (index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(count)
  let next = 0
  const lane = async () => {
    while (next < count) {
      const index = next++
      results[index] = await task(index)
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, lane))
  return results
}

/** Runs the fetch group for `rounds` rounds against the world at `origin`. */
export async function measureFetch(origin: string, rounds: number): Promise<Timings> {
  const { count, bytes, concurrency, timeoutMs } = FETCH_POINT
  const spec = fetchSpec({ seed: 13, count, bytes })
  const input: FetchInput = fetchInput(spec, origin)
  const expected = expectedFetch(spec)
  const run: RunOptions = { concurrency, parallelism: 0, timeoutMs }
  const ceiling = await openCeiling({ concurrency, parallelism: 0 })
  const client = createHttpClient({ origin, connections: concurrency })

  const { urls } = input
  // The three lanes differ only in their deadline line, as a contestant would write each.
  const tuned = async () => {
    checkFetchInput(input)
    return lanes(urls.length, concurrency, async (i): Promise<Outcome<FetchValue>> => {
      using limit = disposableDeadline(timeoutMs)
      try {
        return success(await client.get(urls[i] as string, { signal: limit }))
      } catch (error) {
        return failed(failureOf(error, limit))
      }
    })
  }
  const idiom = async () => {
    checkFetchInput(input)
    return lanes(urls.length, concurrency, async (i): Promise<Outcome<FetchValue>> => {
      const limit = deadline(timeoutMs, undefined)
      try {
        return success(await client.get(urls[i] as string, { signal: limit }))
      } catch (error) {
        return failed(failureOf(error, limit))
      }
    })
  }
  const bare = async () => {
    checkFetchInput(input)
    return lanes(urls.length, concurrency, async (i): Promise<Outcome<FetchValue>> => {
      try {
        return success(await client.get(urls[i] as string))
      } catch (error) {
        return failed(failureOf(error))
      }
    })
  }

  try {
    return await interleave(
      {
        [CEILING_FETCH]: () => (ceiling.workloads.fetch as Workloads['fetch'])(input, run),
        [CORE_GET]: tuned,
        [CORE_GET_IDIOM]: idiom,
        [CORE_GET_BARE]: bare,
      },
      rounds,
      (tool, answer) => {
        const verdict = verifyOutcomes(expected, answer as Outcome<unknown>[])
        if (!verdict.ok) throw new Error(`${tool}: ${describeVerdict(verdict)}`)
      },
    )
  } finally {
    await Promise.all([ceiling.close(), client.close()])
  }
}
