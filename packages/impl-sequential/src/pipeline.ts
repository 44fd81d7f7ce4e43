/**
 * pipeline, sequential style: download a page, digest it on the event loop,
 * then the next page. Nothing overlaps: while a page downloads nothing is
 * hashed, and while a digest is computed nothing downloads. The run's signal
 * is checked before every page, and each outcome is reported as the loop
 * stores it.
 */
import {
  abortedFailure,
  checkFetchInput,
  checkRunOptions,
  createHttpClient,
  deadline,
  failed,
  failureOf,
  type Outcome,
  type PipelineInput,
  type PipelineResult,
  type PipelineValue,
  type RunOptions,
  sha256Hex,
  success,
} from '@arena/core'

/** Downloads every page and digests its body, one page at a time. */
export async function pipeline(input: PipelineInput, options: RunOptions): Promise<PipelineResult> {
  const origin = checkFetchInput(input)
  const { timeoutMs, signal, onStart, onOutcome } = checkRunOptions(options)
  if (origin === undefined) return []
  const client = createHttpClient({ origin, connections: 1 })
  const results: Outcome<PipelineValue>[] = []
  try {
    for (const [index, url] of input.urls.entries()) {
      let outcome: Outcome<PipelineValue> = failed(abortedFailure)
      if (!signal?.aborted) {
        const limit = deadline(timeoutMs, signal)
        onStart?.(index)
        try {
          const { body } = await client.getBody(url, { signal: limit })
          outcome = success({ digest: sha256Hex(body) })
        } catch (error) {
          outcome = failed(failureOf(error, limit))
        }
      }
      results.push(outcome)
      onOutcome?.(index, outcome)
    }
    return results
  } finally {
    await client.close()
  }
}
