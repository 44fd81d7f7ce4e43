import { describe, expect, it } from 'vitest'
import {
  countOutliers,
  halfWidthPercent,
  medianInterval,
  speedRatio,
  t975,
} from '../src/statistics.ts'

describe('statistics', () => {
  it('gives a constant sample a zero-width interval', () => {
    const estimate = medianInterval([7, 7, 7, 7, 7])
    expect(estimate).toEqual({ value: 7, low: 7, high: 7 })
    expect(halfWidthPercent(estimate)).toBe(0)
  })

  it('brackets the median of 1..9 within the sample order statistics', () => {
    const estimate = medianInterval([1, 2, 3, 4, 5, 6, 7, 8, 9])
    expect(estimate.value).toBe(5)
    expect(estimate.low).toBeGreaterThanOrEqual(2)
    expect(estimate.low).toBeLessThanOrEqual(4)
    expect(estimate.high).toBeGreaterThanOrEqual(6)
    expect(estimate.high).toBeLessThanOrEqual(8)
    expect(halfWidthPercent({ value: 10, low: 9, high: 11 })).toBeCloseTo(10)
  })

  it('is reproducible for a seed', () => {
    const samples = [10.2, 9.8, 10.5, 11.1, 9.9, 10.0, 10.7]
    expect(medianInterval(samples, 3)).toEqual(medianInterval(samples, 3))
  })

  it('calls a ratio significant only when its interval excludes 1', () => {
    const twiceAsFast = speedRatio([50, 51, 49, 50, 50], [100, 101, 99, 100, 100])
    expect(twiceAsFast.value).toBeCloseTo(2, 5)
    expect(twiceAsFast.significant).toBe(true)
    const same = speedRatio([100, 102, 98, 101, 99], [101, 99, 100, 98, 102])
    expect(same.value).toBeCloseTo(1, 5)
    expect(same.low).toBeLessThanOrEqual(1)
    expect(same.high).toBeGreaterThanOrEqual(1)
    expect(same.significant).toBe(false)
  })

  it('counts Tukey outliers without dropping them', () => {
    expect(countOutliers([10, 11, 10, 12, 11, 10, 95])).toBe(1)
    expect(countOutliers([10, 11, 12, 13])).toBe(0)
    expect(countOutliers([1, 100])).toBe(0)
  })

  it('refuses to estimate from nothing', () => {
    expect(() => medianInterval([])).toThrow(/at least one sample/)
  })
})

describe('small samples', () => {
  it('gives two samples an interval as wide as Student allows, not just their range', () => {
    const estimate = medianInterval([100, 110])
    expect(estimate.low).toBeLessThan(90)
    expect(estimate.high).toBeGreaterThan(120)
    expect(estimate.value).toBe(105)
  })

  it('calls no A/A pair of two noisy runs different, and a 2× gap with tight runs different', () => {
    // Two twins of the same code, 8% apart: bootstrap percentiles would call this significant.
    expect(speedRatio([100, 104], [108, 112]).significant).toBe(false)
    expect(speedRatio([50, 51], [100, 101]).significant).toBe(true)
  })

  it('uses the bootstrap again from SMALL_SAMPLE samples on both sides', () => {
    const a = [100, 101, 99, 100, 102]
    const b = [200, 202, 198, 201, 199]
    expect(speedRatio(a, b).significant).toBe(true)
    // A percentile bootstrap never leaves the samples' range; Student's t of these would.
    const { low, high } = medianInterval(a)
    expect(low).toBeGreaterThanOrEqual(99)
    expect(high).toBeLessThanOrEqual(102)
  })

  it('t975 is 12.706 for 1 degree of freedom and never narrower for a fraction', () => {
    expect(t975(1)).toBe(12.706)
    expect(t975(2.9)).toBe(4.303)
    expect(t975(1000)).toBe(1.96)
  })
})
