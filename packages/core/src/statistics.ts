/**
 * Statistics of a cell, shared by the harness (which computes them) and the
 * report (which recomputes ratios for the baseline a reader picks and compares
 * two runs): the median and its 95% confidence interval, the ratio against a
 * baseline with its own interval, and outliers by Tukey's fences, counted and
 * never dropped. From `SMALL_SAMPLE` samples up the intervals are bootstrap
 * percentiles (simple-statistics, seeded, so the same samples always give the
 * same interval). Below it a percentile bootstrap is far too narrow — two
 * samples give an interval no wider than the two values — and an A/A run
 * called 13% of its twins different with it; there the intervals are
 * Student's t on the logarithms (Welch's for a ratio), which is as wide as two
 * or three samples really allow.
 */

import {
  interquartileRange,
  mean,
  median,
  quantile,
  sampleVariance,
  sampleWithReplacement,
} from 'simple-statistics'
import { createRandom } from './random.ts'

/** Bootstrap resamples per interval. */
export const RESAMPLES = 2000

/** A point estimate and its 95% interval. */
export interface Estimate {
  readonly value: number
  readonly low: number
  readonly high: number
}

/** Below this many samples (on either side of a ratio) intervals come from Student's t, not the bootstrap. */
export const SMALL_SAMPLE = 5

/** Student's t 0.975 quantile for 1–30 degrees of freedom; the normal's beyond. */
const T975 = [
  12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145,
  2.131, 2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048,
  2.045, 2.042,
]

/** The t quantile for `df` degrees of freedom, rounded down (so never narrower than due). */
export function t975(df: number): number {
  if (!(df >= 1)) return T975[0] as number
  return T975[Math.floor(df) - 1] ?? 1.96
}

const positive = (samples: readonly number[]) => samples.every((x) => x > 0 && Number.isFinite(x))

/** 95% t interval of a small positive sample, on its logarithms (n ≥ 2). */
function logTInterval(samples: readonly number[]): Estimate {
  const logs = samples.map(Math.log)
  const spread = t975(logs.length - 1) * Math.sqrt(sampleVariance(logs) / logs.length)
  const centre = mean(logs)
  return {
    value: median([...samples]),
    low: Math.min(median([...samples]), Math.exp(centre - spread)),
    high: Math.max(median([...samples]), Math.exp(centre + spread)),
  }
}

/**
 * 95% interval of the median of `samples`: the bootstrap's percentiles from
 * `SMALL_SAMPLE` samples up, Student's t on the logarithms below (one sample
 * has no interval: it is the value itself).
 */
export function medianInterval(samples: readonly number[], seed = 1): Estimate {
  if (samples.length === 0) throw new TypeError('Expected at least one sample, got none')
  if (samples.length >= 2 && samples.length < SMALL_SAMPLE && positive(samples))
    return logTInterval(samples)
  const random = createRandom(seed)
  const medians = Array.from({ length: RESAMPLES }, () =>
    median(sampleWithReplacement([...samples], samples.length, random)),
  )
  return {
    value: median([...samples]),
    low: quantile(medians, 0.025),
    high: quantile(medians, 0.975),
  }
}

/** Half-width of an interval relative to its point estimate, in %. */
export function halfWidthPercent(estimate: Estimate): number {
  return estimate.value === 0 ? 0 : ((estimate.high - estimate.low) / 2 / estimate.value) * 100
}

/**
 * Ratio of the medians `baseline / subject` for a lower-is-better measure
 * like wall time (so > 1 means `subject` is faster), with a 95% interval from
 * resampling both independently.
 */
export function speedRatio(
  subject: readonly number[],
  baseline: readonly number[],
  seed = 1,
): Estimate & { significant: boolean } {
  if (subject.length === 0 || baseline.length === 0)
    throw new TypeError('Expected samples on both sides of a ratio')
  const small = Math.min(subject.length, baseline.length) < SMALL_SAMPLE
  if (small && subject.length + baseline.length >= 3 && positive([...subject, ...baseline]))
    return welchRatio(subject, baseline)
  const random = createRandom(seed)
  const ratios = Array.from(
    { length: RESAMPLES },
    () =>
      median(sampleWithReplacement([...baseline], baseline.length, random)) /
      median(sampleWithReplacement([...subject], subject.length, random)),
  )
  const low = quantile(ratios, 0.025)
  const high = quantile(ratios, 0.975)
  return {
    value: median([...baseline]) / median([...subject]),
    low,
    high,
    significant: low > 1 || high < 1,
  }
}

/**
 * The ratio of medians with Welch's 95% interval on the logarithms: the
 * difference of the log means, its standard error from both sides' variances
 * and the Welch–Satterthwaite degrees of freedom (a side of one sample adds
 * no variance of its own).
 */
function welchRatio(
  subject: readonly number[],
  baseline: readonly number[],
): Estimate & { significant: boolean } {
  const s = subject.map(Math.log)
  const b = baseline.map(Math.log)
  const vs = s.length > 1 ? sampleVariance(s) / s.length : 0
  const vb = b.length > 1 ? sampleVariance(b) / b.length : 0
  const se = Math.sqrt(vs + vb)
  const df =
    se === 0
      ? 1
      : (vs + vb) ** 2 /
        ((s.length > 1 ? vs ** 2 / (s.length - 1) : 0) +
          (b.length > 1 ? vb ** 2 / (b.length - 1) : 0))
  const centre = mean(b) - mean(s)
  const spread = t975(df) * se
  const value = median([...baseline]) / median([...subject])
  const low = Math.min(value, Math.exp(centre - spread))
  const high = Math.max(value, Math.exp(centre + spread))
  return { value, low, high, significant: low > 1 || high < 1 }
}

/** Samples outside Tukey's fences (below Q1 − 1.5·IQR or above Q3 + 1.5·IQR). */
export function countOutliers(samples: readonly number[]): number {
  if (samples.length < 4) return 0
  const iqr = interquartileRange([...samples])
  const q1 = quantile([...samples], 0.25)
  const q3 = quantile([...samples], 0.75)
  return samples.filter((x) => x < q1 - 1.5 * iqr || x > q3 + 1.5 * iqr).length
}

/** The median of `samples`, or undefined for none. */
export function medianOf(samples: readonly (number | undefined)[]): number | undefined {
  const present = samples.filter((x): x is number => x !== undefined)
  return present.length === 0 ? undefined : median(present)
}
