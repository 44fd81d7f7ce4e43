/**
 * The conformance kit's proof of parallelism, for `hash` and `pipeline`: asked
 * for p = 2 workers, a variant must really have p digests in progress at one
 * instant, as the workers' own kernel traces show (thread ids and start and
 * end instants); a variant that declares a lower parallelism is held to
 * exactly that figure, and one that declares 0 hashes on no worker at all.
 * CPU time on the main thread cannot show this: a 2-worker pool fed one
 * buffer at a time leaves the main thread just as idle.
 */
import {
  effectiveLimits,
  expectedHash,
  expectedPipeline,
  fetchInput,
  fetchSpec,
  hashInput,
  hashSpec,
  type KernelTrace,
  type VariantLimits,
  type Workloads,
} from '@arena/core'
import { describe, expect, it } from 'vitest'
import { tagUrls } from '../mock-server.ts'
import type { MockWorldInfo } from '../start-mock-world.ts'
import { peakThreads, tracedRun } from './kernel-trace.ts'
import { nextTag, options, world } from './support.ts'

/** Workers asked for: at least 2, so that running at once is something to prove. */
export const ASKED_WORKERS = 2
/** Buffers (or pages) per run, per worker asked for; 1 MiB each, so each digest lasts a while. */
const ITEMS_PER_WORKER = 32
const ITEM_BYTES = 1 << 20
/**
 * Runs that may look for the overlap. In a one-shot run each worker starts on
 * its own, and on a busy machine one can finish most of the input before the
 * other is ready (seen on 2 shared cores: a second worker's first digest up
 * to 120 ms after the first's); a serial variant shows no overlap in any run.
 */
const ATTEMPTS = 6
/** Concurrency of the pipeline's downloads, enough to keep both workers fed. */
const PIPELINE_CONCURRENCY = 8

/** The workers a variant with these `limits` runs when asked for {@link ASKED_WORKERS}. */
export const workersOf = (limits: VariantLimits | undefined) =>
  effectiveLimits(limits, { concurrency: PIPELINE_CONCURRENCY, parallelism: ASKED_WORKERS })
    .parallelism

/**
 * Asserts the runs `attempt` makes have exactly `workers` digests in progress
 * at once at their peak: never more in any run, and that many in one of up to
 * {@link ATTEMPTS} runs (all of them for a declared lower limit, whose breach
 * is as much a matter of chance as the proof).
 */
async function expectPeak(
  name: string,
  attempt: () => Promise<KernelTrace[]>,
  workers: number,
): Promise<void> {
  const items = ITEMS_PER_WORKER * ASKED_WORKERS
  if (workers === 0) {
    const traces = await attempt()
    expect(traces, `${name}: declared parallelism 0, yet worker threads hashed`).toEqual([])
    return
  }
  const peaks: number[] = []
  const enough = () => workers === ASKED_WORKERS && peaks.includes(workers)
  while (peaks.length < ATTEMPTS && !enough()) {
    const peak = peakThreads(await attempt())
    expect(
      peak,
      `${name}: ${peak} worker threads had a digest in progress at once, above ${workers === ASKED_WORKERS ? 'the asked' : 'its declared'} parallelism`,
    ).toBeLessThanOrEqual(workers)
    peaks.push(peak)
  }
  expect(
    Math.max(...peaks),
    `${name}: at most ${Math.max(...peaks)} of ${workers} worker threads had a digest in progress at once, over ${peaks.length} runs of ${items} × 1 MiB (peaks ${peaks.join(', ')}): the workers take turns`,
  ).toBe(workers)
}

/** The proof for `hash`, asked for {@link ASKED_WORKERS} workers. */
export function checkParallelHash(
  run: Workloads['hash'],
  limits: VariantLimits | undefined,
): Promise<void> {
  const workers = workersOf(limits)
  const spec = hashSpec({ seed: 31, count: ITEMS_PER_WORKER * ASKED_WORKERS, bytes: ITEM_BYTES })
  const expected = expectedHash(spec)
  return expectPeak(
    'hash',
    () =>
      tracedRun(
        () => run(hashInput(spec), options({ parallelism: ASKED_WORKERS })),
        expected,
        workers,
      ),
    workers,
  )
}

/** The proof for `pipeline` on `world`'s server, asked for {@link ASKED_WORKERS} workers. */
export function checkParallelPipeline(
  run: Workloads['pipeline'],
  limits: VariantLimits | undefined,
  world: MockWorldInfo,
  label: string,
): Promise<void> {
  const workers = workersOf(limits)
  const spec = fetchSpec({ seed: 32, count: ITEMS_PER_WORKER * ASKED_WORKERS, bytes: ITEM_BYTES })
  const expected = expectedPipeline(spec)
  const urls = fetchInput(spec, world.origin).urls
  return expectPeak(
    'pipeline',
    () =>
      tracedRun(
        () =>
          run(
            { urls: tagUrls(urls, nextTag(`${label}/parallel`)) },
            options({ concurrency: PIPELINE_CONCURRENCY, parallelism: ASKED_WORKERS }),
          ),
        expected,
        workers,
      ),
    workers,
  )
}

/** Registers the parallelism proof for the variant's `hash` and `pipeline`. */
export function describeParallelism(
  w: Partial<Workloads>,
  limits: VariantLimits | undefined,
  label: string,
) {
  const { hash, pipeline } = w
  if (!hash && !pipeline) return
  const workers = workersOf(limits)
  const claim =
    workers === ASKED_WORKERS
      ? `has ${workers} digests in progress at once on worker threads when asked for ${ASKED_WORKERS}`
      : workers === 0
        ? `hashes on no worker thread when asked for ${ASKED_WORKERS}, as its declared parallelism 0 says`
        : `has exactly ${workers} digest${workers === 1 ? '' : 's'} in progress at once when asked for ${ASKED_WORKERS}, its declared parallelism`
  describe('parallelism', () => {
    if (hash) it(`hash: ${claim}`, () => checkParallelHash(hash, limits))
    if (pipeline)
      it(`pipeline: ${claim}`, () => checkParallelPipeline(pipeline, limits, world(), label))
  })
}
