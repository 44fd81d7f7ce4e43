import { markWorkerFault, sha256Hex } from '@arena/core'
import { catchError, firstValueFrom, forkJoin, type Observable, of, tap } from 'rxjs'
import { afterEach, describe, expect, it } from 'vitest'
import { WorkerPool } from '../src/pool.ts'

const bytes = (length: number, fill = 1) => new Uint8Array(length).fill(fill)
const faulty = (fault: 'throw' | 'exit' | 'hang') => {
  const data = bytes(64)
  markWorkerFault(data, fault)
  return data
}
const settled = (digests: Observable<string>[]) =>
  firstValueFrom(forkJoin(digests.map((d) => d.pipe(catchError((error: Error) => of(error.name))))))

describe('WorkerPool', () => {
  let pool: WorkerPool | undefined
  afterEach(async () => {
    await pool?.close()
  })

  it('transfers a buffer it owns whole, and copies a view into a larger one', async () => {
    pool = new WorkerPool(1)
    const owned = bytes(1024)
    const expected = sha256Hex(owned)
    expect(await firstValueFrom(pool.digest(owned))).toBe(expected)
    expect(owned.byteLength, 'the owned buffer was transferred (detached)').toBe(0)
    const parent = bytes(2048)
    const view = parent.subarray(512, 1536)
    expect(await firstValueFrom(pool.digest(view))).toBe(expected)
    expect(parent.byteLength, 'the shared parent buffer is left intact').toBe(2048)
  })

  // The kit's hash never has a task waiting for a worker (mergeMap subscribes no more than
  // `parallelism`); the pipeline does. A pool that loses a worker for good hangs here.
  it('replaces a crashed worker for the tasks already waiting for one', {
    timeout: 10_000,
  }, async () => {
    pool = new WorkerPool(1)
    const results = await settled([
      pool.digest(faulty('throw')),
      pool.digest(bytes(10)),
      pool.digest(faulty('exit')),
      pool.digest(bytes(10, 2)),
    ])
    expect(results).toEqual([
      'WorkerCrashedError',
      sha256Hex(bytes(10)),
      'WorkerCrashedError',
      sha256Hex(bytes(10, 2)),
    ])
  })

  it('starts a task deadline when a worker takes the task, not while the task waits for one', {
    timeout: 10_000,
  }, async () => {
    pool = new WorkerPool(1)
    // The second task waits for the hung one's deadline and for a replacement worker to
    // start: far longer than its own deadline, which must not have started yet.
    const results = await settled([
      pool.digest(faulty('hang'), { timeoutMs: 300 }),
      pool.digest(bytes(10), { timeoutMs: 300 }),
    ])
    expect(results).toEqual(['TimeoutError', sha256Hex(bytes(10))])
  })

  it('says a task is taken only once a worker has it, not while it waits for one', async () => {
    const workers = new WorkerPool(1)
    pool = workers
    const log: string[] = []
    const task = (name: string, fill: number) =>
      workers
        .digest(bytes(64, fill), { onTaken: () => log.push(`${name} taken`) })
        .pipe(tap(() => log.push(`${name} done`)))
    const both = settled([task('first', 1), task('second', 2)])
    expect(log, 'the only worker is still loading').toEqual([])
    expect(await both).toEqual([sha256Hex(bytes(64, 1)), sha256Hex(bytes(64, 2))])
    expect(log).toEqual(['first taken', 'first done', 'second taken', 'second done'])
  })
})
