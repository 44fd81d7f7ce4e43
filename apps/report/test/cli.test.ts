import { execFile } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { fixture } from './fixtures/results.ts'

const dir = mkdtempSync(join(tmpdir(), 'arena-report-cli-'))
const cli = fileURLToPath(new URL('../src/cli.ts', import.meta.url))

const run = async (...args: string[]) => {
  try {
    const { stdout } = await promisify(execFile)(process.execPath, [cli, ...args])
    return { code: 0, stdout, stderr: '' }
  } catch (error) {
    return error as { code: number; stdout: string; stderr: string }
  }
}

/** One line on stderr, no stack trace. */
const oneSentence = (stderr: string) => {
  expect(stderr.trim().split('\n')).toHaveLength(1)
  expect(stderr).not.toMatch(/\n\s+at |Error:/)
}

describe('the report command on unusable input', () => {
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
    oneSentence(stderr)
    expect(existsSync(join(dir, 'never.html'))).toBe(false)
  })

  it('builds a comparison of two files given on the command line', async () => {
    const input = join(dir, 'now.json')
    const out = join(dir, 'compared.html')
    writeFileSync(input, JSON.stringify(fixture()))
    const { code } = await run(input, '--compare', input, '--out', out)
    expect(code).toBe(0)
    expect(readFileSync(out, 'utf8')).toMatch(
      /id="comparison"[^>]*><summary>Compared with run fixture/,
    )
  })

  it('says to run the benchmark when there is no results file', async () => {
    const { code, stderr } = await run(join(dir, 'absent.json'))
    expect(code).toBe(1)
    expect(stderr).toMatch(
      /Cannot read the results file .*absent\.json \(ENOENT\); run the benchmark first/,
    )
    oneSentence(stderr)
  })

  it('names a missing file to compare with, and builds nothing', async () => {
    const input = join(dir, 'here.json')
    const out = join(dir, 'not-built.html')
    writeFileSync(input, JSON.stringify(fixture()))
    const { code, stderr } = await run(input, '--compare', 'missing.json', '--out', out)
    expect(code).toBe(1)
    expect(stderr).toMatch(
      /^report: There is no results file to compare with at \/.*\/missing\.json\n$/,
    )
    expect(stderr).not.toMatch(/run the benchmark/)
    oneSentence(stderr)
    expect(existsSync(out)).toBe(false)
    const folder = join(dir, 'a-folder')
    mkdirSync(folder)
    const other = await run(input, '--compare', folder, '--out', out)
    expect(other.code).toBe(1)
    expect(other.stderr).toMatch(/The file to compare with, .*a-folder, is not a file/)
    oneSentence(other.stderr)
  })
})
