import type { Instance, Outcome, RunOptions, ScanValue } from '@arena/core'
import { leftAfterClose, snapshot, warmThreadPool, world } from '@arena/kit/contestant-support'
import { beforeAll, describe, expect, it } from 'vitest'
import { implementation } from '../src/index.ts'
import { ScanWorkers } from '../src/scan-workers.ts'

const hybrid = implementation.variants.find((v) => v.id === 'hybrid')
const opened = { concurrency: 8, parallelism: 2 }
const options = (o: Partial<RunOptions> = {}): RunOptions => ({ ...opened, timeoutMs: 300, ...o })
const states = (outcomes: readonly Outcome<ScanValue>[] | undefined) =>
  outcomes?.map((o) => (o.ok ? o.value.state : o.failure.kind))

async function open(): Promise<Instance> {
  if (!hybrid?.open) throw new Error('the hybrid variant has no open')
  return hybrid.open(opened)
}

beforeAll(warmThreadPool)

describe('promises/hybrid opened', () => {
  it('keeps its scan threads from open to close across calls, and leaves nothing once closed', async () => {
    const before = snapshot()
    const instance = await open()
    expect(snapshot().threads - before.threads, 'threads once open resolved').toBe(2)
    const { host, open: openPorts, filtered } = world()
    for (let call = 0; call < 3; call++) {
      const scan = await instance.workloads.scanPort?.(
        { host, ports: [...openPorts, ...filtered] },
        options(),
      )
      expect(states(scan)).toEqual([
        ...openPorts.map(() => 'open'),
        ...filtered.map(() => 'filtered'),
      ])
      expect(snapshot().threads - before.threads, `threads after call ${call}`).toBe(2)
    }
    await instance.close()
    expect(await leftAfterClose(before)).toEqual([])
  })

  it('fails the rest of an aborted scan and answers the next one in full', async () => {
    const before = snapshot()
    const instance = await open()
    const { host, open: openPorts, filtered } = world()
    const controller = new AbortController()
    setTimeout(() => controller.abort(), 50)
    const aborted = await instance.workloads.scanPort?.(
      { host, ports: [...filtered, ...filtered] },
      options({ concurrency: 2, timeoutMs: 5000, signal: controller.signal }),
    )
    expect(new Set(states(aborted))).toEqual(new Set(['aborted']))
    const next = await instance.workloads.scanPort?.({ host, ports: [...openPorts] }, options())
    expect(states(next)).toEqual(openPorts.map(() => 'open'))
    await instance.close()
    expect(await leftAfterClose(before)).toEqual([])
  })

  it('rejects bad input and calls that do not fit it with a TypeError, before any work', async () => {
    const instance = await open()
    const threads = snapshot().threads
    const run = instance.workloads.scanPort
    const { host, open: openPorts } = world()
    await expect(run?.({ host: 'example.com', ports: [80] }, options())).rejects.toThrow(TypeError)
    await expect(run?.({ host, ports: [0] }, options())).rejects.toThrow(TypeError)
    await expect(
      run?.({ host, ports: [...openPorts] }, options({ parallelism: 1 })),
    ).rejects.toThrow(/parallelism to be 2/)
    expect(snapshot().threads).toBe(threads)
    await instance.close()
  })

  it('opens for scanPort, its one workload, and refuses to open for another', async () => {
    const before = snapshot()
    const instance = await hybrid?.open?.({ ...opened, workload: 'scanPort' })
    expect(snapshot().threads - before.threads).toBe(2)
    await instance?.close()
    await expect(hybrid?.open?.({ ...opened, workload: 'fetch' })).rejects.toThrow(
      /open options.workload/,
    )
    expect(await leftAfterClose(before)).toEqual([])
  })
})

describe('the kept scan threads', () => {
  it('scan every chunk on the same threads', async () => {
    const workers = new ScanWorkers(2)
    await workers.ready()
    const ids = workers.threadIds
    const { host, open: openPorts } = world()
    for (let call = 0; call < 3; call++) {
      const parts = await Promise.all(
        [0, 1].map((i) =>
          workers.scan(
            i,
            { host, ports: [...openPorts], concurrency: 2, timeoutMs: 300 },
            undefined,
          ),
        ),
      )
      expect(parts.flat().every((o) => o.ok && o.value.state === 'open')).toBe(true)
    }
    expect(workers.threadIds).toEqual(ids)
    expect(new Set(ids).size).toBe(2)
    await workers.close()
  })

  it('fail a chunk whose thread crashed as worker-crashed, and replace that thread', async () => {
    const before = snapshot()
    const workers = new ScanWorkers(1)
    await workers.ready()
    const [id] = workers.threadIds
    const { host, open: openPorts } = world()
    // A chunk the worker's scanner refuses throws inside the worker, which then dies of it.
    const crashed = await workers.scan(
      0,
      { host: 'example.com', ports: [80, 81], concurrency: 1, timeoutMs: 300 },
      undefined,
    )
    expect(states(crashed)).toEqual(['worker-crashed', 'worker-crashed'])
    const next = await workers.scan(
      0,
      { host, ports: [...openPorts], concurrency: 2, timeoutMs: 300 },
      undefined,
    )
    expect(states(next)).toEqual(openPorts.map(() => 'open'))
    expect(workers.threadIds).not.toContain(id)
    await workers.close()
    expect(await leftAfterClose(before)).toEqual([])
  })
})
