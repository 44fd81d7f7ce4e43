import { execFile } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { answerFor } from '../src/answers.ts'
import { environmentsOf } from '../src/environments.ts'
import { answerChanges } from '../src/merge.ts'
import { fastNode, slowBun } from './fixtures/environments.ts'

const dir = mkdtempSync(join(tmpdir(), 'arena-report-merge-'))
const cli = fileURLToPath(new URL('../src/cli.ts', import.meta.url))
const run = async (...args: string[]) => {
  try {
    const { stdout } = await promisify(execFile)(process.execPath, [cli, ...args])
    return { code: 0, stdout, stderr: '' }
  } catch (error) {
    return error as { code: number; stdout: string; stderr: string }
  }
}

const envs = () =>
  environmentsOf([
    { source: 'node.json', results: fastNode() },
    { source: 'bun.json', results: slowBun() },
  ])

/** Every multiple quoted in `text` (`0.50×`, `2.0×`). */
const multiples = (text: string) => [...text.matchAll(/(\d+(?:\.\d+)?)×/g)].map((m) => Number(m[1]))

describe('merging two environments', () => {
  it('names each environment by its runtime when the machine is the same', () => {
    expect(envs().map((e) => [e.name, e.tag])).toEqual([
      ['node24 24.21.0', 'node24'],
      ['bun 1.4.5', 'bun'],
    ])
  })

  it('compares fetch at the one point both measured, where the answer changes', () => {
    const fetch = answerChanges(envs()).find((c) => c.workload === 'fetch')
    expect(fetch?.shared).toEqual(['c64-b1k-l0'])
    expect(fetch?.verdict).toBe('changes')
    expect(fetch?.answers.map((a) => [a.env.tag, a.answer?.pointId, a.answer?.choice])).toEqual([
      ['node24', 'c64-b1k-l0', ['alpha/default']],
      ['bun', 'c64-b1k-l0', ['beta/default']],
    ])
    expect(fetch?.text).toMatch(/changes at c64-b1k-l0, the one point all of them measured/)
    expect(fetch?.text).toMatch(/on node24 24\.21\.0 alpha; on bun 1\.4\.5 beta/)
  })

  it('says the answer holds where one variant is recommended in both', () => {
    const hash = answerChanges(envs()).find((c) => c.workload === 'hash')
    expect(hash?.verdict).toBe('holds')
    expect(hash?.text).toMatch(/holds on all 2 at p2-s1m.*alpha is among the recommended/)
  })

  it('takes every ratio within one environment, never across the two', () => {
    const changes = answerChanges(envs())
    for (const change of changes)
      for (const a of change.answers) {
        // The same words as the environment's own answer, from its own file alone.
        const alone = answerFor(a.view, change.workload, change.title, 'items')
        expect(a.answer?.sure).toBe(alone.sure)
        // Runner-up against the best: 0.5× for fetch, 0.33× for hash; across the two it would be 10× or more.
        for (const m of multiples(a.answer?.sure ?? '')) expect(m).toBeGreaterThan(0.25)
        for (const m of multiples(a.answer?.sure ?? '')) expect(m).toBeLessThan(3)
      }
    expect(
      changes.flatMap((c) => c.answers.flatMap((a) => multiples(a.answer?.sure ?? ''))),
    ).not.toEqual([])
  })
})

describe('report a.json b.json', () => {
  it('builds one page: where the answer changes first, each chart split by environment', async () => {
    const a = join(dir, 'node.json')
    const b = join(dir, 'bun.json')
    writeFileSync(a, JSON.stringify(fastNode()))
    writeFileSync(b, JSON.stringify(slowBun()))
    const out = join(dir, 'merged.html')
    const { code, stdout } = await run(a, b, '--out', out)
    expect(code).toBe(0)
    expect(stdout).toMatch(/2 environments merged/)
    const page = readFileSync(out, 'utf8')
    expect(page.indexOf('id="changes"')).toBeGreaterThan(0)
    expect(page.indexOf('id="changes"')).toBeLessThan(page.indexOf('id="overview"'))
    expect(page).toMatch(/data-workload="fetch" data-verdict="changes"/)
    expect(page).toMatch(/data-workload="hash" data-verdict="holds"/)
    for (const workload of ['fetch', 'hash'])
      for (const env of ['e1', 'e2']) expect(page).toContain(`id="overview--${workload}--${env}"`)
    // The fetch curve (concurrency 16 and 64 on node24 only) is no sweep: no curve is drawn.
    expect(page).toMatch(/no curve to draw/)
    expect(page).not.toMatch(/<script/)
  })

  it('refuses --compare with several files, and a file given twice, in one sentence', async () => {
    const a = join(dir, 'one.json')
    writeFileSync(a, JSON.stringify(fastNode()))
    const out = join(dir, 'never.html')
    for (const args of [
      [a, join(dir, 'two.json'), '--compare', a],
      [a, a],
    ]) {
      if (!existsSync(join(dir, 'two.json')))
        writeFileSync(join(dir, 'two.json'), JSON.stringify(slowBun()))
      const { code, stderr } = await run(...args, '--out', out)
      expect(code).toBe(1)
      expect(stderr.trim().split('\n')).toHaveLength(1)
      expect(stderr).toMatch(/--compare sets one run against another|is given twice/)
    }
    expect(existsSync(out)).toBe(false)
  })
})
