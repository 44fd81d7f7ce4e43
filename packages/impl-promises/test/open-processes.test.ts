import {
  expectedHash,
  expectedPipeline,
  hashInput,
  hashSpec,
  type Instance,
  type OpenOptions,
  type Outcome,
  pipelineInput,
  pipelineSpec,
  type RunOptions,
  type ScanValue,
  verifyOutcomes,
} from '@arena/core'
import { traceKernel, world } from '@arena/kit/contestant-support'
import { afterAll, describe, expect, it } from 'vitest'
import { hashProcesses } from '../src/hash-processes.ts'
import { implementation } from '../src/index.ts'
import { scanPortProcesses } from '../src/scan-port-processes.ts'
import { children, eventually, newChildren, running } from './process-support.ts'

const trace = traceKernel()
afterAll(() => trace.close())
const variant = implementation.variants.find((v) => v.id === 'processes')
const opened = { concurrency: 8, parallelism: 2 }
const options = (o: Partial<RunOptions> = {}): RunOptions => ({ ...opened, timeoutMs: 5000, ...o })
const states = (outcomes: readonly Outcome<ScanValue>[] | undefined) =>
  outcomes?.map((o) => (o.ok ? o.value.state : o.failure.kind))

async function open(o: Partial<OpenOptions> = {}): Promise<Instance> {
  if (!variant?.open) throw new Error('the processes variant has no open')
  return variant.open({ ...opened, ...o })
}

/** Records a call's callbacks; `problems()` lists what breaks the contract for `count` items. */
function callbacks() {
  const outcomes = new Map<number, number>()
  const starts = new Set<number>()
  const problems: string[] = []
  let settled = false
  return {
    onOutcome: (index: number) => {
      if (settled) problems.push(`onOutcome(${index}) after the call settled`)
      outcomes.set(index, (outcomes.get(index) ?? 0) + 1)
    },
    onStart: (index: number) => {
      if (starts.has(index) || outcomes.has(index)) problems.push(`onStart(${index}) again or late`)
      starts.add(index)
    },
    settle: () => {
      settled = true
    },
    problems(count: number) {
      for (let i = 0; i < count; i++)
        if (outcomes.get(i) !== 1) problems.push(`item ${i}: ${outcomes.get(i) ?? 0} outcomes`)
      return problems
    },
  }
}

