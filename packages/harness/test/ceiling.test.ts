import { readdirSync } from 'node:fs'
import { BroadcastChannel } from 'node:worker_threads'
import {
  checkInstance,
  describeVerdict,
  expectedFetch,
  expectedHash,
  expectedPipeline,
  fetchInput,
  fetchSpec,
  hashInput,
  hashSpec,
  KERNEL_TRACE_CHANNEL,
  type KernelTrace,
  type Outcome,
  type PageSpecParams,
  pipelineInput,
  pipelineSpec,
  type RunOptions,
  verifyOutcomes,
  type Workloads,
} from '@arena/core'
import { type MockServer, startMockServer, tagUrls } from '@arena/kit/mock-world'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { implementation } from '../src/ceiling/index.ts'
import { pagePaths } from '../src/ceiling/pages.ts'
import { withHooks } from './ceiling-recorder.ts'

const ceiling = implementation.variants[0]
const one = ceiling.workloads as Workloads
const run = (o: Partial<RunOptions> = {}): RunOptions => ({
  concurrency: 8,
  parallelism: 2,
  timeoutMs: 5000,
  ...o,
})

let server: MockServer
beforeAll(async () => {
  server = await startMockServer()
})
afterAll(() => server.close())

function expectVerified<T>(expected: readonly Outcome<T>[], actual: unknown, allowAborted = false) {
  const verdict = verifyOutcomes(expected, actual, { allowAborted })
  expect(verdict.ok, describeVerdict(verdict)).toBe(true)
}

let tags = 0
/** A page spec's URLs, tagged so the server counts this call's requests apart. */
function pages(params: PageSpecParams) {
  const spec = fetchSpec(params)
  const tag = `ceiling-${++tags}`
  return { spec, tag, input: { urls: tagUrls(fetchInput(spec, server.origin).urls, tag) } }
}

const threads = () => readdirSync('/proc/self/task').length

async function settledThreads(baseline: number): Promise<number> {
  for (let i = 0; i < 100 && threads() > baseline; i++) await new Promise((r) => setTimeout(r, 20))
  return threads()
}

describe('the ceiling implementation', () => {
  it('is a valid implementation whose default variant opens a valid instance', async () => {
    expect(implementation.variants.map((v) => v.id)).toEqual(['default', 'nmap'])
    expect(Object.keys(implementation.variants[1].workloads)).toEqual(['scanPort'])
    const instance = await (ceiling.open as NonNullable<typeof ceiling.open>)({
      concurrency: 4,
      parallelism: 1,
    })
    try {
      expect(checkInstance(ceiling, instance)).toBe(instance)
    } finally {
      await instance.close()
    }
  })

  it('rejects bad input with a TypeError before any request', async () => {
    const before = server.stats().started
    await expect(one.fetch({ urls: ['http://10.0.0.1/page/1/0'] }, run())).rejects.toThrow(
      TypeError,
    )
    await expect(
      one.fetch(pages({ seed: 1, count: 3, bytes: 10 }).input, run({ concurrency: 0 })),
    ).rejects.toThrow(/concurrency/)
    await expect(one.hash({ buffers: ['x'] } as never, run())).rejects.toThrow(TypeError)
    expect(server.stats().started).toBe(before)
  })
})

