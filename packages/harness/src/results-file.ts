/**
 * Results files: the environment of a run, and atomic writes. A results file
 * is written to a temporary name and renamed into place, so an interrupted
 * run never leaves a truncated `latest.json`; it is validated against core's
 * schema both when written and when read.
 */
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { availableParallelism, cpus, release, totalmem, type } from 'node:os'
import { dirname, join } from 'node:path'
import type { Environment, Results } from '@arena/core'
import { parseResults, readResultsFile } from '@arena/core/results'

function git(root: string, args: string[]): string | undefined {
  try {
    return execFileSync('git', args, {
      cwd: root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim()
  } catch {
    return undefined
  }
}

/** Installed version of `name` as seen from `dir`, or `absent`. */
function installedVersion(dir: string, name: string): string {
  for (let d = dir; ; d = dirname(d)) {
    const manifest = join(d, 'node_modules', name, 'package.json')
    if (existsSync(manifest))
      return (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version
    if (dirname(d) === d) return 'absent'
  }
}

/** The machine, the software and the commit, as the results file records them. */
export function captureEnvironment(root: string, contestantDirs: readonly string[]): Environment {
  const packages: Record<string, string> = {}
  const wanted = [
    'effect',
    '@effect/platform-node',
    'rxjs',
    'undici',
    'autocannon',
    'vitest',
    'typescript',
    'turbo',
    'piscina',
    'p-limit',
    'p-map',
  ]
  for (const name of wanted) {
    for (const dir of [
      join(root, 'packages', 'core'),
      join(root, 'packages', 'harness'),
      root,
      ...contestantDirs,
    ]) {
      const version = installedVersion(dir, name)
      if (version !== 'absent') {
        packages[name] = version
        break
      }
    }
  }
  const nmap = (() => {
    try {
      return (
        execFileSync('nmap', ['--version'], {
          encoding: 'utf8',
          stdio: ['ignore', 'pipe', 'ignore'],
        }).split('\n')[0] ?? 'nmap'
      )
    } catch {
      return 'absent'
    }
  })()
  packages.nmap = nmap.replace(/^Nmap version /, '').split(' ')[0] ?? nmap
  return {
    node: process.version,
    v8: process.versions.v8,
    os: `${type()} ${process.platform}/${process.arch}`,
    kernel: release(),
    cpuModel: cpus()[0]?.model ?? 'unknown',
    cores: availableParallelism(),
    memoryBytes: totalmem(),
    packages,
    gitCommit: git(root, ['rev-parse', 'HEAD']) ?? 'unknown',
    gitDirty: (git(root, ['status', '--porcelain']) ?? '') !== '',
  }
}

/** Writes `data` to `path` atomically: a temporary file in the same directory, then a rename. */
export function writeAtomically(path: string, data: string): void {
  mkdirSync(dirname(path), { recursive: true })
  const temporary = `${path}.${process.pid}.tmp`
  writeFileSync(temporary, data)
  renameSync(temporary, path)
}

/** Validates and writes `results` as `<dir>/<runId>.json` and `<dir>/latest.json`; returns both paths. */
export function writeResults(dir: string, results: Results): { run: string; latest: string } {
  const json = `${JSON.stringify(parseResults(results), null, 1)}\n`
  const run = join(dir, `${results.runId}.json`)
  const latest = join(dir, 'latest.json')
  writeAtomically(run, json)
  writeAtomically(latest, json)
  return { run, latest }
}

/** Reads and validates a results file (core's one reader, shared with the report). */
export const readResults = readResultsFile
