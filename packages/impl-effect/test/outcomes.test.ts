/**
 * Results as they complete, on every workload of every variant, one-shot and
 * on an instance opened for that workload: each item's outcome reported once,
 * equal to the one the call resolves with, before the call settles and never
 * after; each `onStart` at most once and before its outcome; and outcomes in
 * completion order — a slow item first in the input is reported last. The
 * kit's own checks (faults, aborts at random moments) run beside these once
 * the kit registers them.
 */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'
import {
  type Outcome,
  type RunOptions,
  sha256Hex,
  type Variant,
  type WorkloadId,
} from '@arena/core'
import { markWorkerFault } from '@arena/core/kernel'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { implementation } from '../src/index.ts'

/** How long the slow page holds its item up, ms. */
const SLOW_MS = 500
/** The scan's deadline, which the filtered port holds its item up for, ms. */
const FILTERED_MS = 1000
/** How long after a call settles a late callback is waited for, ms. */
const LATE_MS = 50

type Hooks = Required<Pick<RunOptions, 'onOutcome' | 'onStart'>>

/** Runs `run` with recording hooks; returns the result, outcome order and what was wrong. */
async function reported<T>(run: (hooks: Hooks) => Promise<readonly Outcome<T>[]>) {
  const outcomes = new Map<number, Outcome<unknown>[]>()
  const starts = new Map<number, number>()
  const order: number[] = []
  const problems: string[] = []
  let settled = false
  let inFlight = 0
  let maxInFlight = 0
  const hooks: Hooks = {
    onStart(index) {
      if (settled) problems.push(`onStart(${index}) after the call settled`)
      if (outcomes.has(index)) problems.push(`onStart(${index}) after its outcome`)
      starts.set(index, (starts.get(index) ?? 0) + 1)
      maxInFlight = Math.max(maxInFlight, ++inFlight)
    },
    onOutcome(index, outcome) {
      if (settled) problems.push(`onOutcome(${index}) after the call settled`)
      outcomes.set(index, [...(outcomes.get(index) ?? []), outcome])
      order.push(index)
      if (starts.has(index)) inFlight--
    },
  }
  let result: readonly Outcome<T>[]
  try {
    result = await run(hooks)
  } finally {
    settled = true
  }
  await sleep(LATE_MS)
  result.forEach((outcome, index) => {
    const got = outcomes.get(index) ?? []
    if (got.length !== 1) problems.push(`item ${index}: ${got.length} outcomes reported`)
    else if (JSON.stringify(got[0]) !== JSON.stringify(outcome))
      problems.push(`item ${index}: reported another outcome than the result's`)
    if ((starts.get(index) ?? 0) > 1) problems.push(`item ${index}: started more than once`)
  })
  if (order.length !== result.length) problems.push(`${order.length} outcomes for ${result.length}`)
  return { result, order, starts, maxInFlight, problems: problems.slice(0, 5) }
}

