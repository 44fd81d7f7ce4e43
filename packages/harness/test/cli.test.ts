import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { parseCommandLine } from '../src/cli.ts'
import { findWorkspaceRoot } from '../src/discover.ts'

const cli = fileURLToPath(new URL('../src/cli.ts', import.meta.url))

async function arena(...args: string[]): Promise<{ code: number; stderr: string; stdout: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [cli, ...args], {
      env: { ...process.env, ARENA_PROFILE: '' },
    })
    return { code: 0, stdout, stderr }
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string }
    return { code: e.code, stdout: e.stdout, stderr: e.stderr }
  }
}

// Each row: the bad input, and the sentence the user must see.
const rows: Array<[string[], RegExp]> = [
  [['--bogus'], /Unknown option '--bogus'.*arena --help/],
  [['--profile', 'huge'], /Unknown profile "huge"; expected one of quick, default, full/],
  [['--seed=-1'], /--seed to be an integer from 0 to 4294967295, got "-1"/],
  [['--seed', 'abc'], /--seed to be an integer from 0 to 4294967295, got "abc"/],
  // As two arguments parseArgs reads "-1" as an option and calls the pair ambiguous.
  [['--seed', '-1'], /^arena: Expected --seed to be an integer from 0 to 4294967295, got "-1"$/m],
  [['--seed', '--plan'], /Expected a value after --seed, got the option --plan; run arena --help/],
  [['--seed'], /Option '--seed <value>' argument missing; run arena --help/],
  [
    ['--impl', 'promises', 'extra'],
    /Unexpected argument 'extra' \(arena takes options only\); run/,
  ],
  [['--impl', 'go-routines'], /No contestant "go-routines"; found: .*promises/],
  [['--variant', 'warp'], /No variant "warp"; found: .*promises\/default/],
  [
    ['--workload', 'sort'],
    /Unknown workload "sort"; expected one of fetch, hash, scanPort, pipeline/,
  ],
  [['--baseline', 'promises/nope'], /Unknown baseline "promises\/nope"/],
  [
    ['--baseline', 'nope'],
    /Unknown baseline "nope"; expected a contestant \(.*promises.*\) or one of /,
  ],
  [['--aa', 'nope/default'], /Unknown A\/A variant "nope\/default"/],
  [
    ['--point', 'r99-c1'],
    /^arena: Profile default has no point "r99-c1"; its points are c1-b1k-l0, /m,
  ],
  [['--profile', 'quick', '--point', 'c1-b1k-l0'], /Profile quick has no point "c1-b1k-l0"/],
  [['--plan', '--point', 'nope'], /Profile default has no point "nope"/],
  [['--cpu-prof'], /--cpu-prof needs a filter/],
  [
    ['--runtime', 'nodejs'],
    /^arena: Unknown runtime "nodejs"; expected one of node22, node24, node26, bun, deno$/m,
  ],
  [['--runtime', 'bun,node18'], /Unknown runtime "node18"/],
  [['--runtime'], /Option '--runtime <value>' argument missing/],
  [
    ['--cpu-prof', '--impl', 'promises', '--runtime', 'bun'],
    /--cpu-prof writes V8 profiles of Node children, and bun takes no such flag/,
  ],
  [['--plan', '--runtime', 'nodejs'], /Unknown runtime "nodejs"/],
  [['--world', 'bun'], /^arena: Expected --world to be harness or runtime, got "bun"$/m],
  // --plan runs nothing, but refuses what the run would refuse.
  [['--plan', '--impl', 'go-routines'], /No contestant "go-routines"/],
  [['--plan', '--variant', 'warp'], /No variant "warp"/],
  [['--plan', '--workload', 'sort'], /Unknown workload "sort"/],
  [['--plan', '--aa', 'nope/default'], /Unknown A\/A variant "nope\/default"/],
]

describe('the arena command on bad input', () => {
  it.each(rows)('%j: one clear sentence, exit code 2, no stack trace', async (args, message) => {
    const { code, stderr } = await arena(...args)
    expect(code).toBe(2)
    expect(stderr).toMatch(message)
    expect(stderr).not.toMatch(/\n\s+at /)
    expect(
      stderr
        .trim()
        .split('\n')
        .filter((l) => l.startsWith('arena:')),
    ).toHaveLength(1)
    expect(stderr).not.toMatch(/\.;|ambiguous/)
  })

  it('takes a bare contestant id as its default variant for --baseline and --aa', async () => {
    const command = await parseCommandLine(
      ['--baseline', 'sequential', '--aa', 'rxjs'],
      {},
      findWorkspaceRoot(cli),
    )
    expect(command.help === false && [command.baseline, command.aa]).toEqual([
      'sequential/default',
      ['rxjs/default'],
    ])
  })

  it('prints its help and exits 0', async () => {
    const { code, stdout } = await arena('--help')
    expect(code).toBe(0)
    expect(stdout).toMatch(/--profile <name>/)
  })
})
