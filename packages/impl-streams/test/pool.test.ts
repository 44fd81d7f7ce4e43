import { markWorkerFault, sha256Hex, WorkerCrashedError } from '@arena/core'
import { describe, expect, it } from 'vitest'
import { WorkerPool } from '../src/pool.ts'
import { leftSince, snapshot } from './support.ts'

/** A buffer of `bytes` filled with `seed`, and its digest computed here first (the pool detaches it). */
function buffer(bytes: number, seed = 1) {
  const data = new Uint8Array(bytes).fill(seed)
  return { data, digest: sha256Hex(data) }
}

function faulty(fault: 'throw' | 'exit' | 'hang') {
  const data = new Uint8Array(64)
  markWorkerFault(data, fault)
  return data
}

describe('the worker pool', () => {
  it('is ready with its threads running, digests on them call after call, and close leaves no thread', async () => {
    const before = snapshot()
    const pool = new WorkerPool(2)
    await pool.ready()
    expect(snapshot().threads - before.threads).toBe(2)
    for (let call = 0; call < 3; call++) {
      const inputs = Array.from({ length: 6 }, (_, i) => buffer(1000 + i, call + i))
      const digests = await Promise.all(inputs.map((b) => pool.digest(b.data, { timeoutMs: 5000 })))
      expect(digests).toEqual(inputs.map((b) => b.digest))
      expect(snapshot().threads - before.threads, `threads after call ${call}`).toBe(2)
    }
    await pool.close()
    expect(await leftSince(before)).toEqual([])
  })

  it('fails only the task of a worker that throws or exits, and replaces the worker', async () => {
    const before = snapshot()
    const pool = new WorkerPool(1)
    await pool.ready()
    for (const fault of ['throw', 'exit'] as const) {
      await expect(pool.digest(faulty(fault), { timeoutMs: 5000 })).rejects.toThrow(
        WorkerCrashedError,
      )
      const next = buffer(64)
      expect(await pool.digest(next.data, { timeoutMs: 5000 })).toBe(next.digest)
    }
    await pool.close()
    expect(await leftSince(before)).toEqual([])
  })

  it("starts a task's deadline when a worker takes it, not while it waits behind a hung one", async () => {
    const before = snapshot()
    const pool = new WorkerPool(1)
    await pool.ready()
    const hung = pool.digest(faulty('hang'), { timeoutMs: 300 })
    // Waits ≥ 300 ms for the only worker: a deadline counted from here would expire first.
    const next = buffer(64)
    const queued = pool.digest(next.data, { timeoutMs: 150 })
    await expect(hung).rejects.toMatchObject({ name: 'TimeoutError' })
    expect(await queued).toBe(next.digest)
    await pool.close()
    expect(await leftSince(before)).toEqual([])
  })

  it('drops an aborted queued task, stops an aborted running one, and keeps working', async () => {
    const before = snapshot()
    const pool = new WorkerPool(1)
    await pool.ready()
    const controller = new AbortController()
    const running = pool.digest(faulty('hang'), { timeoutMs: 60_000, signal: controller.signal })
    const queued = pool.digest(buffer(64).data, { timeoutMs: 60_000, signal: controller.signal })
    controller.abort()
    await expect(running).rejects.toMatchObject({ name: 'AbortError' })
    await expect(queued).rejects.toMatchObject({ name: 'AbortError' })
    const next = buffer(128)
    expect(await pool.digest(next.data, { timeoutMs: 5000 })).toBe(next.digest)
    expect(snapshot().threads - before.threads, 'the hung worker was replaced, not added to').toBe(
      1,
    )
    await pool.close()
    expect(await leftSince(before)).toEqual([])
  })

  it('fails what is still waiting or running when it closes', async () => {
    const pool = new WorkerPool(1)
    const hung = pool.digest(faulty('hang'), { timeoutMs: 60_000 })
    const waiting = pool.digest(buffer(64).data, { timeoutMs: 60_000 })
    const settled = Promise.allSettled([hung, waiting])
    await pool.ready()
    await pool.close()
    const [first, second] = await settled
    expect(first).toMatchObject({
      status: 'rejected',
      reason: { message: expect.stringMatching(/closed/) },
    })
    expect(second).toMatchObject({
      status: 'rejected',
      reason: { message: expect.stringMatching(/closed/) },
    })
    await expect(pool.digest(buffer(64).data, { timeoutMs: 100 })).rejects.toThrow(/closed/)
  })
})
