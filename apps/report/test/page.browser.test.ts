import { execFile } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { promisify } from 'node:util'
import { type Browser, chromium, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildReport } from '../src/build.ts'
import { chartData } from '../src/chart-data.ts'
import { fixture, HOSTILE } from './fixtures/results.ts'

const CHROMIUM = '/usr/bin/chromium'
const dir = mkdtempSync(join(tmpdir(), 'arena-report-'))
const file = join(dir, 'index.html')
let browser: Browser
let page: Page
const requests: string[] = []
const problems: string[] = []

const available = existsSync(CHROMIUM) || Boolean(process.env.CI)

beforeAll(async () => {
  if (!available) return
  await buildReport(fixture(), file, fixture())
  browser = await chromium.launch({
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
  page = await browser.newPage()
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
    expect(await page.locator('body').innerText()).toContain(HOSTILE)
    expect(await page.locator('[onerror]').count()).toBe(0)
  })

  it('shows the stored lessons and ratios as the verdict', async () => {
    const verdict = await page.locator('#verdict').innerText()
    for (const w of fixture().workloads) expect(verdict).toContain(w.lesson)
    expect(verdict).toMatch(/beta \(beta\/default\): slower at 5 of 5 points; widest 0\.50×/)
  })

  it('shows each failed cell as failed, with its reason', async () => {
    const failed = page.locator('tr.failed')
    expect(await failed.count()).toBe(2)
    expect(
      await page.locator('tr[data-cell="beta/default/scanPort/r1024-c100"]').innerText(),
    ).toMatch(/failed — wrong-answer: 3 of 1024 outcomes wrong/)
    expect(
      await page.locator('tr[data-cell="beta/default/fetch/faults-status-10"]').innerText(),
    ).toMatch(/failed — limit-exceeded: the server saw 65 requests in flight, 64 allowed/)
  })

  it('shows an unverified ceiling as unverified and gives no share of it', async () => {
    const fetch = page.locator('#tables-speed section[data-workload="fetch"]')
    expect(await fetch.locator('li[data-ceiling="c64-b64k-l5"]').innerText()).toMatch(
      /9,000 pages\/s by autocannon, unverified, so no share of it is given/,
    )
    const share = (id: string) => page.locator(`tr[data-cell="${id}"] td:nth-child(6)`).innerText()
    expect(await share('alpha/default/fetch/c64-b64k-l5')).toBe('–')
    expect(await share('alpha/default/fetch/c64-b1k-l0')).toBe('50%')
  })

  it('prints no interval for a robustness cell that ran once', async () => {
    const row = await page
      .locator('tr[data-cell="alpha/default/fetch/faults-status-10"]')
      .innerText()
    expect(row).toMatch(/ok 180 · http-status 20/)
    expect(row).not.toMatch(/±|n=1/)
  })

  it('draws every chart the file describes as an SVG, one per combination of its points', async () => {
    const expected = chartData(fixture())
    const figures = page.locator('#charts figure')
    expect(await figures.count()).toBe(expected.length)
    const ids = fixture().workloads.flatMap((w) => w.charts.map((c) => c.id))
    expect(
      new Set(await figures.evaluateAll((all) => all.map((f) => f.getAttribute('data-chart')))),
    ).toEqual(new Set(ids))
    for (const data of expected) {
      const svg = page.locator(`figure[id="${data.id}"] svg`)
      expect(await svg.count()).toBe(1)
      const box = await svg.boundingBox()
      expect(box?.width ?? 0).toBeGreaterThan(100)
      expect(await page.locator(`figure[id="${data.id}"] figcaption`).innerText()).toBe(data.title)
    }
  })

  it('recomputes ratios and colours when the baseline changes, by keyboard', async () => {
    const cell = ratioOf('beta/default/fetch/c64-b1k-l0')
    expect(await cell.innerText()).toMatch(/^0\.50×/)
    expect(await cell.getAttribute('class')).toContain('tone-slower-4')
    await page.locator('#baseline').focus()
    await page.keyboard.press('ArrowDown')
    expect(await page.locator('#baseline').inputValue()).toBe('beta/default')
    expect(await cell.innerText()).toMatch(/^1\.00× .*\(n\.s\.\)$/)
    expect(await cell.getAttribute('class')).toContain('tone-same')
    expect(await ratioOf('alpha/default/fetch/c64-b1k-l0').getAttribute('class')).toContain(
      'tone-faster',
    )
  })

  it('filters contestants and sorts columns, by keyboard', async () => {
    const betaRows = page.locator('tr[data-impl="beta"]')
    const box = page.locator('input[data-filter="impl"][value="beta"]')
    await box.focus()
    await page.keyboard.press('Space')
    expect(await betaRows.first().isHidden()).toBe(true)
    await page.keyboard.press('Space')
    expect(await betaRows.first().isVisible()).toBe(true)
    const fetchTable = page.locator('section[data-workload="fetch"] table.results').first()
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

  it('includes the code side by side with line counts, and the run comparison', async () => {
    expect(await page.locator('[data-impl-code="alpha"] figcaption').first().innerText()).toMatch(
      /2 lines of code/,
    )
    expect(await page.locator('[data-impl-code="gamma"]').count()).toBe(0)
    expect(await page.locator('#comparison').innerText()).toMatch(/no significant difference/)
  })
})

describe('the report command on unusable input', () => {
  const cli = fileURLToPath(new URL('../src/cli.ts', import.meta.url))
  const run = async (...args: string[]) => {
    try {
      await promisify(execFile)(process.execPath, [cli, ...args])
      return { code: 0, stderr: '' }
    } catch (error) {
      return error as { code: number; stderr: string }
    }
  }

  it.each([
    ['{ not json', /is not valid JSON/],
    [
      JSON.stringify({ ...fixture(), schemaVersion: 1 }),
      /cannot be used: This is a results file of schema version 1 and this code reads version 2; run the benchmark again to write one/,
    ],
    [
      JSON.stringify({ ...fixture(), cells: 'none' }),
      /cannot be used: Invalid results file at cells/,
    ],
  ])('stops with one sentence for %#', async (content, message) => {
    const bad = join(dir, `bad-${Math.random()}.json`)
    writeFileSync(bad, content)
    const { code, stderr } = await run(bad, '--out', join(dir, 'never.html'))
    expect(code).toBe(1)
    expect(stderr).toMatch(message)
    expect(stderr.trim().split('\n')).toHaveLength(1)
    expect(existsSync(join(dir, 'never.html'))).toBe(false)
  })

  it('builds a comparison of two files given on the command line', async () => {
    const input = join(dir, 'now.json')
    const out = join(dir, 'compared.html')
    writeFileSync(input, JSON.stringify(fixture()))
    const { code } = await run(input, '--compare', input, '--out', out)
    expect(code).toBe(0)
    expect(readFileSync(out, 'utf8')).toMatch(/id="comparison"><h2>Compared with run fixture/)
  })

  it('says to run the benchmark when there is no results file', async () => {
    const { stderr } = await run(join(dir, 'absent.json'))
    expect(stderr).toMatch(
      /Cannot read the results file .*absent\.json \(ENOENT\); run the benchmark first/,
    )
  })
})
