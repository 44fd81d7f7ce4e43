import { readdirSync, readlinkSync } from 'node:fs'
import { BroadcastChannel } from 'node:worker_threads'
import {
  describeVerdict,
  expectedFetch,
  expectedHash,
  expectedPipeline,
  fetchInput,
  fetchSpec,
  hashInput,
  hashSpec,
  type Instance,
  KERNEL_TRACE_CHANNEL,
  type KernelTrace,
  type OpenOptions,
  type Outcome,
  pipelineInput,
  pipelineSpec,
  type Variant,
  verifyOutcomes,
} from '@arena/core'
import { fetchStats, tagUrls } from '@arena/kit/mock-world'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { implementation } from '../src/index.ts'

// Workers inherit the environment at construction: every worker started from here on
// reports each digest with its thread id (the main thread's kernel has loaded already).
beforeAll(() => {
  process.env.ARENA_KERNEL_TRACE = '1'
})
afterAll(() => {
  delete process.env.ARENA_KERNEL_TRACE
})

const world = () => inject('arenaWorld')
let tags = 0
const nextTag = () => `rxjs-instance#${++tags}-${process.pid}`

function open(variantId: string, options: OpenOptions): Promise<Instance> {
  const variant: Variant | undefined = implementation.variants.find((v) => v.id === variantId)
  if (variant?.open === undefined) throw new Error(`variant ${variantId} has no open`)
  return variant.open(options)
}

function expectVerified<T>(expected: Outcome<T>[], actual: unknown, allowAborted = false) {
  const verdict = verifyOutcomes(expected, actual, { allowAborted })
  expect(verdict.ok, describeVerdict(verdict)).toBe(true)
}

/**
 * Live handles by type, the process's OS threads (worker threads are threads) and its
 * socket descriptors: undici unreferences an idle keep-alive socket, and an unreferenced
 * handle is not in `getActiveResourcesInfo`, so only the descriptors show an unclosed pool.
 */
function snapshot() {
  const handles = new Map<string, number>()
  for (const type of process.getActiveResourcesInfo())
    handles.set(type, (handles.get(type) ?? 0) + 1)
  const sockets = readdirSync('/proc/self/fd').filter((fd) => {
    try {
      return readlinkSync(`/proc/self/fd/${fd}`).startsWith('socket:')
    } catch {
      return false // closed between the listing and the look
    }
  }).length
  return { handles, threads: readdirSync('/proc/self/task').length, sockets }
}

/**
 * What is alive beyond `before`, after giving exiting threads and closing sockets
 * `withinMs`. Node's global fetch keeps its idle sockets by design (see the README),
 * so a test of the native variant leaves sockets out.
 */
