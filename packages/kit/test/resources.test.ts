import { connect, createServer } from 'node:net'
import { Worker } from 'node:worker_threads'
import { describe, expect, it } from 'vitest'
import { leaksSince, snapshotResources, waitForNoLeaks } from '../src/resources.ts'

describe('leak detection', () => {
  it('sees a socket, a timer and a worker thread left alive, and their release', async () => {
    const before = snapshotResources()
    const server = createServer((s) => s.destroy())
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    // Three timers: handles are counted by type, and a timer of the test runner's that
    // ends meanwhile (seen on a loaded machine) would hide a single one.
    const timers = [1, 2, 3].map(() => setTimeout(() => {}, 10_000))
    const worker = new Worker('setInterval(() => {}, 1000)', { eval: true })
    await new Promise((resolve) => worker.once('online', resolve))
    const leaks = leaksSince(before).join(', ')
    expect(leaks).toMatch(/TCPServerWrap/)
    expect(leaks).toMatch(/Timeout/)
    expect(leaks).toMatch(/thread/)
    for (const timer of timers) clearTimeout(timer)
    await worker.terminate()
    await new Promise((resolve) => server.close(resolve))
    expect(await waitForNoLeaks(before)).toEqual([])
  })

  it('gives up after its deadline and reports what is still alive', async () => {
    const before = snapshotResources()
    const server = createServer()
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const socket = connect((server.address() as { port: number }).port, '127.0.0.1')
    expect((await waitForNoLeaks(before, 100)).join()).toMatch(/TCP/)
    socket.destroy()
    server.close()
  })
})