describe('fetch on undici dispatch', () => {
  it('requests exactly the path and query the URL parser gives, slicing plain URLs and parsing odd ones', () => {
    const origin = 'http://127.0.0.1:8080'
    const urls = [
      `${origin}/page/1/0?bytes=1&latency=0&fault=none&run=a%231-2`,
      `${origin}/a/../b?x=1`,
      `${origin}/a/./b`,
      `${origin}/a b?q=<'>`,
      `${origin}/a#fragment`,
      `${origin}/a\\b`,
      `${origin}/é?x=../y`,
      'http://127.0.0.1:8080',
      'HTTP://127.0.0.1:8080/Case',
    ]
    const parsed = urls.map((url) => new URL(url).pathname + new URL(url).search)
    expect(pagePaths({ urls })).toEqual({ origin, paths: parsed })
  })

  it('answers every page right, sizes 0 B to 256 KiB, with at most `concurrency` in flight', async () => {
    for (const bytes of [0, 1, 1024, 70_000, 256 * 1024]) {
      const { spec, tag, input } = pages({
        seed: 7,
        count: 60,
        bytes,
        latency: { kind: 'fixed', ms: 5 },
      })
      expectVerified(expectedFetch(spec), await one.fetch(input, run({ concurrency: 6 })))
      // 60 pages that each take 5 ms on 6 lanes: every lane is busy at once, never a seventh.
      expect(server.stats(tag).peakInFlight).toBe(6)
    }
  })

  it('ends every fault as a contestant must: 503 as http-status, reset and truncation as network, a stall as timeout', async () => {
    const { spec, input } = pages({
      seed: 11,
      count: 80,
      bytes: 4096,
      faults: { status: 0.15, reset: 0.1, truncate: 0.1, stall: 0.05 },
    })
    const kinds = new Set(spec.items.map((item) => item.fault))
    expect([...kinds].sort()).toEqual(['none', 'reset', 'stall', 'status', 'truncate'])
    // Long enough that no healthy page times out on a busy machine; a stall still ends at it.
    const { result, problems, started } = await withHooks((hooks) =>
      one.fetch(input, run({ concurrency: 16, timeoutMs: 1500, ...hooks })),
    )
    expectVerified(expectedFetch(spec), result)
    expect(problems).toEqual([])
    expect(started).toBe(80)
  })

  it('after an abort answers at once: what finished stays right, the rest is aborted', async () => {
    const { spec, input } = pages({
      seed: 5,
      count: 200,
      bytes: 512,
      latency: { kind: 'fixed', ms: 20 },
    })
    const controller = new AbortController()
    setTimeout(() => controller.abort(), 100)
    const { result, problems } = await withHooks((hooks) =>
      one.fetch(input, run({ concurrency: 4, signal: controller.signal, ...hooks })),
    )
    expectVerified(expectedFetch(spec), result, true)
    expect(problems).toEqual([])
    const aborted = result.filter((o) => !o.ok && o.failure.kind === 'aborted').length
    expect(aborted).toBeGreaterThan(0)
    expect(aborted).toBeLessThan(200)
  })

  it('opened for fetch alone starts no worker, and refuses to hash', async () => {
    const baseline = threads()
    const instance = await (ceiling.open as NonNullable<typeof ceiling.open>)({
      concurrency: 4,
      parallelism: 2,
      workload: 'fetch',
    })
    try {
      expect(threads()).toBe(baseline)
      const { spec, input } = pages({ seed: 2, count: 20, bytes: 100 })
      expectVerified(
        expectedFetch(spec),
        await (instance.workloads.fetch as Workloads['fetch'])(input, run({ concurrency: 4 })),
      )
      await expect(
        (instance.workloads.hash as Workloads['hash'])({ buffers: [] }, run()),
      ).rejects.toThrow(/opened for fetch/)
    } finally {
      await instance.close()
    }
  })

  it('reuses an open instance across calls and leaves no socket after close', async () => {
    const instance = await (ceiling.open as NonNullable<typeof ceiling.open>)({
      concurrency: 8,
      parallelism: 0,
    })
    const fetch = instance.workloads.fetch as Workloads['fetch']
    try {
      for (const concurrency of [8, 3]) {
        const { spec, tag, input } = pages({
          seed: 9,
          count: 100,
          bytes: 2048,
          latency: { kind: 'fixed', ms: 3 },
        })
        expectVerified(expectedFetch(spec), await fetch(input, run({ concurrency })))
        expect(server.stats(tag).peakInFlight).toBe(concurrency)
      }
      await expect(
        fetch(pages({ seed: 9, count: 2, bytes: 1 }).input, run({ concurrency: 9 })),
      ).rejects.toThrow(/at most 8/)
    } finally {
      await instance.close()
    }
    await new Promise((r) => setTimeout(r, 50))
    expect(server.stats().inFlight).toBe(0)
    expect(process.getActiveResourcesInfo().filter((t) => t === 'TCPSocketWrap').length).toBe(0)
  })
})

