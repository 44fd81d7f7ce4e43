/**
 * The conformance kit's process-table section, for every variant that
 * hashes: a worker that crashes, and one that hangs, each cost exactly their
 * own item, and the process table proves what no outcome can — a pool of
 * child processes replaces the one it lost (one pid gone, one new, as many
 * children as before), kills the hung one instead of leaving it, and leaves
 * no child once the call (one-shot) or the instance (opened) is done. A
 * variant on threads has no child at any point, and must keep it that way.
 * It also reads what reaped children cost in CPU, which is where a process
 * pool's hashing shows (see the hash section).
 */
import { readFileSync } from 'node:fs'
import {
  effectiveLimits,
  expectedHash,
  type HashSpec,
  hashInput,
  hashSpec,
  type Instance,
  openVariant,
  type Variant,
  type WorkerFault,
  type Workloads,
} from '@arena/core'
import { describe, expect, it } from 'vitest'
import { childProcesses, snapshotResources, waitForNoLeaks } from '../resources.ts'
import { expectVerified, options } from './support.ts'

/** Workers asked for in this section. */
const WORKERS = 2
/** Deadline of each hash task here, ms: a hung worker's item ends this long after its worker took it. */
const TIMEOUT_MS = 400
/** How long a killed or crashed child may take to be gone, in milliseconds. */
const SETTLE_MS = 2000
/** Clock ticks per second of /proc's CPU times (USER_HZ, 100 on every Linux architecture Node runs on). */
const USER_HZ = 100

/**
 * CPU time, in milliseconds, of this process's children that have ended and
 * been reaped (user + system, `cutime` + `cstime` of /proc/self/stat): a
 * process pool's work shows here once its children have exited.
 */
export function reapedChildrenCpuMs(): number {
  const stat = readFileSync('/proc/self/stat', 'utf8')
  // Fields after the command (in parentheses, may hold spaces) start at field 3; cutime is 16, cstime 17.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  return ((Number(fields[13]) + Number(fields[14])) * 1000) / USER_HZ
}

/**
 * Asserts a one-shot hash run whose reaped children spent `childrenCpuMs`
 * hashed in them: beyond what the same run on 64-byte buffers costs them
 * (start-up, messages), they spent at least 70 % of `referenceMs`, the main
 * thread's cost of the same digests. A process pool's main thread pays for
 * copying every buffer out — about as much as hashing it with SHA-NI, measured
 * — so its own CPU cannot show where the hashing ran; its children's can.
 */
export async function expectHashedInChildren(
  run: Workloads['hash'],
  count: number,
  childrenCpuMs: number,
  referenceMs: number,
): Promise<void> {
  const tiny = hashInput(hashSpec({ seed: 58, count, bytes: 64 }))
  const before = reapedChildrenCpuMs()
  await run(tiny, options({ parallelism: WORKERS }))
  const fixedMs = reapedChildrenCpuMs() - before
  expect(
    childrenCpuMs - fixedMs,
    `CPU of the child processes beyond their fixed cost (${childrenCpuMs} − ${fixedMs} ms), against ${referenceMs.toFixed(0)} ms for these digests on the main thread`,
  ).toBeGreaterThan(0.7 * referenceMs)
}

/** 16 buffers of 4 KiB, the one at `index` carrying `fault`. */
function faultySpec(seed: number, fault: WorkerFault, index: number): HashSpec {
  const spec = hashSpec({ seed, count: 16, bytes: 4096 })
  return { ...spec, faults: spec.sizes.map((_, i) => (i === index ? fault : 'none')) }
}

/** Waits (at most {@link SETTLE_MS}) until `holds(children)` is true of this process's children; returns them. */
async function childrenWhen(holds: (pids: readonly number[]) => boolean): Promise<number[]> {
  const deadline = Date.now() + SETTLE_MS
  let pids = childProcesses()
  while (!holds(pids) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 20))
    pids = childProcesses()
  }
  return pids
}

/**
 * Opens `variant` for hash, runs a clean call, then one whose item 5 carries
 * `fault`, and asserts: that item alone failed; the children are as many as
 * before, with exactly one replaced if there were any; the next call answers
 * in full; after close no child is left.
 */
export async function checkReplaced(variant: Variant, fault: WorkerFault, seed: number) {
  const workers = effectiveLimits(variant.limits, {
    concurrency: 1,
    parallelism: WORKERS,
  }).parallelism
  const run = options({ parallelism: WORKERS, timeoutMs: TIMEOUT_MS })
  const before = snapshotResources()
  const instance: Instance = await openVariant(variant, {
    concurrency: run.concurrency,
    parallelism: WORKERS,
    workload: 'hash',
  })
  try {
    const hash = instance.workloads.hash as Workloads['hash']
    const clean = hashSpec({ seed, count: 16, bytes: 4096 })
    expectVerified(expectedHash(clean), await hash(hashInput(clean), run))
    const kept = childProcesses().filter((pid) => !before.processes.includes(pid))

    const faulty = faultySpec(seed + 1, fault, 5)
    expectVerified(expectedHash(faulty, workers), await hash(hashInput(faulty), run))
    const lost = (pids: readonly number[]) => kept.filter((pid) => !pids.includes(pid))
    const gained = (pids: readonly number[]) =>
      pids.filter((pid) => !kept.includes(pid) && !before.processes.includes(pid))
    const expectedLost = kept.length > 0 && workers > 0 ? 1 : 0
    const after = await childrenWhen(
      (pids) => lost(pids).length === expectedLost && gained(pids).length === expectedLost,
    )
    expect(
      { lost: lost(after).length, gained: gained(after).length },
      `children after a worker fault '${fault}' (kept ${kept.join(', ') || 'none'}, now ${after.join(', ') || 'none'}): ${expectedLost ? 'the failed one replaced, the others kept' : 'none started'}`,
    ).toEqual({ lost: expectedLost, gained: expectedLost })

    const next = hashSpec({ seed: seed + 2, count: 16, bytes: 4096 })
    expectVerified(expectedHash(next), await hash(hashInput(next), run))
  } finally {
    await instance.close()
  }
  expect(await waitForNoLeaks(before), 'left behind after close').toEqual([])
}

/** Registers the process-table checks of `variant` (one with a `hash` workload). */
export function describeProcesses(variant: Variant) {
  const run = variant.workloads.hash
  if (!run) return
  const workers = effectiveLimits(variant.limits, {
    concurrency: 1,
    parallelism: WORKERS,
  }).parallelism
  describe('process table', () => {
    it('hash: a worker that exits costs its one item, is replaced, and no child process is left after close', () =>
      checkReplaced(variant, 'exit', 51))

    it('hash: a hung worker costs its one item, is killed at its deadline and replaced, and no child process is left after close', () =>
      checkReplaced(variant, 'hang', 54))

    it('hash: one-shot, an exit and a hang cost two items and leave no child process once the call resolves', async () => {
      const before = snapshotResources()
      const spec = faultySpec(57, 'exit', 3)
      const faults = spec.faults?.map((f, i) => (i === 9 ? 'hang' : f))
      const both = { ...spec, ...(faults ? { faults } : {}) }
      const result = await run(
        hashInput(both),
        options({ parallelism: WORKERS, timeoutMs: TIMEOUT_MS }),
      )
      const verdict = expectVerified(expectedHash(both, workers), result)
      if (workers > 0) expect(verdict.tally.ok, 'every other item answered').toBe(14)
      expect(await waitForNoLeaks(before), 'left behind by the call').toEqual([])
    })
  })
}
