import { execFile, execFileSync, spawn } from 'node:child_process'
import {
  cpSync,
  existsSync,
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
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
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

beforeAll(async () => {
  // A copy of the workspace as git sees it (tracked and new files, nothing ignored).
  const files = execFileSync(
    'git',
    ['ls-files', '--cached', '--others', '--exclude-standard', '-z'],
    {
      cwd: root,
      encoding: 'utf8',
    },
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
}, 300_000)

/**
 * Runs pnpm in the copy with stdin on /dev/null, as a script or CI would: no terminal,
 * and an immediate end of input for any prompt that is asked anyway.
 */
function withoutTerminal(args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((done, fail) => {
    const child = spawn(pnpmCli[0] as string, [...pnpmCli.slice(1), ...args], {
      cwd: copy,
      env: { ...cleanEnv, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let output = ''
    child.stdout.on('data', (chunk) => (output += chunk))
    child.stderr.on('data', (chunk) => (output += chunk))
    child.on('error', fail)
    child.on('close', (code) => done({ code, output }))
  })
}

/** The generator's own lines: one sentence, nothing thrown, no prompt left hanging. */
function expectOneSentence(output: string, sentence: RegExp): void {
  expect(output.split('\n').filter((l) => l.startsWith('gen contestant:'))).toEqual([
    expect.stringMatching(sentence),
  ])
  expect(output).not.toMatch(/\n\s+at |ERR_USE_AFTER_CLOSE|Error/)
}

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

const missingAll =
  /^gen contestant: Without a terminal to ask on, pass the id and one line on the style: pnpm turbo gen contestant --args <id> "<one line on the style>"$/
const missingLine =
  /^gen contestant: Without a terminal to ask on, pass one line on the style after the id: pnpm turbo gen contestant --args demo "<one line on the style>"$/

describe('pnpm turbo gen contestant without a terminal', () => {
  // turbo gen exits 0 whatever @turbo/gen does (it drops the child's exit code), so
  // these assert what the user reads; the exit code is asserted through gen itself below.
  it.each([
    [[], missingAll],
    [['--args', 'demo'], missingLine],
  ])(
    'turbo gen contestant %j names what it needs in one sentence and writes nothing',
    async (args, sentence) => {
      const { output } = await withoutTerminal(['turbo', 'gen', 'contestant', ...args])
      expectOneSentence(output, sentence)
      expect(existsSync(join(copy, 'packages', 'impl-demo'))).toBe(false)
    },
  )

  it.each([
    [[], missingAll],
    [['demo'], missingLine],
    [
      ['promises', 'Another one'],
      /^gen contestant: packages\/impl-promises already exists; choose another id/,
    ],
    [
      ['Bad_Id', 'x'],
      /^gen contestant: Expected a kebab-case id like "worker-pool", got "Bad_Id"$/,
    ],
    [
      ['demo', ' '],
      /^gen contestant: Expected a one-line description of the style, got an empty one$/,
    ],
    [
      ['demo', 'two', 'words'],
      /^gen contestant: Expected two arguments, .* got 3; quote the line: pnpm turbo gen/,
    ],
  ])(
    'gen run contestant --args %j: one sentence, exit code 1, nothing written',
    async (args, sentence) => {
      const { code, output } = await withoutTerminal([
        'exec',
        'gen',
        'run',
        'contestant',
        ...(args.length > 0 ? ['--args', ...args] : []),
      ])
      expectOneSentence(output, sentence)
      expect(code).toBe(1)
      expect(existsSync(join(copy, 'packages', 'impl-demo'))).toBe(false)
      expect(existsSync(join(copy, 'packages', 'impl-Bad_Id'))).toBe(false)
    },
  )
})

describe('pnpm turbo gen contestant', () => {
  it('scaffolds a package the kit rejects with "write this function", then accepts once filled, and discovery finds', async () => {
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
