import * as Effect from 'effect/Effect'
import * as Layer from 'effect/Layer'
import { expect, it } from 'vitest'
import { Hasher } from '../src/hasher.ts'
import { Http } from '../src/http.ts'
import { httpPools } from '../src/http-pools.ts'
import { pipelineCall } from '../src/pipeline.ts'
import { oneShot } from '../src/run.ts'

it('keeps a bounded number of bodies in hand when hashing falls behind downloading', async () => {
  let downloads = 0
  const http = Layer.succeed(Http, {
    get: () => Effect.die('unused'),
    getBody: () =>
      Effect.sync(() => {
        downloads++
        return new Uint8Array(8)
      }),
  })
  // A hasher that never finishes: every body handed to it stays in the pipeline.
  const hasher = Layer.succeed(Hasher, {
    digest: () => Effect.never,
    concurrency: 2,
    ready: Effect.void,
  })
  const urls = Array.from({ length: 1000 }, (_, i) => `http://127.0.0.1:1/page/1/${i}`)
  const controller = new AbortController()
  const run = oneShot(pipelineCall, () =>
    Layer.merge(
      httpPools(() => http, 8),
      hasher,
    ),
  )({ urls }, { concurrency: 8, parallelism: 2, timeoutMs: 1000, signal: controller.signal })
  // Downloads are instant here, so any unbounded stage would have taken all 1000 by now.
  await new Promise((resolve) => setTimeout(resolve, 100))
  controller.abort()
  const result = await run
  expect(downloads).toBeGreaterThanOrEqual(8)
  // `concurrency` downloaded or downloading, `concurrency` buffered, and at most a buffer's worth
  // pulled by the hashing stage (it pulls in chunks), whatever the input's length.
  expect(downloads).toBeLessThanOrEqual(3 * 8 + 1)
  expect(result.every((o) => !o.ok && o.failure.kind === 'aborted')).toBe(true)
})
