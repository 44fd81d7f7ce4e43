/**
 * hash, sequential style: every digest on the event loop, one after the
 * other, whatever `parallelism` asks (the variant declares `parallelism: 0`).
 * It yields to the loop between items, so an abort is still heard and the
 * unfinished items end `aborted`.
 */
import { setImmediate as yieldToLoop } from 'node:timers/promises'
import {
  abortedFailure,
  checkHashInput,
  checkRunOptions,
  failed,
  type HashInput,
  type HashResult,
  type HashValue,
  type Outcome,
  type RunOptions,
  sha256Hex,
  success,
} from '@arena/core'

/** Digests every buffer on the event loop. */
export async function hash(input: HashInput, options: RunOptions): Promise<HashResult> {
  checkHashInput(input)
  const { signal } = checkRunOptions(options)
  const results: Outcome<HashValue>[] = []
  for (const buffer of input.buffers) {
    results.push(signal?.aborted ? failed(abortedFailure) : success({ digest: sha256Hex(buffer) }))
    await yieldToLoop()
  }
  return results
}
