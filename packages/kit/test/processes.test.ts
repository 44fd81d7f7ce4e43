import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { hashInput, hashSpec, sha256Hex, type Workloads } from '@arena/core'
import { describe, expect, it } from 'vitest'
import {
  checkReplaced,
  expectHashedInChildren,
  reapedChildrenCpuMs,
} from '../src/conformance/processes.ts'
import { childProcesses, leaksSince, snapshotResources, waitForNoLeaks } from '../src/resources.ts'
import { processVariant } from './fixtures/process-variant.ts'

describe('the process table', () => {
  it('sees a child process left running, by pid, and its end', async () => {
    const before = snapshotResources()
    const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], {
      stdio: 'ignore',
    })
    await once(child, 'spawn')
    expect(childProcesses()).toContain(child.pid)
    expect(leaksSince(before).join(', ')).toMatch(new RegExp(`1 child process.*${child.pid}`))
    child.kill()
    expect(await waitForNoLeaks(before)).toEqual([])
  })

  it("counts a reaped child's CPU time", async () => {
    const before = reapedChildrenCpuMs()
    const child = spawn(process.execPath, ['-e', 'while (process.cpuUsage().user < 150_000);'], {
      stdio: 'ignore',
    })
    await once(child, 'close')
    expect(reapedChildrenCpuMs() - before).toBeGreaterThanOrEqual(100)
  })
})

describe('the process-table checks', () => {
  it('pass a pool that replaces the one child that exited or hung', async () => {
    await checkReplaced(processVariant('none'), 'exit', 1)
    await checkReplaced(processVariant('none'), 'hang', 4)
  })

  it('reject a pool that restarts every child on one crash', async () => {
    // Caught by the outcomes when the other child had a task running, else by the table.
    await expect(checkReplaced(processVariant('restarts-all'), 'exit', 1)).rejects.toThrow(
      /1 of 16 outcomes wrong|the failed one replaced, the others kept/,
    )
  })

  it('reject a pool that leaves a hung child running beside its replacement', async () => {
    await expect(checkReplaced(processVariant('keeps-hung'), 'hang', 4)).rejects.toThrow(
      /the failed one replaced/,
    )
  })

  it('see hashing in child processes, and not in children that idle while the main thread hashes', async () => {
    // 192 MiB: about 120 ms of hashing, well clear of the 10 ms ticks child CPU is
    // counted in and of the noise in two processes' start-up (48 MiB, 30 ms of
    // hashing, let the idle fixture pass once in a fresh-clone CI run).
    const spec = hashSpec({ seed: 9, count: 192, bytes: 1 << 20 })
    const plain = hashInput(spec)
    const start = process.threadCpuUsage()
    for (const buffer of plain.buffers) sha256Hex(buffer)
    const used = process.threadCpuUsage(start)
    const referenceMs = (used.user + used.system) / 1000
    for (const [flaw, passes] of [
      ['none', true],
      ['hashes-on-main', false],
    ] as const) {
      const run = processVariant(flaw).workloads.hash as Workloads['hash']
      const before = reapedChildrenCpuMs()
      await run(hashInput(spec), { concurrency: 1, parallelism: 2, timeoutMs: 5000 })
      const check = expectHashedInChildren(run, 192, reapedChildrenCpuMs() - before, referenceMs)
      if (passes) await check
      else await expect(check).rejects.toThrow(/beyond their fixed cost/)
    }
  })
})
