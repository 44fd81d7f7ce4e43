/**
 * Results as they complete, in the sequential style's terms: the loop reports
 * each item as it stores it, so every item starts, ends and is reported before
 * the next one starts — and after an abort the items left are reported as
 * `aborted` in input order, without a start.
 */
import { setTimeout as sleep } from 'node:timers/promises'
import {
  fetchInput,
  fetchSpec,
  hashInput,
  hashSpec,
  type Outcome,
  pipelineInput,
  pipelineSpec,
  type RunOptions,
} from '@arena/core'
import type { Event } from '@arena/kit/callbacks'
import { withCallbacks } from '@arena/kit/callbacks'
import { world } from '@arena/kit/contestant-support'
import { describe, expect, it } from 'vitest'
import { fetch, hash, pipeline, scanPort } from '../src/index.ts'

const options = (o: Partial<RunOptions> = {}): RunOptions => ({
  concurrency: 1,
  parallelism: 0,
  timeoutMs: 5000,
  ...o,
})

/** start 0, outcome 0, start 1, outcome 1, …: one item at a time, each reported at once. */
const oneByOne = (count: number): Event[] =>
  Array.from({ length: count }, (_, index) => [
    { kind: 'start' as const, index },
    { kind: 'outcome' as const, index },
  ]).flat()

type Call = (
  hooks: Pick<RunOptions, 'onStart' | 'onOutcome'>,
) => Promise<readonly Outcome<unknown>[]>

const calls = (): [string, number, Call][] => {
  const { origin, host, open } = world()
  const pages = fetchSpec({ seed: 130, count: 10, bytes: 1024 })
  const both = pipelineSpec({ seed: 131, count: 10, bytes: 4096 })
  const buffers = hashSpec({ seed: 132, count: 10, bytes: 16 * 1024 })
  return [
    ['fetch', 10, (hooks) => fetch(fetchInput(pages, origin), options(hooks))],
    ['pipeline', 10, (hooks) => pipeline(pipelineInput(both, origin), options(hooks))],
    ['hash', 10, (hooks) => hash(hashInput(buffers), options(hooks))],
    ['scanPort', open.length, (hooks) => scanPort({ host, ports: [...open] }, options(hooks))],
  ]
}

describe('sequential: results as they complete', () => {
  it('reports every item before the next one starts, in every workload', async () => {
    for (const [name, count, call] of calls()) {
      const { result, recorder } = await withCallbacks(call)
      expect(recorder.events, name).toEqual(oneByOne(count))
      expect(recorder.outcomes(count), name).toEqual(result)
    }
  })

  it('reports the items an abort leaves as aborted, in input order, with no start', async () => {
    const { origin } = world()
    const pages = fetchSpec({ seed: 133, count: 20, bytes: 1024 })
    const controller = new AbortController()
    const { result, recorder } = await withCallbacks((hooks) =>
      fetch(
        fetchInput(pages, origin),
        options({
          signal: controller.signal,
          onStart: hooks.onStart,
          // The abort comes as the third item is reported: between two items, so none is in flight.
          onOutcome: (index, outcome) => {
            hooks.onOutcome(index, outcome)
            if (index === 2) controller.abort()
          },
        }),
      ),
    )
    expect(result?.map((o) => o.ok || o.failure.kind)).toEqual([
      ...Array.from({ length: 3 }, () => true),
      ...Array.from({ length: 17 }, () => 'aborted'),
    ])
    expect(recorder.events).toEqual([
      ...oneByOne(3),
      ...Array.from({ length: 17 }, (_, i) => ({ kind: 'outcome', index: 3 + i })),
    ])
    expect(recorder.outcomes(20)).toEqual(result)
    await sleep(50)
    expect(recorder.late).toEqual([])
  })
})
