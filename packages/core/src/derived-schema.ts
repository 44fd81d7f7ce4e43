/**
 * The schema of a results file's derived figures: what `deriveFigures`
 * computes from the cells and ceilings (ratios, shares of a ceiling, the
 * sweeps' answers, the A/A false-positive share). Part of the results schema,
 * apart so each file stays one concept.
 */
import * as v from 'valibot'
import { workloadIds } from './implementation.ts'

const finite = v.pipe(v.number(), v.finite())
const nonNegative = v.pipe(finite, v.minValue(0))
const interval = v.tuple([finite, finite])
const workloadId = v.picklist(workloadIds)

/** Throughput relative to the baseline variant on the same point: > 1 is faster. */
export const RatioSchema = v.object({
  baseline: v.string(),
  value: nonNegative,
  ci: interval,
  /** True when the interval excludes 1. */
  significant: v.boolean(),
})

/** Where a variant's throughput stops growing with concurrency, on one line of a sweep. */
export const SaturationSchema = v.object({
  workload: workloadId,
  /** `<impl>/<variant>`. */
  variant: v.string(),
  /** The line: the point fields held equal, in words (`1 KiB, 0 ms latency`). */
  family: v.string(),
  /** The smallest swept concurrency reaching 95% of the line's best median throughput. */
  concurrency: v.pipe(v.number(), v.integer(), v.minValue(1)),
  /** 95% bootstrap interval of that concurrency (resampling each point's samples). */
  ci: interval,
  /** The line's best median throughput, items/s, and where it was. */
  bestItemsPerSecond: nonNegative,
  bestConcurrency: v.pipe(v.number(), v.integer(), v.minValue(1)),
  /** Concurrencies swept on the line. */
  swept: v.array(v.pipe(v.number(), v.integer(), v.minValue(1))),
})

/** From what work size a pool of workers beats the same variant on the event loop. */
export const BreakEvenSchema = v.object({
  workload: workloadId,
  variant: v.string(),
  workers: v.pipe(v.number(), v.integer(), v.minValue(1)),
  /** `warm`: calls on an open instance; `cold`: start-up and the first call. */
  mode: v.picklist(['warm', 'cold']),
  /** The smallest swept size (bytes per item) from which the pool is faster at every larger size too; absent if it never is. */
  bytes: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0))),
  /** The smallest such size where the pool is significantly faster (its ratio's interval above 1); absent if none. */
  confirmedBytes: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0))),
  /** Pool ÷ loop throughput at each swept size, with its interval. */
  ratios: v.array(
    v.object({ bytes: v.pipe(v.number(), v.integer()), value: nonNegative, ci: interval }),
  ),
})

/** Speed-up of `workers` threads over the reference, and that divided by the workers. */
export const ScalingSchema = v.object({
  workload: workloadId,
  variant: v.string(),
  bytes: v.pipe(v.number(), v.integer(), v.minValue(0)),
  workers: v.pipe(v.number(), v.integer(), v.minValue(1)),
  /** The reference: 1 worker when swept, else the event loop (0). */
  reference: v.pipe(v.number(), v.integer(), v.minValue(0)),
  speedup: nonNegative,
  ci: interval,
  /** speed-up ÷ workers × the reference's threads (1 for either reference). */
  efficiency: nonNegative,
})

/** Figures derived from the cells and ceilings by `deriveFigures`: never measured, always recomputable. */
export const DerivedSchema = v.object({
  /** Sweeps' answers: saturation points, the workers' break-even, scaling efficiency. */
  saturation: v.array(SaturationSchema),
  breakEven: v.array(BreakEvenSchema),
  scaling: v.array(ScalingSchema),
  /** Per cell id: its ratio against the baseline on the same point, and its share of a verified ceiling (%). */
  cells: v.record(
    v.string(),
    v.object({ ratio: v.optional(RatioSchema), percentOfCeiling: v.optional(nonNegative) }),
  ),
  /** In an A/A run: each twin speed cell against its original, and how many of them differ significantly. */
  aa: v.optional(
    v.object({
      pairs: v.pipe(v.number(), v.integer(), v.minValue(0)),
      significant: v.pipe(v.number(), v.integer(), v.minValue(0)),
      ratios: v.record(v.string(), RatioSchema),
    }),
  ),
})

export type Ratio = v.InferOutput<typeof RatioSchema>
export type Derived = v.InferOutput<typeof DerivedSchema>
export type Saturation = v.InferOutput<typeof SaturationSchema>
export type BreakEven = v.InferOutput<typeof BreakEvenSchema>
export type Scaling = v.InferOutput<typeof ScalingSchema>
