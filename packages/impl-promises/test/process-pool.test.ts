import { hashInput, hashSpec, markWorkerFault, sha256Hex, WorkerCrashedError } from '@arena/core'
import { afterEach, describe, expect, it } from 'vitest'
import { ProcessPool } from '../src/process-pool.ts'
import { children, eventually, newChildren, running } from './process-support.ts'

const buffers = (seed: number, count: number, bytes = 4096) =>
  hashInput(hashSpec({ seed, count, bytes })).buffers
const digests = (data: readonly Uint8Array[]) => data.map((b) => sha256Hex(b))
const faulty = (fault: 'exit' | 'hang' | 'throw') => {
  const [buffer] = buffers(1, 1, 64)
  markWorkerFault(buffer as Uint8Array, fault)
  return buffer as Uint8Array
}

let pool: ProcessPool | undefined
afterEach(async () => {
  await pool?.close()
  pool = undefined
})

describe('the process pool', () => {
  it('hashes in as many child processes as asked, and none of them runs once close resolves', async () => {
    const before = children()
    pool = new ProcessPool(2)
    await pool.ready()
    const pids = pool.pids
    expect(newChildren(before).sort(), 'its processes are children of this one').toEqual(
      [...pids].sort(),
    )
    const data = buffers(2, 20)
    expect(await Promise.all(data.map((b) => pool?.run(b, { timeoutMs: 5000 })))).toEqual(
      digests(data),
    )
    expect(pool.pids, 'the same processes throughout').toEqual(pids)
    await pool.close()
    expect(pids.filter(running), 'still running after close').toEqual([])
    expect(newChildren(before)).toEqual([])
  })

  it('fails only the task whose process exited, threw or hung, and replaces that process', async () => {
    pool = new ProcessPool(2)
    await pool.ready()
    const original = pool.pids
    const data = buffers(3, 8)
    const run = (b: Uint8Array) =>
      (pool as ProcessPool).run(b, { timeoutMs: 400 }).then(
        (digest) => digest,
        (error: unknown) => (error instanceof Error ? error.name : String(error)),
      )
    const results = await Promise.all([
      run(faulty('exit')),
      run(faulty('throw')),
      run(faulty('hang')),
      ...data.map(run),
    ])
    expect(results.slice(0, 3)).toEqual([
      'WorkerCrashedError',
      'WorkerCrashedError',
      'TimeoutError',
    ])
    expect(results.slice(3)).toEqual(digests(data))
    expect(pool.pids).toHaveLength(2)
    expect(
      original.filter((pid) => pool?.pids.includes(pid)),
      'three crashes on two processes',
    ).toEqual([])
    expect(
      await eventually(
        () => original.filter(running),
        (left) => left.length === 0,
      ),
    ).toEqual([])
  })

  it('reports why a process crashed', async () => {
    pool = new ProcessPool(1)
    await pool.ready()
    await expect(pool.run(faulty('exit'), { timeoutMs: 5000 })).rejects.toThrow(
      /exited with code 70/,
    )
    await expect(pool.run(faulty('throw'), { timeoutMs: 5000 })).rejects.toThrow(
      /threw: injected worker fault: throw/,
    )
  })

  it('starts a deadline when a process takes the task, not while it waits behind a hung one', async () => {
    pool = new ProcessPool(1)
    await pool.ready()
    const [queued] = buffers(4, 1)
    const hung = pool.run(faulty('hang'), { timeoutMs: 300 })
    const taken: number[] = []
    const started = performance.now()
    const next = pool.run(queued as Uint8Array, {
      timeoutMs: 300,
      onTaken: () => taken.push(performance.now() - started),
    })
    await expect(hung).rejects.toMatchObject({ name: 'TimeoutError' })
    expect(await next, 'waited ~300 ms in the queue, then hashed within its own 300 ms').toBe(
      sha256Hex(queued as Uint8Array),
    )
    expect(taken).toHaveLength(1)
    expect(taken[0]).toBeGreaterThanOrEqual(280)
  })

  it('ends a running task at once on abort but keeps its process, which then takes the next task', async () => {
    pool = new ProcessPool(1)
    await pool.ready()
    const [pid] = pool.pids
    const big = buffers(5, 4, 1 << 20)
    const controller = new AbortController()
    const calls = big.map((b) =>
      (pool as ProcessPool)
        .run(b, { timeoutMs: 5000, signal: controller.signal })
        .catch((error: unknown) => error),
    )
    controller.abort()
    for (const outcome of await Promise.all(calls))
      expect(outcome).toMatchObject({ name: 'AbortError' })
    const [small] = buffers(6, 1)
    expect(await pool.run(small as Uint8Array, { timeoutMs: 5000 })).toBe(
      sha256Hex(small as Uint8Array),
    )
    expect(pool.pids).toEqual([pid])
  })

  it('sends only the bytes of a view, not its whole buffer', async () => {
    pool = new ProcessPool(1)
    await pool.ready()
    const [whole] = buffers(7, 1, 1000)
    const view = (whole as Uint8Array).subarray(100, 300)
    expect(await pool.run(view, { timeoutMs: 5000 })).toBe(sha256Hex(view))
    expect(whole?.byteLength, 'the caller keeps its buffer').toBe(1000)
  })

  it('breaks instead of respawning forever when a process dies before it is ready', async () => {
    const before = children()
    pool = new ProcessPool(2)
    const [first] = pool.pids
    process.kill(first as number, 'SIGKILL')
    await expect(pool.ready()).rejects.toThrow(WorkerCrashedError)
    await expect(pool.run(buffers(8, 1)[0] as Uint8Array, { timeoutMs: 5000 })).rejects.toThrow(
      /before it was ready/,
    )
    expect(newChildren(before).length, 'no replacement started').toBeLessThanOrEqual(1)
    await pool.close()
    expect(
      await eventually(
        () => newChildren(before),
        (left) => left.length === 0,
      ),
    ).toEqual([])
  })
})
