import { HttpStatusError, success } from '@arena/core'
import * as Cause from 'effect/Cause'
import * as Effect from 'effect/Effect'
import { describe, expect, it } from 'vitest'
import { NetworkError, StatusError, WorkerCrashError } from '../src/errors.ts'
import { runOutcomes, settle } from '../src/run.ts'

describe('runOutcomes', () => {
  it('gives every item a failed program left unfinished that failure, and keeps the finished ones', async () => {
    const result = await runOutcomes<number>(3, undefined, (record) =>
      Effect.andThen(
        record(1, success(7)),
        Effect.fail(new WorkerCrashError({ cause: 'the pool would not start' })),
      ),
    )
    expect(result.map((o) => (o.ok ? o.value : o.failure.kind))).toEqual([
      'worker-crashed',
      7,
      'worker-crashed',
    ])
  })

  it('reports each outcome once, recorded ones as recorded and the rest before it resolves', async () => {
    const reported: string[] = []
    const onOutcome = (index: number, outcome: { ok: boolean }) =>
      reported.push(`${index}:${outcome.ok}`)
    const pending = runOutcomes<number>(
      3,
      undefined,
      (record, start) =>
        Effect.andThen(
          start(1)(record(1, success(7))),
          Effect.fail(new WorkerCrashError({ cause: 'the pool would not start' })),
        ),
      undefined,
      { onOutcome, onStart: (index) => reported.push(`start ${index}`) },
    )
    const result = await pending
    expect(reported).toEqual(['start 1', '1:true', '0:false', '2:false'])
    expect(result.map((o) => o.ok)).toEqual([false, true, false])
  })

  it('reports every item aborted when the signal was aborted before the call, starting nothing', async () => {
    const reported: number[] = []
    const result = await runOutcomes(
      2,
      AbortSignal.abort(),
      () => Effect.die('never run'),
      undefined,
      {
        onOutcome: (index) => reported.push(index),
        onStart: () => reported.push(-1),
      },
    )
    expect(reported).toEqual([0, 1])
    expect(result.every((o) => !o.ok && o.failure.kind === 'aborted')).toBe(true)
  })

  it('rejects for a defect of the program itself instead of hiding it in outcomes', async () => {
    await expect(
      runOutcomes(1, undefined, () => Effect.die(new RangeError('a bug'))),
    ).rejects.toThrow(RangeError)
  })
})

describe('settle', () => {
  const failureOf = async (error: Effect.Effect<never, never> | Effect.Effect<never, unknown>) => {
    const outcome = await Effect.runPromise(settle(() => 0)(error as Effect.Effect<never, never>))
    return outcome.ok ? undefined : outcome.failure
  }

  it("maps each typed error to core's failure, as the shared primitive classifies it", async () => {
    expect(await failureOf(Effect.fail(new StatusError({ status: 503 })))).toEqual({
      kind: 'http-status',
      status: 503,
    })
    expect(await failureOf(Effect.fail(new Cause.TimeoutError()))).toEqual({ kind: 'timeout' })
    expect(
      await failureOf(
        Effect.fail(
          new NetworkError({ cause: Object.assign(new Error('x'), { code: 'ECONNRESET' }) }),
        ),
      ),
    ).toMatchObject({ kind: 'network', code: 'ECONNRESET' })
    expect(await failureOf(Effect.fail(new WorkerCrashError({ cause: 'exit' })))).toMatchObject({
      kind: 'worker-crashed',
    })
  })

  it('turns a defect into one failed item, not a failed run', async () => {
    expect(await failureOf(Effect.die(new HttpStatusError(500)))).toEqual({
      kind: 'http-status',
      status: 500,
    })
  })
})
