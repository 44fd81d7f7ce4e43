/**
 * Ratios as the page shows them: text, colour and wording. A ratio against
 * the run's baseline is read from the file's derived figures; against any
 * other variant a reader picks, or an earlier run, it comes from core's
 * `ratioOf`/`compareCells` — the report never computes a statistic itself.
 */
import {
  formatNumber,
  type OkCell,
  type Ratio,
  type Results,
  ratioOf,
  variantKey,
} from '@arena/core'

/** A ratio against a baseline, ready to show. */
export interface RatioView {
  readonly value: number
  readonly low: number
  readonly high: number
  readonly significant: boolean
  /** `1.32× [1.20–1.45]`, or with `(n.s.)` when not significant. */
  readonly text: string
  /** The text after a glyph for its direction, `▲` faster or `▼` slower, when significant: not colour alone. */
  readonly marked: string
  /** Colour class: `faster-1`…`faster-5` (blue), `slower-1`…`slower-5` (orange), `same` when not significant. */
  readonly tone: string
}

const two = (x: number) => formatNumber(x, 2)

/**
 * The colour class of a ratio, as js-framework-benchmark colours a factor but
 * against the chosen baseline: blue when faster, orange when slower (a pair
 * that holds for colour-blind readers, and a glyph besides), five steps
 * deep (each step is a fifth of the way to 3× on a log scale), and no colour
 * at all when the interval includes 1.
 */
export function ratioTone(value: number, significant: boolean): string {
  if (!significant || !Number.isFinite(value) || value <= 0) return 'same'
  const step = Math.max(1, Math.min(5, Math.ceil((Math.abs(Math.log2(value)) / Math.log2(3)) * 5)))
  return `${value > 1 ? 'faster' : 'slower'}-${step}`
}

/** How a ratio reads: `1.32× [1.20–1.45]`, `0.80× [0.75–0.86]`, or `1.01× [0.97–1.05] (n.s.)`. */
export function ratioText(value: number, low: number, high: number, significant: boolean): string {
  return `${two(value)}× [${two(low)}–${two(high)}]${significant ? '' : ' (n.s.)'}`
}

/** A sentence for a change: faster, slower, or no significant difference. */
export function significanceWording(
  value: number,
  low: number,
  high: number,
  significant: boolean,
): string {
  if (!significant) return `no significant difference (${ratioText(value, low, high, false)})`
  return value > 1
    ? `${two(value)}× faster (95% CI ${two(low)}–${two(high)})`
    : `${two(1 / value)}× slower (95% CI ${two(1 / high)}–${two(1 / low)})`
}

/** A stored or core-computed ratio, ready to show. */
export function ratioView(ratio: Ratio): RatioView {
  const [low, high] = ratio.ci
  const text = ratioText(ratio.value, low, high, ratio.significant)
  const tone = ratioTone(ratio.value, ratio.significant)
  const glyph = tone.startsWith('faster') ? '▲ ' : tone.startsWith('slower') ? '▼ ' : ''
  return {
    value: ratio.value,
    low,
    high,
    significant: ratio.significant,
    text,
    marked: `${glyph}${text}`,
    tone,
  }
}

/**
 * `cell` against `base` (both verified, on the same point): the stored figure
 * when `base` is the run's baseline, core's `ratioOf` for any other.
 */
export function ratioBetween(results: Results, cell: OkCell, base: OkCell): Ratio {
  const stored = results.derived.cells[cell.id]?.ratio
  if (stored && stored.baseline === variantKey(base)) return stored
  return ratioOf(cell, base, results.seed)
}

/**
 * `cell` against `base` where their points differ (the same variant at two
 * concurrencies, say): core's `ratioOf` over each run's time per item, so
 * inputs of different sizes compare by throughput.
 */
export function rateRatioBetween(results: Results, cell: OkCell, base: OkCell): Ratio {
  if (cell.point.id === base.point.id) return ratioBetween(results, cell, base)
  const perItem = (c: OkCell): OkCell => ({
    ...c,
    samples: c.samples.map((s) => ({ ...s, wallMs: 1000 / Math.max(s.itemsPerSecond, 1e-9) })),
  })
  return ratioOf(perItem(cell), perItem(base), results.seed)
}
