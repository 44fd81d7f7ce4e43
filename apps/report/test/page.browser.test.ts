// What the page does in real Chromium, on the fixture compared with itself: offline with its CSP,
// hostile text kept as text, the answers and curves from the file's figures, tables that open,
// filter and sort by keyboard, robustness as outcomes, the code lined up by role.
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { answers } from '../src/answers.ts'
import { buildReport } from '../src/build.ts'
import { charts } from '../src/charts.ts'
import { available, launch } from './browser.ts'
import { fixture, HOSTILE } from './fixtures/results.ts'

const dir = mkdtempSync(join(tmpdir(), 'arena-report-'))
const file = join(dir, 'index.html')
let browser: Browser
let page: Page
const requests: string[] = []
const problems: string[] = []

beforeAll(async () => {
  if (!available) return
  await buildReport(fixture(), file, fixture())
  browser = await launch()
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } })
  page.on('request', (request) => requests.push(request.url()))
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') problems.push(message.text())
  })
  page.on('pageerror', (error) => problems.push(error.message))
  await page.goto(pathToFileURL(file).href)
})
afterAll(async () => {
  await browser?.close()
})

const ratioOf = (id: string) => page.locator(`td[data-ratio="${id}"]`)
const open = (selector: string) =>
  page.locator(selector).evaluateAll((all) => {
    for (const d of all) if (d instanceof HTMLDetailsElement) d.open = true
  })

