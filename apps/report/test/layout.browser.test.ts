// The page as a reader meets it, in real Chromium, on the fixture and on a real run's results: no
// sideways scroll on a laptop or a phone, a chart of every workload on the first screen, every
// section there, every curve a curve, nothing serious for axe-core, every control reachable by
// keyboard. Screenshots of the first screen go to /tmp/report-shots/. The real run is
// $ARENA_REPORT_RESULTS, else the repository's results/latest.json; without a usable one that
// part is skipped, saying why (make one: the harness's `bench --profile quick --out <dir>`).
import { mkdirSync, mkdtempSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import type { Results } from '@arena/core'
import { readResultsFile } from '@arena/core/results'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildReport } from '../src/build.ts'
import { okCells } from '../src/cells.ts'
import {
  available,
  curveLines,
  launch,
  openAll,
  overviewTops,
  seriousViolations,
  sidewaysScroll,
  unreachedControls,
} from './browser.ts'
import { fixture } from './fixtures/results.ts'

const SHOTS = '/tmp/report-shots'
const VIEWPORTS = [
  { width: 1280, height: 800 },
  { width: 390, height: 844 },
] as const
const dir = mkdtempSync(join(tmpdir(), 'arena-layout-'))

function realRun(): { results?: Results; reason: string } {
  const path =
    process.env.ARENA_REPORT_RESULTS ??
    fileURLToPath(new URL('../../../results/latest.json', import.meta.url))
  try {
    return { results: readResultsFile(path), reason: path }
  } catch (error) {
    return { reason: (error as Error).message }
  }
}

const real = realRun()
const subjects: { name: string; results?: Results; skip?: string }[] = [
  { name: 'fixture', results: fixture() },
  real.results
    ? { name: 'real run', results: real.results }
    : { name: 'real run', skip: `no usable real run: ${real.reason}` },
]

let browser: Browser
beforeAll(async () => {
  if (available) browser = await launch()
  mkdirSync(SHOTS, { recursive: true })
})
afterAll(async () => {
  await browser?.close()
})

for (const subject of subjects) {
  const title = subject.skip
    ? `the page of a ${subject.name} (skipped — ${subject.skip})`
    : `the page of a ${subject.name}`
  describe.skipIf(!available || !subject.results)(title, () => {
    const results = subject.results as Results
    const file = join(dir, `${subject.name.replace(' ', '-')}.html`)
    beforeAll(async () => {
      await buildReport(results, file)
    })

    it('is one offline file under 1 MB', () => {
      expect(statSync(file).size).toBeLessThan(1_000_000)
    })

    for (const viewport of VIEWPORTS) {
      it(`fits ${viewport.width}×${viewport.height} without scrolling sideways, even with every section open`, async () => {
        const page = await browser.newPage({ viewport })
        await page.goto(pathToFileURL(file).href)
        await page.screenshot({
          path: join(
            SHOTS,
            `${subject.name.replace(' ', '-')}-${viewport.width}x${viewport.height}.png`,
          ),
        })
        expect(await sidewaysScroll(page)).toBe(0)
        await openAll(page)
        expect(await sidewaysScroll(page)).toBe(0)
        await page.close()
      })
    }

    it('shows a chart of every workload with a verified result within the first 800 px at 1280×800', async () => {
      const page = await browser.newPage({ viewport: VIEWPORTS[0] })
      await page.goto(pathToFileURL(file).href)
      const measured = results.workloads.filter((w) =>
        okCells(results, 'speed').some((c) => c.workload === w.id),
      )
      expect(measured.length).toBeGreaterThan(0)
      const tops = await overviewTops(page)
      expect(Object.keys(tops).sort()).toEqual(results.workloads.map((w) => w.id).sort())
      for (const w of measured) {
        expect(await page.locator(`#overview figure[data-workload="${w.id}"] svg`).count()).toBe(1)
        expect(tops[w.id]).toBeLessThan(800)
      }
      await page.close()
    })

    it('has every section, the answer first, tables collapsed', async () => {
      const page = await browser.newPage({ viewport: VIEWPORTS[0] })
      await page.goto(pathToFileURL(file).href)
      const order = await page.evaluate(() =>
        [...document.querySelectorAll('main > section[id], main > details[id]')].map((s) => s.id),
      )
      for (const id of ['answer', 'overview', 'curves', 'details', 'code', 'environment'])
        expect(order).toContain(id)
      expect(order.slice(0, 2)).toEqual(['answer', 'overview'])
      expect(order.indexOf('curves')).toBeLessThan(order.indexOf('details'))
      expect(await page.locator('#answer li').count()).toBe(results.workloads.length)
      if (results.cells.some((c) => c.section === 'robustness'))
        expect(order).toContain('robustness')
      const tables = page.locator('details.table')
      expect(await tables.count()).toBeGreaterThan(0)
      expect(await page.locator('details.table[open]').count()).toBe(0)
      await page.close()
    })

    it('draws every curve as lines of three measured values or more', async () => {
      const page = await browser.newPage({ viewport: VIEWPORTS[0] })
      await page.goto(pathToFileURL(file).href)
      const lines = await curveLines(page)
      for (const [id, vertices] of Object.entries(lines)) {
        expect(vertices.length, id).toBeGreaterThan(0)
        for (const n of vertices) expect(n, id).toBeGreaterThanOrEqual(3)
      }
      if (subject.name === 'fixture')
        expect(new Set(Object.keys(lines).map((id) => id.split('-')[0]))).toEqual(
          new Set(['fetch', 'hash', 'scan', 'pipeline', 'break']),
        )
      await page.close()
    })

    it('has no serious or critical axe-core violation, collapsed or open', async () => {
      const page = await browser.newPage({ viewport: VIEWPORTS[0] })
      await page.goto(pathToFileURL(file).href)
      expect(await seriousViolations(page)).toEqual([])
      await openAll(page)
      expect(await seriousViolations(page)).toEqual([])
      await page.close()
    })

    it('reaches every control by keyboard', async () => {
      const page = await browser.newPage({ viewport: VIEWPORTS[0] })
      await page.goto(pathToFileURL(file).href)
      await openAll(page)
      expect(await unreachedControls(page)).toEqual([])
      await page.close()
    })
  })
}
