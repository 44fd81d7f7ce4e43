/**
 * pipeline on child processes, raw-promise style: `concurrency` lanes, each
 * downloading a page and then awaiting its digest from the kept process pool
 * (or computing it on the loop with `parallelism` 0). While one lane waits for
 * a digest the others keep downloading, so I/O and hashing overlap, and at
 * most `concurrency` bodies are held at once. Each item's outcome is reported
 * as its lane finishes it.
 */
import {
  abortedFailure,
  checkFetchInput,
  deadline,
  failed,
  failureOf,
  type Outcome,
  type PipelineValue,
  sha256Hex,
  success,
} from '@arena/core'
import { oneShot, type Step } from './lifecycle.ts'
import { mapConcurrent } from './limit.ts'
import { ProcessResources } from './process-resources.ts'

/** pipeline on what the processes variant keeps. */
export const pipelineProcessesOn: Step<ProcessResources, 'pipeline'> = {
  check: checkFetchInput,
  async run(kept, { urls }, { concurrency, timeoutMs, signal, onOutcome, onStart }) {
    const first = urls[0]
    if (first === undefined) return []
    const client = kept.client(new URL(first).origin)
    // Started before the first download, so a one-shot call's processes load while pages arrive.
    const pool = signal?.aborted ? undefined : kept.pool()
    const item = async (url: string, index: number): Promise<Outcome<PipelineValue>> => {
      if (signal?.aborted) return failed(abortedFailure)
      onStart?.(index)
      const limit = deadline(timeoutMs, signal)
      let body: Uint8Array
      try {
        ;({ body } = await client.getBody(url, { signal: limit }))
      } catch (error) {
        return failed(failureOf(error, limit))
      }
      try {
        return success({
          digest: pool ? await pool.run(body, { signal, timeoutMs }) : sha256Hex(body),
        })
      } catch (error) {
        return failed(failureOf(error, signal))
      }
    }
    return mapConcurrent(urls, concurrency, async (url, index) => {
      const outcome = await item(url, index)
      onOutcome?.(index, outcome)
      return outcome
    })
  },
}

/** Downloads every page and digests its body in child processes, overlapping the two. */
export const pipelineProcesses = oneShot(
  (options) => new ProcessResources(options),
  pipelineProcessesOn,
)