describe('promises/processes opened', () => {
  for (const [workload, expected] of [
    [undefined, 4],
    ['hash', 2],
    ['pipeline', 2],
    ['scanPort', 2],
  ] as const)
    it(`${workload ? `for ${workload}` : 'for any workload'}: ${expected} child processes are running when open resolves, none once close does`, async () => {
      const before = children()
      const instance = await open(workload ? { workload } : {})
      const started = newChildren(before)
      expect(started).toHaveLength(expected)
      await instance.close()
      expect(started.filter(running)).toEqual([])
    })

  it('keeps no hashing process with parallelism 0, and one scan process', async () => {
    const before = children()
    const instance = await open({ parallelism: 0 })
    expect(newChildren(before)).toHaveLength(1)
    await instance.close()
    expect(newChildren(before)).toEqual([])
  })

  it('hashes every call of hash and pipeline in the processes it opened, as the relayed kernel trace shows', async () => {
    const before = children()
    const instance = await open()
    const pids = newChildren(before)
    try {
      for (let call = 0; call < 2; call++) {
        trace.clear()
        const spec = hashSpec({ seed: 10 + call, count: 16, bytes: 64 * 1024 })
        const result = await instance.workloads.hash?.(hashInput(spec), options())
        expect(verifyOutcomes(expectedHash(spec), result).ok).toBe(true)
        const hashed = await trace.threads(spec.sizes.length)
        expect(hashed.size, 'two processes hashed').toBe(2)
        for (const id of hashed) expect(pids).toContain(id)
        trace.clear()
        const pages = pipelineSpec({ seed: 20 + call, count: 16, bytes: 16 * 1024 })
        const digests = await instance.workloads.pipeline?.(
          pipelineInput(pages, world().origin),
          options(),
        )
        expect(verifyOutcomes(expectedPipeline(pages), digests).ok).toBe(true)
        for (const id of await trace.threads(pages.items.length)) expect(pids).toContain(id)
      }
      expect(newChildren(before)).toEqual(pids)
    } finally {
      await instance.close()
    }
  })

  it('scans in its kept processes call after call; an aborted scan ends aborted and the next answers in full', async () => {
    const before = children()
    const instance = await open({ workload: 'scanPort' })
    const pids = newChildren(before)
    const { host, open: openPorts, filtered } = world()
    const scan = instance.workloads.scanPort
    try {
      for (let call = 0; call < 2; call++)
        expect(
          states(
            await scan?.({ host, ports: [...openPorts, ...filtered] }, options({ timeoutMs: 300 })),
          ),
        ).toEqual([...openPorts.map(() => 'open'), ...filtered.map(() => 'filtered')])
      const controller = new AbortController()
      setTimeout(() => controller.abort(), 50)
      const started = performance.now()
      const aborted = await scan?.(
        { host, ports: [...filtered, ...filtered] },
        options({ concurrency: 2, signal: controller.signal }),
      )
      expect(performance.now() - started, 'settles soon after the abort').toBeLessThan(1000)
      expect(new Set(states(aborted))).toEqual(new Set(['aborted']))
      expect(states(await scan?.({ host, ports: [...openPorts] }, options()))).toEqual(
        openPorts.map(() => 'open'),
      )
      expect(newChildren(before)).toEqual(pids)
    } finally {
      await instance.close()
    }
  })

  it('fails the unanswered ports of a scan process that died as worker-crashed, replaces it, and scans on', async () => {
    const before = children()
    const instance = await open({ workload: 'scanPort', parallelism: 1 })
    const [pid] = newChildren(before)
    const { host, open: openPorts, filtered } = world()
    const scan = instance.workloads.scanPort
    try {
      // Killed once the open ports have answered, while the filtered ones wait for their deadline.
      let answered = 0
      const call = scan?.(
        { host, ports: [...openPorts, ...filtered] },
        options({
          parallelism: 1,
          timeoutMs: 5000,
          onOutcome: () => {
            if (++answered === openPorts.length) process.kill(pid as number, 'SIGKILL')
          },
        }),
      )
      const crashed = states(await call)
      expect(crashed?.slice(0, openPorts.length), 'the open ports answered first').toEqual(
        openPorts.map(() => 'open'),
      )
      expect(crashed?.slice(openPorts.length)).toEqual(filtered.map(() => 'worker-crashed'))
      expect(
        states(await scan?.({ host, ports: [...openPorts] }, options({ parallelism: 1 }))),
      ).toEqual(openPorts.map(() => 'open'))
      const now = await eventually(
        () => newChildren(before),
        (pids) => pids.length === 1 && pids[0] !== pid,
      )
      expect(now, 'one process, a new one').toHaveLength(1)
      expect(now).not.toContain(pid)
    } finally {
      await instance.close()
    }
  })

  it('reports each item once, before the call resolves, on hash with faults, pipeline and scan, and under an abort', async () => {
    const instance = await open()
    const { origin, host, open: openPorts, filtered } = world()
    try {
      const faulty = hashSpec({
        seed: 30,
        count: 24,
        bytes: 4096,
        faults: { exit: 0.1, throw: 0.1 },
      })
      const pages = pipelineSpec({ seed: 31, count: 24, bytes: 4096 })
      const calls: [
        number,
        (hooks: Partial<RunOptions>) => Promise<readonly unknown[]> | undefined,
      ][] = [
        [faulty.sizes.length, (h) => instance.workloads.hash?.(hashInput(faulty), options(h))],
        [
          pages.items.length,
          (h) => instance.workloads.pipeline?.(pipelineInput(pages, origin), options(h)),
        ],
        [
          openPorts.length + filtered.length,
          (h) =>
            instance.workloads.scanPort?.(
              { host, ports: [...openPorts, ...filtered] },
              options({ timeoutMs: 300, ...h }),
            ),
        ],
      ]
      for (const abortAfterMs of [undefined, 30])
        for (const [count, call] of calls) {
          const hooks = callbacks()
          const signal = abortAfterMs === undefined ? undefined : AbortSignal.timeout(abortAfterMs)
          try {
            await call({
              onOutcome: hooks.onOutcome,
              onStart: hooks.onStart,
              ...(signal ? { signal } : {}),
            })
          } finally {
            hooks.settle()
          }
          await new Promise((resolve) => setTimeout(resolve, 50))
          expect(hooks.problems(count)).toEqual([])
        }
    } finally {
      await instance.close()
    }
  })
})

describe('promises/processes one-shot', () => {
  it('starts no process for bad input or options, and leaves none after a call', async () => {
    const before = children()
    await expect(hashProcesses({ buffers: ['x'] } as never, options())).rejects.toThrow(TypeError)
    await expect(
      scanPortProcesses({ host: 'example.com', ports: [80] }, options()),
    ).rejects.toThrow(TypeError)
    expect(newChildren(before)).toEqual([])
    const spec = hashSpec({ seed: 40, count: 8, bytes: 1024 })
    expect(
      verifyOutcomes(expectedHash(spec), await hashProcesses(hashInput(spec), options())).ok,
    ).toBe(true)
    expect(newChildren(before)).toEqual([])
  })
})
