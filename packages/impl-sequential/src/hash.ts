/**
 * hash, sequential style: every digest on the event loop, one after the
 * other, whatever `parallelism` asks (the variant declares `parallelism: 0`).
 * It yields to the loop between items, so an abort is still heard and the
 * unfinished items end `aborted`; each outcome is reported as it is stored.
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
  const { signal, onStart, onOutcome } = checkRunOptions(options)
  const results: Outcome<HashValue>[] = []
  for (const [index, buffer] of input.buffers.entries()) {
    let outcome: Outcome<HashValue> = failed(abortedFailure)
    if (!signal?.aborted) {
      onStart?.(index)
      outcome = success({ digest: sha256Hex(buffer) })
    }
    results.push(outcome)
    onOutcome?.(index, outcome)
    await yieldToLoop()
  }
  return results
}
