/**
 * How a variant looks in every chart of the page, the same everywhere: its
 * contestant's colour (the Okabe–Ito set, darkened where it was too pale on
 * white, so it holds for colour-blind readers) and a shape per variant of
 * that contestant; a tuned variant is drawn thinner, dashed and hollow, so
 * idiomatic and tuned never differ by colour alone. Ceilings are grey and
 * dotted.
 */
import type { Results } from '@arena/core'
import { variantLabel } from './cells.ts'

const COLOURS = ['#0072B2', '#D55E00', '#009E73', '#AA3377', '#8A6D00', '#3A8FC7', '#6B4C9A']
const SHAPES = ['circle', 'square', 'triangle-up', 'diamond', 'triangle-down', 'cross']
/** The colour of a ceiling's line or rule. */
export const CEILING_COLOUR = '#555555'

/** How each kind of series is stroked: dash pattern and width, px. */
export const STROKES = {
  idiomatic: { dash: [1, 0], width: 2.4 },
  tuned: { dash: [6, 3], width: 1.4 },
  ceiling: { dash: [2, 3], width: 1.6 },
} as const

/** The look of one series. */
export interface Look {
  readonly colour: string
  readonly shape: string
  readonly kind: 'idiomatic' | 'tuned'
}

/** The look of every variant of the file, by `impl/variant`. */
export function looks(results: Results): ReadonlyMap<string, Look> {
  const implementations = [
    ...new Set([
      ...results.contestants.map((c) => c.id),
      ...results.cells.map((c) => c.implementation),
    ]),
  ]
  const out = new Map<string, Look>()
  implementations.forEach((implementation, i) => {
    const declared = results.contestants.find((c) => c.id === implementation)?.variants ?? []
    const ran = results.cells
      .filter((c) => c.implementation === implementation)
      .map((c) => c.variant)
    const variants = [...new Set([...declared.map((v) => v.id), ...ran])]
    variants.forEach((variant, j) => {
      out.set(`${implementation}/${variant}`, {
        colour: COLOURS[i % COLOURS.length] as string,
        shape: SHAPES[j % SHAPES.length] as string,
        kind: variantLabel(results, { implementation, variant }).kind,
      })
    })
  })
  return out
}