async function leftSince(before: ReturnType<typeof snapshot>, withinMs = 2000, sockets = true) {
  const deadline = Date.now() + withinMs
  for (;;) {
    const now = snapshot()
    const left = [...now.handles]
      .filter(([type, count]) => count > (before.handles.get(type) ?? 0))
      .map(([type, count]) => `${count - (before.handles.get(type) ?? 0)} × ${type}`)
    if (now.threads > before.threads) left.push(`${now.threads - before.threads} thread(s)`)
    if (sockets && now.sockets > before.sockets)
      left.push(`${now.sockets - before.sockets} socket(s)`)
    if (left.length === 0 || Date.now() > deadline) return left
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

/** Collects kernel traces; `threadsOf` waits until `count` digests have been traced since `from`. */
function traceDigests() {
  const channel = new BroadcastChannel(KERNEL_TRACE_CHANNEL)
  const traces: KernelTrace[] = []
  channel.onmessage = (event) => traces.push(event.data as KernelTrace)
  return {
    get count() {
      return traces.length
    },
    async threadsOf(from: number, count: number): Promise<Set<number>> {
      const deadline = Date.now() + 2000
      while (traces.length < from + count && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 10))
      expect(traces.length - from, 'digests traced').toBe(count)
      return new Set(traces.slice(from).map((t) => t.threadId))
    },
    close: () => channel.close(),
  }
}

const options = { concurrency: 8, parallelism: 2, timeoutMs: 5000 }

describe('rxjs instances', () => {
  it('runs call after call on one open instance, and leaves nothing once closed', {
    timeout: 30_000,
  }, async () => {
    const before = snapshot()
    const instance = await open('default', { concurrency: 8, parallelism: 2 })
    const { fetch, hash, pipeline, scanPort } = instance.workloads
    if (!fetch || !hash || !pipeline || !scanPort) throw new Error('missing workloads')
    for (const seed of [1, 2]) {
      const pages = fetchSpec({ seed, count: 40, bytes: 2048 })
      expectVerified(expectedFetch(pages), await fetch(fetchInput(pages, world().origin), options))
      const buffers = hashSpec({ seed, count: 16, bytes: 4096 })
      expectVerified(expectedHash(buffers), await hash(hashInput(buffers), options))
      const bodies = pipelineSpec({ seed, count: 24, bytes: 8192 })
      expectVerified(
        expectedPipeline(bodies),
        await pipeline(pipelineInput(bodies, world().origin), options),
      )
    }
    const { host, open: listening } = world()
    const scan = await scanPort({ host, ports: [...listening] }, options)
    expect(scan).toEqual(listening.map(() => ({ ok: true, value: { state: 'open' } })))
    await instance.close()
    expect(await leftSince(before)).toEqual([])
  })

  it('reuses its workers from call to call, where one-shot calls start their own', {
    timeout: 30_000,
  }, async () => {
    const traces = traceDigests()
    const buffers = () => hashInput(hashSpec({ seed: 3, count: 12, bytes: 256 * 1024 }))
    try {
      const oneShot: Set<number>[] = []
      for (const _ of [1, 2]) {
        const from = traces.count
        await implementation.variants[0].workloads.hash(buffers(), options)
        oneShot.push(await traces.threadsOf(from, 12))
      }
      const [first, second] = oneShot.map((ids) => [...ids])
      expect(
        first?.filter((id) => second?.includes(id)),
        'one-shot calls share no worker',
      ).toEqual([])

      const instance = await open('default', { concurrency: 8, parallelism: 2 })
      const { hash, pipeline } = instance.workloads
      if (!hash || !pipeline) throw new Error('missing workloads')
      const calls: Set<number>[] = []
      for (const _ of [1, 2]) {
        const from = traces.count
        await hash(buffers(), options)
        calls.push(await traces.threadsOf(from, 12))
      }
      const from = traces.count
      await pipeline(
        pipelineInput(pipelineSpec({ seed: 4, count: 12, bytes: 4096 }), world().origin),
        options,
      )
      calls.push(await traces.threadsOf(from, 12))
      await instance.close()
      const used = new Set(calls.flatMap((call) => [...call]))
      expect(calls[0]?.size, 'a hash call keeps both workers busy').toBe(2)
      expect(used, 'one instance, the same two workers throughout').toEqual(calls[0])
    } finally {
      traces.close()
    }
  })

  it('rejects bad input and options beyond what it opened with a TypeError, before any work', async () => {
    const traces = traceDigests()
    const instance = await open('default', { concurrency: 4, parallelism: 2 })
    const { hash, pipeline } = instance.workloads
    if (!hash || !pipeline) throw new Error('missing workloads')
    try {
      const tag = nextTag()
      const urls = tagUrls(
        pipelineInput(pipelineSpec({ seed: 5, count: 4, bytes: 64 }), world().origin).urls,
        tag,
      )
      const buffers = () => hashInput(hashSpec({ seed: 5, count: 4, bytes: 64 }))
      await expect(pipeline({ urls: [...urls, 'http://example.com/'] }, options)).rejects.toThrow(
        TypeError,
      )
      await expect(pipeline({ urls }, { ...options, concurrency: 5 })).rejects.toThrow(
        /at most the instance's 4, got 5/,
      )
      await expect(pipeline({ urls }, { ...options, parallelism: 1 })).rejects.toThrow(
        /parallelism to be the instance's 2, got 1/,
      )
      await expect(
        hash({ buffers: [...buffers().buffers, 'x'] } as never, options),
      ).rejects.toThrow(TypeError)
      await expect(hash(buffers(), { ...options, timeoutMs: 0 })).rejects.toThrow(TypeError)
      expect((await fetchStats(world().origin, tag)).started, 'requests made').toBe(0)
      await new Promise((resolve) => setTimeout(resolve, 50))
      expect(traces.count, 'digests computed').toBe(0)
      // And the instance still works after all that.
      expectVerified(
        expectedHash(hashSpec({ seed: 5, count: 4, bytes: 64 })),
        await hash(buffers(), { ...options, concurrency: 4 }),
      )
      await instance.close()
      await expect(hash(buffers(), { ...options, concurrency: 4 })).rejects.toThrow(/closed/)
    } finally {
      await instance.close()
      traces.close()
    }
  })

  it('stays usable after a worker crash and after an aborted call', {
    timeout: 30_000,
  }, async () => {
    const before = snapshot()
    const traces = traceDigests()
    const instance = await open('default', { concurrency: 8, parallelism: 2 })
    const { hash } = instance.workloads
    if (!hash) throw new Error('missing workloads')
    try {
      const faulty = hashSpec({
        seed: 6,
        count: 20,
        bytes: 1024,
        faults: { throw: 0.15, exit: 0.15 },
      })
      const expected = expectedHash(faulty)
      expect(expected.some((o) => !o.ok && o.failure.kind === 'worker-crashed')).toBe(true)
      expectVerified(expected, await hash(hashInput(faulty), options))

      const big = hashSpec({ seed: 7, count: 64, bytes: 1024 * 1024 })
      const controller = new AbortController()
      const from = traces.count
      // Abort once the first digest is done: the call is then surely mid-flight.
      const poll = setInterval(() => {
        if (traces.count > from) controller.abort()
      }, 1)
      const aborted = await hash(hashInput(big), { ...options, signal: controller.signal })
      clearInterval(poll)
      expectVerified(expectedHash(big), aborted, true)
      expect(aborted.filter((o) => !o.ok && o.failure.kind === 'aborted').length).toBeGreaterThan(0)

      const after = hashSpec({ seed: 8, count: 16, bytes: 4096 })
      expectVerified(expectedHash(after), await hash(hashInput(after), options))
    } finally {
      await instance.close()
      traces.close()
    }
    expect(await leftSince(before)).toEqual([])
  })

  it('opens the native variant with its worker pool, and closes it', {
    timeout: 30_000,
  }, async () => {
    const before = snapshot()
    const instance = await open('native', { concurrency: 8, parallelism: 2 })
    const { fetch, pipeline } = instance.workloads
    if (!fetch || !pipeline) throw new Error('missing workloads')
    const pages = fetchSpec({ seed: 9, count: 20, bytes: 2048 })
    expectVerified(expectedFetch(pages), await fetch(fetchInput(pages, world().origin), options))
    const bodies = pipelineSpec({ seed: 9, count: 20, bytes: 4096 })
    expectVerified(
      expectedPipeline(bodies),
      await pipeline(pipelineInput(bodies, world().origin), options),
    )
    await instance.close()
    expect(await leftSince(before, 2000, false)).toEqual([])
  })

  it('keeps the hybrid scan threads from call to call, an aborted scan included', {
    timeout: 30_000,
  }, async () => {
    const before = snapshot()
    const { host, open: listening, filtered } = world()
    const instance = await open('hybrid', { concurrency: 8, parallelism: 2 })
    const scanPort = instance.workloads.scanPort
    if (!scanPort) throw new Error('missing workloads')
    // The OS threads by id: the scan threads started by open must be the very ones left at the end.
    const tids = () => readdirSync('/proc/self/task').sort()
    const threads = tids()
    expect(threads.length - before.threads, 'threads started by open').toBeGreaterThanOrEqual(2)
    const ports = [...listening, ...filtered]
    const expected = ports.map((port) => ({
      ok: true,
      value: { state: listening.includes(port) ? 'open' : 'filtered' },
    }))
    for (const _ of [1, 2]) {
      expect(await scanPort({ host, ports }, { ...options, timeoutMs: 300 })).toEqual(expected)
      expect(tids(), 'the same threads, none ended, none added').toEqual(threads)
    }
    const aborted = await scanPort(
      { host, ports: [...filtered] },
      {
        ...options,
        timeoutMs: 5000,
        signal: AbortSignal.timeout(100),
      },
    )
    expect(aborted).toEqual(filtered.map(() => ({ ok: false, failure: { kind: 'aborted' } })))
    expect(await scanPort({ host, ports }, { ...options, timeoutMs: 300 })).toEqual(expected)
    expect(tids(), 'an abort cancelled the jobs and kept the threads').toEqual(threads)
    await instance.close()
    expect(await leftSince(before)).toEqual([])
  })

  it('rejects bad open options with a TypeError, starting nothing', async () => {
    const before = snapshot()
    await expect(open('default', { concurrency: 0, parallelism: 2 })).rejects.toThrow(
      /options.concurrency/,
    )
    await expect(open('default', { concurrency: 4, parallelism: -1 })).rejects.toThrow(TypeError)
    expect(await leftSince(before, 0)).toEqual([])
  })
})