/** A server whose `/slow` answers after {@link SLOW_MS} and every other path at once. */
async function pageServer(): Promise<{ origin: string; server: Server }> {
  const server = createServer((req, res) => {
    if (req.url?.startsWith('/slow')) setTimeout(() => res.end('slow'), SLOW_MS)
    else res.end('fast')
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return { origin: `http://127.0.0.1:${port}`, server }
}

let pages: Awaited<ReturnType<typeof pageServer>>
beforeAll(async () => {
  pages = await pageServer()
})
afterAll(() => new Promise((resolve) => pages.server.close(resolve)))

const urls = () => [
  `${pages.origin}/slow`,
  ...Array.from({ length: 11 }, (_, i) => `${pages.origin}/p${i}`),
]

const hanging = () => {
  const data = new Uint8Array(1024)
  markWorkerFault(data, 'hang')
  return data
}

/** Each workload's input: item 0 is the slow one, so it completes last. */
const inputs: Record<WorkloadId, () => unknown> = {
  fetch: () => ({ urls: urls() }),
  pipeline: () => ({ urls: urls() }),
  // A task that hangs its thread until its deadline, and eleven 1 KiB digests on the other thread.
  hash: () => ({
    buffers: [hanging(), ...Array.from({ length: 11 }, () => new Uint8Array(1024))],
  }),
  scanPort: () => {
    const { host, filtered, open } = inject('arenaWorld')
    // The filtered port hangs until the deadline: `filtered`, after the rest are answered.
    // Closed: below the ephemeral range and clear of the kit's low-port candidates (113–1004).
    return { host, ports: [filtered[0], ...open, ...Array.from({ length: 8 }, (_, i) => 1010 + i)] }
  },
}

const callOptions = (workload: WorkloadId, parallelism: number): RunOptions => ({
  concurrency: 4,
  parallelism,
  // Long enough for a one-shot pool's second thread to load while the first hangs.
  timeoutMs: workload === 'scanPort' ? FILTERED_MS : workload === 'hash' ? 1500 : 5000,
})

type WorkloadFn = (input: unknown, options: RunOptions) => Promise<readonly Outcome<unknown>[]>

/** A call of `workload` one-shot, or on an instance opened for it alone (closed after the call settles). */
function caller(variant: Variant, workload: WorkloadId, opened: boolean) {
  return async (options: RunOptions, input: unknown, hooks: Hooks) => {
    if (!opened) return (variant.workloads[workload] as WorkloadFn)(input, { ...options, ...hooks })
    const instance = await variant.open?.({ ...options, workload })
    if (!instance) throw new Error(`variant ${variant.id} has no open`)
    try {
      return await (instance.workloads[workload] as WorkloadFn)(input, { ...options, ...hooks })
    } finally {
      await instance.close()
    }
  }
}

for (const variant of implementation.variants)
  for (const workload of Object.keys(variant.workloads) as WorkloadId[])
    describe(`${variant.id} ${workload}`, () => {
      // Threads that load while the slow item waits would order the rest by their start-up, not
      // their work: the hash hangs one thread past any start-up, the pipeline hashes on the loop,
      // and the hybrid scans in one chunk.
      const parallelism = workload === 'hash' ? 2 : variant.id === 'hybrid' ? 1 : 0
      for (const opened of [false, true])
        it(`${opened ? 'on an open instance' : 'one-shot'}: reports each outcome once, as it completes, before the call settles`, async () => {
          const call = caller(variant, workload, opened)
          const options = callOptions(workload, parallelism)
          const { result, order, problems } = await reported((hooks) =>
            call(options, inputs[workload](), hooks),
          )
          expect(problems).toEqual([])
          expect(result.slice(1).every((o) => o.ok)).toBe(true)
          expect(order.at(-1), 'the slow item, first in the input, reported last').toBe(0)
        })
    })

describe('onStart', () => {
  const byDefault = implementation.variants[0]

  it('fetch: every request reported started before its outcome, never more than concurrency at once', async () => {
    const { starts, maxInFlight, problems } = await reported((hooks) =>
      byDefault.workloads.fetch(
        { urls: urls() },
        { ...callOptions('fetch', 0), concurrency: 3, ...hooks },
      ),
    )
    expect(problems).toEqual([])
    expect(starts.size).toBe(urls().length)
    expect(maxInFlight).toBeLessThanOrEqual(3)
  })

  it('hash: each task started once a thread takes it — never more than parallelism at once, crashed items included', async () => {
    const buffers = Array.from({ length: 12 }, (_, i) => new Uint8Array(64 * 1024).fill(i))
    markWorkerFault(buffers[3] as Uint8Array, 'exit')
    const digests = buffers.map((b) => sha256Hex(b))
    const { result, starts, maxInFlight, problems } = await reported((hooks) =>
      byDefault.workloads.hash({ buffers }, { ...callOptions('hash', 2), ...hooks }),
    )
    expect(problems).toEqual([])
    expect(result.map((o, i) => (o.ok ? o.value.digest === digests[i] : o.failure.kind))).toEqual(
      digests.map((_, i) => (i === 3 ? 'worker-crashed' : true)),
    )
    expect(starts.size).toBe(buffers.length)
    expect(maxInFlight).toBeLessThanOrEqual(2)
  })

  it('an item aborted before it starts gets its outcome and no start', async () => {
    const controller = new AbortController()
    const { result, starts, problems } = await reported((hooks) => {
      const running = byDefault.workloads.fetch(
        { urls: urls() },
        { ...callOptions('fetch', 0), concurrency: 1, signal: controller.signal, ...hooks },
      )
      setTimeout(() => controller.abort(), SLOW_MS / 3)
      return running
    })
    expect(problems).toEqual([])
    expect(result.every((o) => !o.ok && o.failure.kind === 'aborted')).toBe(true)
    expect([...starts.keys()]).toEqual([0])
  })
})
