// The real browser the page tests use: Debian's Chromium driven by playwright-core, a page per
// viewport, and axe-core run inside it. Page tests skip where there is no Chromium (and fail on CI,
// where there must be one).
import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { type Browser, chromium, type Page } from 'playwright-core'

export const CHROMIUM = '/usr/bin/chromium'
export const available = existsSync(CHROMIUM) || Boolean(process.env.CI)

export function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  })
}

const axeSource = readFileSync(
  createRequire(import.meta.url).resolve('axe-core/axe.min.js'),
  'utf8',
)

/** One violation axe found, with the selectors of the nodes it found it on. */
export interface Violation {
  readonly id: string
  readonly impact: string
  readonly help: string
  readonly nodes: readonly string[]
}

/** axe-core's violations on the page as it is now, serious and critical ones only. */
export async function seriousViolations(page: Page): Promise<Violation[]> {
  // Evaluated through the DevTools protocol, so the page's CSP (script by hash only) is untouched.
  await page.evaluate(axeSource)
  const found = await page.evaluate(async () => {
    const axe = (
      globalThis as unknown as {
        axe: {
          run: (
            context: Document,
            options: object,
          ) => Promise<{
            violations: {
              id: string
              impact: string | null
              help: string
              nodes: { target: unknown[] }[]
            }[]
          }>
        }
      }
    ).axe
    const result = await axe.run(document, { resultTypes: ['violations'] })
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact ?? '',
      help: v.help,
      nodes: v.nodes.slice(0, 5).map((n) => n.target.join(' ')),
    }))
  })
  return found.filter((v) => v.impact === 'serious' || v.impact === 'critical')
}

/** How far the page scrolls sideways, px (0 when it fits its viewport). */
export function sidewaysScroll(page: Page): Promise<number> {
  return page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  )
}

/** Opens every collapsed section, so what it holds is laid out and checked too. */
export function openAll(page: Page): Promise<void> {
  return page.evaluate(() => {
    for (const d of document.querySelectorAll('details')) d.open = true
  })
}

/** The top of each workload's first-screen chart, px from the top of the page. */
export function overviewTops(page: Page): Promise<Record<string, number>> {
  return page.evaluate(() =>
    Object.fromEntries(
      [...document.querySelectorAll('#overview figure[data-workload]')].map((f) => [
        f.getAttribute('data-workload') ?? '',
        f.getBoundingClientRect().top + window.scrollY,
      ]),
    ),
  )
}

/** Per curve figure, the vertices of each line it draws (lines are straight segments). */
export function curveLines(page: Page): Promise<Record<string, number[]>> {
  return page.evaluate(() =>
    Object.fromEntries(
      [...document.querySelectorAll('#curves figure.curve')].map((f) => [
        f.id,
        [...f.querySelectorAll('g.mark-line path')].map(
          (p) => (p.getAttribute('d') ?? '').split(/[ML]/).length - 1,
        ),
      ]),
    ),
  )
}

/**
 * Presses Tab until focus comes round again and returns whether every control of the page was
 * focused on the way: links, buttons, form fields, summaries and scrolling boxes (tabindex 0).
 */
export async function unreachedControls(page: Page, limit = 800): Promise<string[]> {
  await page.evaluate(() => {
    let n = 0
    for (const el of document.querySelectorAll<HTMLElement>(
      'a[href], button, select, input, summary, [tabindex="0"]',
    ))
      el.dataset.probe = String(n++)
    ;(document.activeElement as HTMLElement | null)?.blur()
  })
  const seen = new Set<string>()
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press('Tab')
    const probe = await page.evaluate(
      () => (document.activeElement as HTMLElement | null)?.dataset.probe,
    )
    if (probe === undefined) continue
    if (seen.has(probe)) break
    seen.add(probe)
  }
  return page.evaluate(
    (reached) =>
      [...document.querySelectorAll<HTMLElement>('[data-probe]')]
        .filter((el) => !reached.includes(el.dataset.probe ?? '') && el.getClientRects().length > 0)
        .map(
          (el) =>
            `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''} ${el.textContent?.slice(0, 40) ?? ''}`,
        ),
    [...seen],
  )
}
