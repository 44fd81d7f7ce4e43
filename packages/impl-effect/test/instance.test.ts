import { readdirSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'
import { BroadcastChannel } from 'node:worker_threads'
import type { Instance, KernelTrace, Outcome, RunOptions, Variant, Workloads } from '@arena/core'
import { KERNEL_TRACE_CHANNEL, markWorkerFault, sha256Hex } from '@arena/core/kernel'
import * as Layer from 'effect/Layer'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { implementation } from '../src/index.ts'
import { openInstance } from '../src/instance.ts'
import { ScanThreads, scanPortHybridCall } from '../src/scan-port-hybrid.ts'
import { allReady, makeThreadPool } from '../src/threads.ts'

const variant = (id: string) => {
  const found: Variant | undefined = implementation.variants.find((v) => v.id === id)
  if (!found?.open) throw new Error(`no variant ${id} with open`)
  return { ...found, open: found.open }
}
const byDefault = variant('default')
const opened = { concurrency: 4, parallelism: 2 }
const options: RunOptions = { ...opened, timeoutMs: 5000 }

const threadCount = () => readdirSync('/proc/self/task').length
const handles = () => process.getActiveResourcesInfo().filter((type) => type !== 'TTYWrap')

/** What is alive now beyond `before`, after giving exiting threads and closing sockets a moment. */
async function leftSince(before: { threads: number; handles: string[] }) {
  const count = (list: string[]) =>
    list.reduce((map, type) => map.set(type, (map.get(type) ?? 0) + 1), new Map<string, number>())
  const extra = () => {
    const was = count(before.handles)
    const left = [...count(handles())].filter(([type, n]) => n > (was.get(type) ?? 0))
    const threads = threadCount() - before.threads
    return threads > 0 ? [...left.map(([type]) => type), `${threads} thread(s)`] : left
  }
  for (let i = 0; i < 100 && extra().length > 0; i++) await sleep(20)
  return extra().map(String)
}

const snapshot = () => ({ threads: threadCount(), handles: handles() })

const buffers = (count: number, bytes: number) =>
  Array.from({ length: count }, (_, i) => new Uint8Array(bytes).fill(i + 1))
const digestsOf = (data: readonly Uint8Array[]) => data.map((b) => sha256Hex(b))
const values = <T>(outcomes: readonly Outcome<T>[]) =>
  outcomes.map((o) => (o.ok ? o.value : o.failure.kind))

/** An HTTP server of our own, counting the connections it accepts. */
async function pageServer(): Promise<{
  origin: string
  connections: () => number
  server: Server
}> {
  let connections = 0
  const server = createServer((_, res) => res.end('x'.repeat(512)))
  server.on('connection', () => connections++)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return { origin: `http://127.0.0.1:${port}`, connections: () => connections, server }
}

const urls = (origin: string, count: number) =>
  Array.from({ length: count }, (_, i) => `${origin}/page/${i}`)

let servers: Awaited<ReturnType<typeof pageServer>>[] = []
let traces: KernelTrace[] = []
let channel: BroadcastChannel | undefined

beforeAll(async () => {
  servers = [await pageServer(), await pageServer()]
  // Workers copy the environment when they start: every thread the tests start traces its digests.
  process.env.ARENA_KERNEL_TRACE = '1'
  channel = new BroadcastChannel(KERNEL_TRACE_CHANNEL)
  channel.onmessage = (event) => traces.push((event as { data: KernelTrace }).data)
})

afterAll(async () => {
  delete process.env.ARENA_KERNEL_TRACE
  channel?.close()
  await Promise.all(servers.map(({ server }) => new Promise((resolve) => server.close(resolve))))
})

/** Kernel traces of the digests `work` made, once they have all arrived. */
async function traced(work: () => Promise<unknown>, digests: number): Promise<KernelTrace[]> {
  traces = []
  await work()
  for (let i = 0; i < 100 && traces.length < digests; i++) await sleep(10)
  return traces
}

describe.each(['default', 'native', 'tuned'])('an open %s instance', (id) => {
  const { open, workloads: oneShots } = variant(id)
  let before: ReturnType<typeof snapshot>
  let instance: Instance
  let workloads: Partial<Workloads>

  beforeEach(async () => {
    before = snapshot()
    instance = await open(opened)
    workloads = instance.workloads
  })
  afterEach(() => instance.close())

  it('has the same workloads as the variant', () => {
    expect(Object.keys(instance.workloads).sort()).toEqual(Object.keys(oneShots).sort())
  })

  it('answers several calls, keeps one keep-alive pool per origin, and leaves nothing once closed', async () => {
    const [a, b] = servers as [(typeof servers)[0], (typeof servers)[0]]
    const fetch = workloads.fetch
    if (!fetch) throw new Error('no fetch')
    const [startA, startB] = [a.connections(), b.connections()]
    const first = await fetch({ urls: urls(a.origin, 40) }, options)
    const afterFirst = a.connections() - startA
    const second = await fetch({ urls: urls(a.origin, 40) }, options)
    const other = await fetch({ urls: urls(b.origin, 10) }, options)
    expect([first, second, other].flat().every((o) => o.ok && o.value.bytes === 512)).toBe(true)
    expect(afterFirst).toBeGreaterThan(0)
    expect(afterFirst).toBeLessThanOrEqual(opened.concurrency)
    // The second call on the same origin opened no connection: it reused the first call's pool.
    expect(a.connections() - startA).toBe(afterFirst)
    expect(b.connections() - startB).toBeGreaterThan(0)
    const pages = await workloads.pipeline?.({ urls: urls(b.origin, 20) }, options)
    expect(
      pages?.every((o) => o.ok && o.value.digest === sha256Hex(new Uint8Array(512).fill(120))),
    ).toBe(true)
    const scanned = await workloads.scanPort?.(
      { host: '127.0.0.1', ports: [Number(new URL(a.origin).port)] },
      options,
    )
    expect(values(scanned ?? [])).toEqual([{ state: 'open' }])
    await instance.close()
    expect(await leftSince(before)).toEqual([])
  })

  it('rejects bad input and options outside what it was opened for with a TypeError, starting nothing', async () => {
    const [a] = servers as [(typeof servers)[0]]
    const fetch = workloads.fetch
    if (!fetch) throw new Error('no fetch')
    const connections = a.connections()
    await expect(fetch({ urls: [`${a.origin}/x`, 'ftp://nope'] }, options)).rejects.toThrow(
      TypeError,
    )
    await expect(
      fetch({ urls: [`${a.origin}/x`] }, { ...options, concurrency: 5 }),
    ).rejects.toThrow(/at most 4/)
    await expect(
      fetch({ urls: [`${a.origin}/x`] }, { ...options, parallelism: 1 }),
    ).rejects.toThrow(/to be 2/)
    expect(a.connections()).toBe(connections)
  })
})

describe('an open default instance', () => {
  const hashOf = (instance: Instance) => {
    const hash = instance.workloads.hash
    if (!hash) throw new Error('no hash')
    return hash
  }

  it('hashes every call on the same two worker threads, where one-shot calls start their own', async () => {
    const instance = await byDefault.open(opened)
    try {
      const hash = hashOf(instance)
      const threadsOf = async (run: () => Promise<unknown>) =>
        new Set((await traced(run, 8)).map((t) => t.threadId))
      const data = () => buffers(8, 64 * 1024)
      const first = await threadsOf(() => hash({ buffers: data() }, options))
      const second = await threadsOf(() => hash({ buffers: data() }, options))
      expect(first.size).toBe(2)
      expect([...second].sort()).toEqual([...first].sort())
      const oneShot = await threadsOf(async () =>
        byDefault.workloads.hash?.({ buffers: data() }, options),
      )
      expect([...oneShot].filter((id) => first.has(id))).toEqual([])
    } finally {
      await instance.close()
    }
  })

  it('starts no thread and hashes nothing for bad input, one-shot or on the instance', async () => {
    const threads = threadCount()
    const bad = { buffers: [new Uint8Array(4), 'not a buffer'] } as never
    await expect(byDefault.workloads.hash?.(bad, options)).rejects.toThrow(TypeError)
    expect(threadCount()).toBe(threads)
    const instance = await byDefault.open(opened)
    try {
      const digests = await traced(async () => {
        await expect(hashOf(instance)(bad, options)).rejects.toThrow(TypeError)
      }, 1)
      expect(digests).toEqual([])
    } finally {
      await instance.close()
    }
  })

  it('fails only the item whose worker crashed, replaces the worker, and stays usable', async () => {
    const before = snapshot()
    const instance = await byDefault.open(opened)
    const hash = hashOf(instance)
    const data = buffers(6, 1024)
    markWorkerFault(data[2] as Uint8Array, 'exit')
    const expected = digestsOf(data)
    const crashed = await hash({ buffers: data }, options)
    expect(values(crashed)).toEqual(
      expected.map((digest, i) => (i === 2 ? 'worker-crashed' : { digest })),
    )
    const again = buffers(6, 1024)
    // Digests first: the call transfers (detaches) the buffers.
    const digests = digestsOf(again).map((digest) => ({ digest }))
    expect(values(await hash({ buffers: again }, options))).toEqual(digests)
    await instance.close()
    expect(await leftSince(before)).toEqual([])
  })

  it('aborts a call by interrupting it, and answers the next call in full', async () => {
    const before = snapshot()
    const instance = await byDefault.open(opened)
    const hash = hashOf(instance)
    const controller = new AbortController()
    const running = hash(
      { buffers: buffers(64, 1 << 20) },
      { ...options, signal: controller.signal },
    )
    await sleep(20)
    controller.abort()
    const aborted = await running
    expect(aborted.some((o) => !o.ok && o.failure.kind === 'aborted')).toBe(true)
    const next = buffers(8, 64 * 1024)
    const digests = digestsOf(next).map((digest) => ({ digest }))
    expect(values(await hash({ buffers: next }, options))).toEqual(digests)
    await instance.close()
    expect(await leftSince(before)).toEqual([])
  })

  it('ends a call still running when closed: its items aborted, nothing left', async () => {
    const before = snapshot()
    const instance = await byDefault.open(opened)
    const running = hashOf(instance)({ buffers: buffers(64, 1 << 20) }, options)
    await sleep(20)
    await instance.close()
    const outcomes = await running
    expect(outcomes.some((o) => !o.ok && o.failure.kind === 'aborted')).toBe(true)
    await expect(hashOf(instance)({ buffers: buffers(1, 8) }, options)).rejects.toThrow(/closed/)
    expect(await leftSince(before)).toEqual([])
  })
})

describe('an open hybrid instance', () => {
  const tids = () => new Set(readdirSync('/proc/self/task'))

  it('scans every call on the threads it opened, aborted calls included, and leaves nothing once closed', async () => {
    const before = snapshot()
    const instance = await variant('hybrid').open(opened)
    const scanPort = instance.workloads.scanPort
    if (!scanPort) throw new Error('no scanPort')
    const opening = tids()
    expect(opening.size - before.threads).toBeGreaterThanOrEqual(opened.parallelism)
    const [a] = servers as [(typeof servers)[0]]
    const ports = [
      Number(new URL(a.origin).port),
      ...Array.from({ length: 30 }, (_, i) => 41_000 + i),
    ]
    const controller = new AbortController()
    const long = Array.from({ length: 20_000 }, (_, i) => 20_000 + i)
    const aborted = scanPort(
      { host: '127.0.0.1', ports: long },
      { ...options, signal: controller.signal },
    )
    await sleep(150)
    controller.abort()
    expect((await aborted).some((o) => !o.ok && o.failure.kind === 'aborted')).toBe(true)
    for (let call = 0; call < 3; call++) {
      const scanned = await scanPort({ host: '127.0.0.1', ports }, options)
      expect(scanned[0]).toEqual({ ok: true, value: { state: 'open' } })
      expect(scanned.every((o) => o.ok)).toBe(true)
    }
    // The same OS threads throughout: the aborted jobs were cancelled, no thread replaced.
    expect([...tids()].filter((tid) => !opening.has(tid))).toEqual([])
    await instance.close()
    expect(await leftSince(before)).toEqual([])
  })
})

describe('openInstance', () => {
  it('resolves only once every thread has loaded: one that cannot load fails the open, leaving nothing', async () => {
    const before = snapshot()
    const broken = new URL('data:text/javascript,throw new Error("cannot load")')
    const open = openInstance(opened, () => ({
      workloads: (bind) => ({
        scanPort: bind(
          'scanPort',
          scanPortHybridCall,
          Layer.effect(ScanThreads, makeThreadPool(broken, 2)),
          ScanThreads.use(allReady),
        ),
      }),
    }))
    await expect(open).rejects.toMatchObject({ _tag: 'WorkerCrashError' })
    expect(await leftSince(before)).toEqual([])
  })

  it('rejects bad open options with a TypeError before building anything', async () => {
    const threads = threadCount()
    await expect(byDefault.open?.({ concurrency: 0, parallelism: 2 })).rejects.toThrow(TypeError)
    await expect(byDefault.open?.({ concurrency: 2, parallelism: -1 })).rejects.toThrow(TypeError)
    await expect(byDefault.open?.({ ...opened, workload: 'download' as 'fetch' })).rejects.toThrow(
      TypeError,
    )
    await expect(variant('hybrid').open({ ...opened, workload: 'hash' })).rejects.toThrow(
      /this variant's, scanPort, got hash/,
    )
    expect(threadCount()).toBe(threads)
  })
})

describe('an instance opened for one workload', () => {
  it.each([
    ['default', 'fetch'],
    ['default', 'scanPort'],
    ['native', 'fetch'],
    ['tuned', 'scanPort'],
  ] as const)(
    '%s for %s starts no worker thread, answers it, and refuses the others',
    async (id, workload) => {
      const before = snapshot()
      const instance = await variant(id).open({ ...opened, workload })
      expect(threadCount()).toBe(before.threads)
      const [a] = servers as [(typeof servers)[0]]
      const page = { urls: urls(a.origin, 4) }
      const port = { host: '127.0.0.1', ports: [Number(new URL(a.origin).port)] }
      const answered =
        workload === 'fetch'
          ? await instance.workloads.fetch?.(page, options)
          : await instance.workloads.scanPort?.(port, options)
      expect(answered?.every((o) => o.ok)).toBe(true)
      await expect(instance.workloads.pipeline?.(page, options)).rejects.toThrow(
        new RegExp(`Expected a call of ${workload}, .* got pipeline`),
      )
      expect(threadCount()).toBe(before.threads)
      await instance.close()
      expect(await leftSince(before)).toEqual([])
    },
  )

  it('default for hash or pipeline starts its workers before it resolves, one pool for both', async () => {
    for (const workload of ['hash', 'pipeline'] as const) {
      const before = snapshot()
      const instance = await byDefault.open({ ...opened, workload })
      expect(threadCount() - before.threads).toBeGreaterThanOrEqual(opened.parallelism)
      await expect(
        instance.workloads.fetch?.(
          { urls: urls((servers[0] as { origin: string }).origin, 1) },
          options,
        ),
      ).rejects.toThrow(TypeError)
      await instance.close()
      expect(await leftSince(before)).toEqual([])
    }
    const before = snapshot()
    const all = await byDefault.open(opened)
    // hash and pipeline share one hasher layer, built once: parallelism threads, not twice that.
    expect(threadCount() - before.threads).toBe(opened.parallelism)
    await all.close()
    expect(await leftSince(before)).toEqual([])
  })
})
