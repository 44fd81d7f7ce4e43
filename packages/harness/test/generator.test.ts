import { execFile, execFileSync } from 'node:child_process'
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { afterAll, describe, expect, it } from 'vitest'
import { discoverContestants, findWorkspaceRoot } from '../src/discover.ts'

const root = findWorkspaceRoot(fileURLToPath(import.meta.url))
const copy = mkdtempSync(join(tmpdir(), 'arena-generator-'))
// The copy is a workspace of its own: nothing of the turbo task or pnpm script this
// test runs under (TURBO_*, npm_*) may leak into the commands run there.
const cleanEnv = Object.fromEntries(
  Object.entries(process.env).filter(([key]) => !/^(TURBO_|npm_|VITEST|TEST)/i.test(key)),
)
const exec = promisify(execFile)
// The pnpm running this test (pnpm sets npm_execpath for its scripts): a nested
// `npx` inside a turbo task can wait forever on npm's own lock.
const execPath = process.env.npm_execpath ?? ''
const pnpmCli = !execPath.includes('pnpm')
  ? ['npx', '-y', 'pnpm@12.4.2']
  : /\.[cm]?js$/.test(execPath)
    ? [process.execPath, execPath]
    : [execPath]
const pnpm = (
  args: string[],
  options: { cwd: string; maxBuffer?: number; env?: NodeJS.ProcessEnv },
) =>
  exec(pnpmCli[0] as string, [...pnpmCli.slice(1), ...args], {
    ...options,
    env: { ...cleanEnv, ...options.env },
  })
afterAll(() => rmSync(copy, { recursive: true, force: true }))

/** Runs vitest in the new package; resolves with its exit code and output. */
async function conformance(dir: string): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await pnpm(['exec', 'vitest', 'run'], {
      cwd: dir,
      maxBuffer: 64 << 20,
      env: { NO_COLOR: '1' },
    })
    return { code: 0, output: stdout + stderr }
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string }
    return { code: e.code, output: e.stdout + e.stderr }
  }
}

describe('pnpm turbo gen contestant', () => {
  it('scaffolds a package the kit rejects with "write this function", then accepts once filled, and discovery finds', async () => {
    // A copy of the workspace as git sees it (tracked and new files, nothing ignored).
    const files = execFileSync(
      'git',
      ['ls-files', '--cached', '--others', '--exclude-standard', '-z'],
      { cwd: root, encoding: 'utf8' },
    )
    for (const file of files.split('\0').filter(Boolean)) {
      mkdirSync(dirname(join(copy, file)), { recursive: true })
      try {
        cpSync(join(root, file), join(copy, file))
      } catch {
        // A file deleted in the work tree but not yet in the index.
      }
    }
    await pnpm(['install', '--offline', '--no-frozen-lockfile'], { cwd: copy })
    await pnpm(['turbo', 'gen', 'contestant', '--args', 'demo', 'Demo: one lane, no workers'], {
      cwd: copy,
    })
    const dir = join(copy, 'packages', 'impl-demo')
    expect(readdirSync(join(dir, 'src')).sort()).toEqual([
      'fetch.ts',
      'hash.ts',
      'index.ts',
      'pipeline.ts',
      'scan-port.ts',
      'worker.ts',
    ])
    await pnpm(['install', '--offline', '--no-frozen-lockfile'], { cwd: copy })
    await pnpm(['exec', 'tsc', '-p', '.'], { cwd: dir })

    const empty = await conformance(dir)
    expect(empty.code).not.toBe(0)
    for (const [fn, file] of [
      ['fetch', 'fetch.ts'],
      ['hash', 'hash.ts'],
      ['scanPort', 'scan-port.ts'],
      ['pipeline', 'pipeline.ts'],
    ]) {
      expect(empty.output).toContain(`TODO(impl-demo): write ${fn} in src/${file}`)
    }
    expect((await discoverContestants(copy)).found.map((c) => c.implementation.id)).toContain(
      'demo',
    )

    // Fill it in with the promises contestant's code, renamed.
    const promises = join(copy, 'packages', 'impl-promises', 'src')
    for (const file of readdirSync(promises)) cpSync(join(promises, file), join(dir, 'src', file))
    const index = join(dir, 'src', 'index.ts')
    writeFileSync(index, readFileSync(index, 'utf8').replace("id: 'promises'", "id: 'demo'"))
    const filled = await conformance(dir)
    expect(
      filled.output
        .split('\n')
        .filter((l) => /FAIL|Caused|×/.test(l))
        .join('\n'),
    ).toBe('')
    expect(filled.code).toBe(0)
  }, 300_000)
})
