// The merged page (`report a.json b.json`) as a reader meets it, in real Chromium, on the two
// fixture environments: where the answer changes on the first screen, no sideways scroll on a
// laptop or a phone with every section open, nothing serious for axe-core, every control reachable
// by keyboard. Screenshots go to /tmp/report-shots/merged-*.png.
import { mkdirSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildMergedReport } from '../src/build-merged.ts'
import {
  available,
  launch,
  openAll,
  seriousViolations,
  sidewaysScroll,
  unreachedControls,
} from './browser.ts'
import { fastNode, slowBun } from './fixtures/environments.ts'

const SHOTS = '/tmp/report-shots'
const VIEWPORTS = [
  { width: 1280, height: 800 },
  { width: 390, height: 844 },
] as const
const file = join(mkdtempSync(join(tmpdir(), 'arena-merged-')), 'merged.html')

let browser: Browser
beforeAll(async () => {
  await buildMergedReport(
    [
      { source: 'node.json', results: fastNode() },
      { source: 'bun.json', results: slowBun() },
    ],
    file,
  )
  if (available) browser = await launch()
  mkdirSync(SHOTS, { recursive: true })
})
afterAll(async () => {
  await browser?.close()
})

describe.skipIf(!available)('the merged page of two environments', () => {
  it('says where the answer changes within the first screen', async () => {
    const page = await browser.newPage({ viewport: VIEWPORTS[0] })
    await page.goto(pathToFileURL(file).href)
    const top = await page.locator('#changes li[data-workload="fetch"]').boundingBox()
    expect(top?.y).toBeLessThan(800)
    expect(await page.locator('#changes li[data-verdict="changes"]').count()).toBe(1)
    await page.close()
  })

  for (const viewport of VIEWPORTS)
    it(`fits ${viewport.width}×${viewport.height} without scrolling sideways, even with every chart split`, async () => {
      const page = await browser.newPage({ viewport })
      await page.goto(pathToFileURL(file).href)
      await page.screenshot({
        path: join(SHOTS, `merged-${viewport.width}x${viewport.height}.png`),
        fullPage: true,
      })
      expect(await sidewaysScroll(page)).toBe(0)
      await openAll(page)
      expect(await page.locator('details.split[open] figure[data-env]').count()).toBe(4)
      expect(await sidewaysScroll(page)).toBe(0)
      await page.close()
    })

  it('has no serious or critical axe-core violation, and every control is reached by keyboard', async () => {
    const page = await browser.newPage({ viewport: VIEWPORTS[0] })
    await page.goto(pathToFileURL(file).href)
    expect(await seriousViolations(page)).toEqual([])
    await openAll(page)
    expect(await seriousViolations(page)).toEqual([])
    expect(await unreachedControls(page)).toEqual([])
    await page.close()
  })
})
