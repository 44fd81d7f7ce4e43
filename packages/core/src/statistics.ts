/**
 * Statistics of a cell, shared by the harness (which computes them) and the
 * report (which recomputes ratios for the baseline a reader picks and compares
 * two runs): the median and its 95% bootstrap confidence interval,
 * the ratio against a baseline with its own bootstrap interval, and outliers
 * by Tukey's fences, counted and never dropped. Quantiles and resampling come
 * from simple-statistics; the bootstrap's random source is seeded, so the same
 * samples always give the same interval.
 */

import { interquartileRange, median, quantile, sampleWithReplacement } from 'simple-statistics'
import { createRandom } from './random.ts'

/** Bootstrap resamples per interval. */
export const RESAMPLES = 2000

/** A point estimate and its 95% interval. */
export interface Estimate {
  readonly value: number
  readonly low: number
  readonly high: number
}

/** 95% bootstrap (percentile) interval of the median of `samples`. */
export function medianInterval(samples: readonly number[], seed = 1): Estimate {
  if (samples.length === 0) throw new TypeError('Expected at least one sample, got none')
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