describe.skipIf(!available)('the report in a real browser', () => {
  it('loads from disk with no request beyond itself and no CSP violation or script error', async () => {
    expect(requests).toEqual([pathToFileURL(file).href])
    expect(problems).toEqual([])
    expect(
      await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content'),
    ).toMatch(/^default-src 'none'; style-src 'sha256-/)
  })

  it('renders a hostile contestant title as text, never as markup', async () => {
    expect(await page.locator('img').count()).toBe(0)
    expect(await page.locator('body').textContent()).toContain(HOSTILE)
    expect(await page.locator('[onerror]').count()).toBe(0)
  })

  it('opens on the answer for each kind of work, as the view model words it', async () => {
    const items = page.locator('#answer li')
    const expected = answers(fixture())
    expect(await items.count()).toBe(expected.length)
    for (const [i, a] of expected.entries()) {
      const text = await items.nth(i).innerText()
      for (const part of [a.title, a.use, a.why, a.sure]) expect(text).toContain(part)
    }
    expect(await items.first().getAttribute('data-factor')).toBe('concurrency')
  })

  it('draws every curve the file describes as an SVG with its marks in words', async () => {
    const views = (await charts(fixture())).filter((v) => v.sweep)
    const figures = page.locator('#curves figure.curve')
    expect(await figures.count()).toBe(views.length)
    for (const view of views) {
      const figure = page.locator(`figure[id="${view.id}"]`)
      expect(await figure.locator('svg').count()).toBe(1)
      expect((await figure.locator('svg').boundingBox())?.width ?? 0).toBeGreaterThan(100)
      expect(await figure.locator('figcaption').innerText()).toBe(view.title)
      expect(await figure.locator('ul.marks li').allInnerTexts()).toEqual(view.notes)
    }
    // The 1–1024 scan ran at two concurrencies: named, not drawn as a curve.
    expect(await page.locator('#curves').innerText()).toMatch(
      /not drawn as a curve: scanPort: time vs concurrency \(ports 1–1024\)/,
    )
  })

  it('keeps the tables collapsed until opened, then shows failed cells with their reason', async () => {
    const row = page.locator('tr[data-cell="beta/default/scanPort/r1024-c100"]')
    expect(await row.isVisible()).toBe(false)
    await page.locator('details.table[data-workload="scanPort"] > summary').focus()
    await page.keyboard.press('Enter')
    expect(await row.isVisible()).toBe(true)
    expect(await row.innerText()).toMatch(/failed — wrong-answer: 3 of 1024 outcomes wrong/)
    await open('details')
    expect(await page.locator('tr.failed').count()).toBe(2)
    expect(
      await page.locator('tr[data-cell="beta/default/fetch/faults-status-10"]').innerText(),
    ).toMatch(/failed — limit-exceeded: the server saw 65 requests in flight, 64 allowed/)
  })

  it('shows an unverified ceiling as unverified and gives no share of it', async () => {
    const fetch = page.locator('#tables-speed details[data-workload="fetch"]')
    expect(await fetch.locator('li[data-ceiling="c64-b64k-l5"]').innerText()).toMatch(
      /9,000 pages\/s by default, unverified, so no share of it is given/,
    )
    const share = (id: string) => page.locator(`tr[data-cell="${id}"] td:nth-child(6)`).innerText()
    expect(await share('alpha/default/fetch/c64-b64k-l5')).toBe('–')
    expect(await share('alpha/default/fetch/c64-b1k-l0')).toBe('50%')
  })

  it('shows robustness as outcomes per fault, never as a speed, and a one-run cell with no interval', async () => {
    const figure = page.locator('#robustness figure')
    expect(await figure.count()).toBe(1)
    const svg = await figure.locator('svg').innerHTML()
    for (const text of ['180', '20', 'http-status', 'cell failed — limit-exceeded'])
      expect(svg).toContain(text)
    expect(svg).not.toMatch(/\/s\b/)
    const row = await page
      .locator('tr[data-cell="alpha/default/fetch/faults-status-10"]')
      .innerText()
    expect(row).toMatch(/ok 180 · http-status 20/)
    expect(row).not.toMatch(/±|n=1/)
  })

  it('recomputes ratios and their marks when the baseline changes, by keyboard', async () => {
    const cell = ratioOf('beta/default/fetch/c64-b1k-l0')
    expect(await cell.innerText()).toMatch(/^▼ 0\.50×/)
    expect(await cell.getAttribute('class')).toContain('tone-slower-4')
    await page.locator('#baseline').focus()
    await page.keyboard.press('ArrowDown')
    await page.keyboard.press('ArrowDown')
    expect(await page.locator('#baseline').inputValue()).toBe('beta/default')
    expect(await cell.innerText()).toMatch(/^1\.00× .*\(n\.s\.\)$/)
    expect(await cell.getAttribute('class')).toContain('tone-same')
    const alpha = ratioOf('alpha/default/fetch/c64-b1k-l0')
    expect(await alpha.getAttribute('class')).toContain('tone-faster')
    // Not by colour alone: the direction is a glyph too.
    expect(await alpha.innerText()).toMatch(/^▲ 2\.00×/)
  })

  it('filters contestants and sorts columns, by keyboard', async () => {
    const betaRows = page.locator('tr[data-impl="beta"]')
    const box = page.locator('input[data-filter="impl"][value="beta"]')
    await box.focus()
    await page.keyboard.press('Space')
    expect(await betaRows.first().isHidden()).toBe(true)
    await page.keyboard.press('Space')
    expect(await betaRows.first().isVisible()).toBe(true)
    const fetchTable = page.locator('details[data-workload="fetch"] table.results').first()
    const column = () => fetchTable.locator('tbody tr td:nth-child(3)').allInnerTexts()
    const numbers = async () => (await column()).map((t) => Number(t.replaceAll(',', '')))
    await fetchTable.locator('th button[data-column="2"]').focus()
    await page.keyboard.press('Enter')
    const ascending = await numbers()
    expect(ascending).toEqual([...ascending].sort((a, b) => a - b))
    await page.keyboard.press('Enter')
    expect(await numbers()).toEqual([...ascending].reverse())
    expect(await fetchTable.locator('tbody tr td:first-child').first().innerText()).toMatch(
      /beta tuned/,
    )
  })

  it('lines the chosen workload’s code up by role, counts lines without imports, and switches by keyboard', async () => {
    const fetch = page.locator('[data-code-workload="fetch"]')
    expect(await fetch.isVisible()).toBe(true)
    expect(await page.locator('[data-code-workload="hash"]').isVisible()).toBe(false)
    expect(await fetch.locator('[data-impl-code="alpha"] figcaption').innerText()).toMatch(
      /6 lines of code/,
    )
    expect(await page.locator('[data-impl-code="gamma"]').count()).toBe(0)
    const deadline = await fetch.locator('table.roles tr.role-deadline td').allInnerTexts()
    expect(deadline[0]).toMatch(/9 const limit = deadline\(timeoutMs, signal\)/)
    expect(deadline[1]).toMatch(/3 from\(urls\)\.pipe\(mergeMap/)
    expect(await fetch.locator('table.roles tr.role-workers td').allInnerTexts()).toEqual([
      '—',
      '—',
    ])
    // Wrapped, never scrolled sideways, even for the longest line.
    const pre = fetch.locator('[data-impl-code="beta"] pre')
    expect(await pre.evaluate((el) => el.scrollWidth - el.clientWidth)).toBe(0)
    await page.locator('#code-workload').focus()
    await page.keyboard.press('ArrowDown')
    expect(await page.locator('[data-code-workload="hash"]').isVisible()).toBe(true)
    expect(await fetch.isVisible()).toBe(false)
  })

  it('includes the run comparison', async () => {
    expect(await page.locator('#comparison').innerText()).toMatch(/no significant difference/)
  })
})