describe('hash on raw workers', () => {
  const spec = hashSpec({ seed: 21, count: 600, bytes: [0, 1, 64, 5000, 70_000, 1 << 20] })

  it('answers every buffer right on 0, 1, 2 and 3 workers, and its one-shot workers are gone after', async () => {
    const baseline = threads()
    for (const parallelism of [0, 1, 2, 3]) {
      const { result, problems, started } = await withHooks((hooks) =>
        one.hash(hashInput(spec), run({ parallelism, ...hooks })),
      )
      expectVerified(expectedHash(spec), result)
      expect(problems).toEqual([])
      expect(started).toBe(600)
    }
    expect(await settledThreads(baseline)).toBe(baseline)
  })

  it('hashes on every worker at the same time, and an instance keeps the same threads between calls', async () => {
    const seen: KernelTrace[] = []
    const channel = new BroadcastChannel(KERNEL_TRACE_CHANNEL)
    channel.onmessage = (event) => seen.push((event as unknown as { data: KernelTrace }).data)
    // Workers read it when their kernel loads: set before the instance starts them.
    process.env.ARENA_KERNEL_TRACE = '1'
    const baseline = threads()
    const instance = await (ceiling.open as NonNullable<typeof ceiling.open>)({
      concurrency: 2,
      parallelism: 2,
    })
    delete process.env.ARENA_KERNEL_TRACE
    const big = hashSpec({ seed: 3, count: 64, bytes: 1 << 20 })
    try {
      const calls: Set<number>[] = []
      for (let call = 0; call < 2; call++) {
        seen.length = 0
        const hash = instance.workloads.hash as Workloads['hash']
        expectVerified(expectedHash(big), await hash(hashInput(big), run({ parallelism: 2 })))
        // Traces arrive on their own channel, after the answers.
        for (let i = 0; i < 250 && seen.length < 64; i++)
          await new Promise((r) => setTimeout(r, 20))
        expect(seen.length).toBe(64)
        calls.push(new Set(seen.map((t) => t.threadId)))
        // Two workers overlap: some digest of one thread runs while one of the other does.
        const [a, b] = [...(calls.at(-1) as Set<number>)]
        const overlap = seen.some(
          (x) =>
            x.threadId === a &&
            seen.some((y) => y.threadId === b && y.startMs < x.endMs && x.startMs < y.endMs),
        )
        expect(overlap).toBe(true)
      }
      expect(calls[0]?.size).toBe(2)
      const ids = (set: Set<number> | undefined) => [...(set ?? [])].sort((x, y) => x - y)
      expect(ids(calls[1])).toEqual(ids(calls[0]))
      await expect(
        (instance.workloads.hash as Workloads['hash'])(hashInput(big), run({ parallelism: 1 })),
      ).rejects.toThrow(/parallelism to be 2/)
    } finally {
      channel.close()
      await instance.close()
    }
    expect(await settledThreads(baseline)).toBe(baseline)
  })

  it('never answers a faulty worker item with a digest: throws and exits crash, a hang times out', async () => {
    const faulty = hashSpec({
      seed: 8,
      count: 120,
      bytes: 4096,
      faults: { throw: 0.03, exit: 0.03, hang: 0.03 },
    })
    const expected = expectedHash(faulty)
    const result = await one.hash(hashInput(faulty), run({ parallelism: 2, timeoutMs: 300 }))
    expect(result).toHaveLength(120)
    result.forEach((outcome, i) => {
      // A digest is always the right one; a faulty item is never a success.
      if (outcome.ok) expect(outcome).toEqual(expected[i])
      if (faulty.faults?.[i] !== 'none') expect(outcome.ok).toBe(false)
    })
    const hang = faulty.faults?.indexOf('hang') ?? -1
    expect(hang).toBeGreaterThanOrEqual(0)
    expect(result[hang]).toMatchObject({ ok: false })
  })

  it('after an abort answers at once and terminates its workers', async () => {
    const baseline = threads()
    const big = hashSpec({ seed: 4, count: 200, bytes: 1 << 20 })
    const controller = new AbortController()
    setTimeout(() => controller.abort(), 60)
    const { result, problems } = await withHooks((hooks) =>
      one.hash(hashInput(big), run({ parallelism: 2, signal: controller.signal, ...hooks })),
    )
    expectVerified(expectedHash(big), result, true)
    expect(problems).toEqual([])
    expect(result.some((o) => !o.ok && o.failure.kind === 'aborted')).toBe(true)
    expect(await settledThreads(baseline)).toBe(baseline)
  })
})

describe('pipeline: dispatch bodies hashed on raw workers', () => {
  it('answers every page right on the event loop and on workers, one-shot and warm', async () => {
    const params = {
      seed: 31,
      count: 120,
      bytes: 65_536,
      latency: { kind: 'fixed', ms: 2 },
    } as const
    const spec = pipelineSpec(params)
    const input = () => ({
      urls: tagUrls(pipelineInput(spec, server.origin).urls, `pipe-${++tags}`),
    })
    for (const parallelism of [0, 2]) {
      const { result, problems, started } = await withHooks((hooks) =>
        one.pipeline(input(), run({ parallelism, ...hooks })),
      )
      expectVerified(expectedPipeline(spec), result)
      expect(problems).toEqual([])
      expect(started).toBe(120)
    }
    const instance = await (ceiling.open as NonNullable<typeof ceiling.open>)({
      concurrency: 8,
      parallelism: 2,
    })
    try {
      for (let call = 0; call < 2; call++) {
        const urls = input()
        const tag = `pipe-${tags}`
        const pipeline = instance.workloads.pipeline as Workloads['pipeline']
        expectVerified(expectedPipeline(spec), await pipeline(urls, run({ parallelism: 2 })))
        expect(server.stats(tag).peakInFlight).toBe(8)
      }
    } finally {
      await instance.close()
    }
  })

  it('classifies page faults like fetch does', async () => {
    const spec = pipelineSpec({
      seed: 2,
      count: 60,
      bytes: 2048,
      faults: { status: 0.2, reset: 0.1 },
    })
    const result = await one.pipeline(
      pipelineInput(spec, server.origin),
      run({ concurrency: 8, parallelism: 2 }),
    )
    expectVerified(expectedPipeline(spec), result)
  })
})
