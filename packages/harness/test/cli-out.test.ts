import { execFile, execFileSync } from 'node:child_process'
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { unwritableReason } from '../src/results-file.ts'

const cli = fileURLToPath(new URL('../src/cli.ts', import.meta.url))
const resultsFile = fileURLToPath(new URL('../src/results-file.ts', import.meta.url))
const readme = fileURLToPath(new URL('../README.md', import.meta.url))
// Only a guard against a hang (the old recursive mkdir under /proc never returned); no
// test asserts how fast anything is.
const HANG_GUARD_MS = 60_000

interface Ran {
  code: number | null
  killed: boolean
  stdout: string
  stderr: string
}

function run(args: string[]): Promise<Ran> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      args,
      { env: { ...process.env, ARENA_PROFILE: '' }, timeout: HANG_GUARD_MS, killSignal: 'SIGKILL' },
      (error, stdout, stderr) => {
        const e = error as (Error & { code?: number; killed?: boolean }) | null
        done({ code: e ? (e.code ?? null) : 0, killed: e?.killed ?? false, stdout, stderr })
      },
    )
  })
}

const scratch = mkdtempSync(join(tmpdir(), 'arena-cli-out-'))

/**
 * A folder nobody can create anything in, this process included. As root, mode
 * bits do not stop writes, so it is made immutable (chattr +i); as anyone else,
 * chmod 555 does. Undefined when neither works here.
 */
function readOnlyFolder(): string | undefined {
  const dir = join(scratch, 'read-only')
  mkdirSync(dir)
  try {
    if (process.getuid?.() === 0) execFileSync('chattr', ['+i', dir], { stdio: 'ignore' })
    else chmodSync(dir, 0o555)
  } catch {
    return undefined
  }
  return dir
}
const readOnly = readOnlyFolder()

afterAll(() => {
  if (readOnly) {
    if (process.getuid?.() === 0) execFileSync('chattr', ['-i', readOnly], { stdio: 'ignore' })
    else chmodSync(readOnly, 0o755)
  }
  rmSync(scratch, { recursive: true, force: true })
})

// A contestant that does not exist is only found out by discovery, which comes before
// any measurement; seeing the --out sentence instead proves --out was checked first.
const beforeDiscovery = ['--impl', 'no-such-contestant']

/** One `arena:` line on stderr, nothing else on either stream, exit code 2. */
function expectOneSentence(ran: Ran, sentence: RegExp): void {
  expect(ran.killed).toBe(false)
  expect(ran.code).toBe(2)
  expect(ran.stdout).toBe('')
  expect(ran.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^arena: /)])
  expect(ran.stderr).toMatch(sentence)
  expect(ran.stderr).not.toMatch(/\n\s+at |Error:/)
}

describe('arena --out', () => {
  const rows: Array<[string, () => string, RegExp]> = [
    ['a file', () => readme, /got ".*README\.md"; it is not a directory$/m],
    [
      'a path through a file',
      () => join(readme, 'results'),
      /got ".*README\.md\/results"; .*README\.md is not a directory$/m,
    ],
    ['a character device', () => '/dev/null', /got "\/dev\/null"; it is not a directory$/m],
    ['a folder under /proc', () => '/proc/x', /got "\/proc\/x"; it is under \/proc, a kernel/],
    ['a folder under /sys', () => '/sys/x', /got "\/sys\/x"; it is under \/sys, a kernel/],
    [
      'a broken symbolic link',
      () => {
        const link = join(scratch, 'dangling')
        symlinkSync(join(scratch, 'nowhere'), link)
        return join(link, 'results')
      },
      /dangling is a broken symbolic link$/m,
    ],
  ]

  it.each(rows)(
    'refuses %s in one sentence before anything is measured',
    async (_, path, sentence) => {
      const out = path()
      const ran = await run([cli, '--out', out, ...beforeDiscovery])
      expectOneSentence(ran, sentence)
      expect(ran.stderr).toMatch(
        /^arena: Expected --out to be a directory the results can be written to/,
      )
    },
  )

  it.skipIf(!readOnly)(
    'refuses a read-only folder, and a new folder below it, leaving it empty',
    async () => {
      const folder = readOnly as string
      expectOneSentence(
        await run([cli, '--out', folder, ...beforeDiscovery]),
        /read-only"; it cannot be written to \(E(PERM|ACCES|ROFS)\)$/m,
      )
      expectOneSentence(
        await run([cli, '--out', join(folder, 'new', 'deeper'), ...beforeDiscovery]),
        /read-only\/new\/deeper"; .*read-only cannot be written to \(E(PERM|ACCES|ROFS)\)$/m,
      )
      expect(readdirSync(folder)).toEqual([])
    },
  )

  it('refuses an empty path', async () => {
    expectOneSentence(await run([cli, '--out=', ...beforeDiscovery]), /got ""; it is empty$/m)
  })

  it('accepts a folder it can create, and leaves no probe or folder behind with --plan', async () => {
    const parent = join(scratch, 'creatable')
    mkdirSync(parent)
    const ran = await run([cli, '--plan', '--profile', 'quick', '--out', join(parent, 'a', 'b')])
    expect(ran.stderr).toBe('')
    expect(ran.code).toBe(0)
    expect(ran.stdout).toMatch(/estimated time/)
    expect(readdirSync(parent)).toEqual([])
  })
})

describe('the results directory check', () => {
  it('says nothing of a folder that can take the results, and leaves it as it was', () => {
    const dir = mkdtempSync(join(scratch, 'fine-'))
    expect(unwritableReason(dir)).toBeUndefined()
    expect(unwritableReason(join(dir, 'not', 'yet'))).toBeUndefined()
    expect(readdirSync(dir)).toEqual([])
  })

  it('writing under /proc fails at once instead of retrying a mkdir forever', async () => {
    // In a child: the old recursive mkdir spun synchronously, which would hang this worker.
    const ran = await run([
      '--input-type=module',
      '-e',
      `import { writeAtomically } from ${JSON.stringify(resultsFile)}
       try { writeAtomically('/proc/arena-x/deeper/latest.json', '{}') } catch (e) { console.log(e.code); process.exit(3) }`,
    ])
    expect(ran.killed).toBe(false)
    expect(ran.code).toBe(3)
    expect(ran.stdout.trim()).toBe('ENOENT')
  })
})
