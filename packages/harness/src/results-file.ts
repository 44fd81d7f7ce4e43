/**
 * Results files: the environment of a run, the check that a results directory
 * can take them, and atomic writes. A results file is written to a temporary
 * name and renamed into place, so an interrupted run never leaves a truncated
 * `latest.json`; it is validated against core's schema both when written and
 * when read.
 */
import { execFileSync } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import {
  accessSync,
  constants,
  existsSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmdirSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs'
import { availableParallelism, cpus, release, totalmem, type } from 'node:os'
import { basename, dirname, join, resolve } from 'node:path'
import type { Environment, Results } from '@arena/core'
import { parseResults, readResultsFile } from '@arena/core/results'
import { DEFAULT_RUNTIME, type RuntimeTag } from './runtimes.ts'
import type { WorldRuntime } from './world.ts'

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

/**
 * The machine, the software and the commit, as the results file records them;
 * with `runtime`, the runtime the children ran under and the world's.
 */
export function captureEnvironment(
  root: string,
  contestantDirs: readonly string[],
  runtime?: { readonly children: RuntimeTag; readonly world?: WorldRuntime },
): Environment {
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
    ...(runtime && {
      runtime: {
        name: runtime.children.name,
        version: runtime.children.version,
        ...(runtime.world && {
          world: {
            name: runtime.world.name,
            version: runtime.world.version,
            ...(runtime.world.fallback && { fallback: runtime.world.fallback }),
          },
        }),
      },
    }),
  }
}

/** `@<runtime>` for a run under a runtime other than the default, else '': its files' suffix. */
export const runtimeSuffix = (results: Pick<Results, 'environment'>): string => {
  const name = results.environment.runtime?.name
  return name && name !== DEFAULT_RUNTIME ? `@${name}` : ''
}

/** The kernel file systems below which nothing can be written, or can only be written by mistake. */
const kernelFileSystem = (path: string) =>
  ['/proc', '/sys'].find((top) => path === top || path.startsWith(`${top}/`))

/** `dir` itself if it exists, else its nearest existing ancestor, with the missing part below it. */
function existingAncestor(dir: string): { existing: string; missing: string[] } {
  const missing: string[] = []
  for (let d = dir; ; d = dirname(d)) {
    try {
      statSync(d)
      return { existing: d, missing }
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code
      // ENOTDIR: a file stands where a directory of the path should be; the walk up finds it.
      if ((code !== 'ENOENT' && code !== 'ENOTDIR') || dirname(d) === d) throw error
      missing.unshift(basename(d))
    }
  }
}

/**
 * Why results could not be written into `dir` (made absolute first), or
 * undefined when they can: `dir` must be a directory this process can write
 * to, or one it can create below its nearest existing ancestor. The check is
 * a real probe — a file created and removed, and a directory when `dir` is
 * missing — because root passes `accessSync(W_OK)` on folders whose writes
 * still fail (immutable, read-only mounts). Nothing is left behind.
 */
export function unwritableReason(dir: string): string | undefined {
  const target = resolve(dir)
  let existing: string
  let missing: string[]
  let real: string
  try {
    ;({ existing, missing } = existingAncestor(target))
    real = join(realpathSync(existing), ...missing)
  } catch (error) {
    return `it cannot be looked up (${(error as NodeJS.ErrnoException).code})`
  }
  const kernel = kernelFileSystem(target) ?? kernelFileSystem(real)
  if (kernel) return `it is under ${kernel}, a kernel file system`
  if (!statSync(existing).isDirectory())
    return `${existing === target ? 'it' : existing} is not a directory`
  const first = missing[0]
  if (first !== undefined && lstatSync(join(existing, first), { throwIfNoEntry: false }))
    return `${join(existing, first)} is a broken symbolic link`
  const probe = join(existing, `.arena-probe-${randomUUID()}`)
  try {
    accessSync(existing, constants.W_OK | constants.X_OK)
    writeFileSync(probe, '', { flag: 'wx' })
    unlinkSync(probe)
    if (first !== undefined) {
      mkdirSync(probe)
      rmdirSync(probe)
    }
  } catch (error) {
    return `${existing === target ? 'it' : existing} cannot be written to (${(error as NodeJS.ErrnoException).code})`
  }
  return undefined
}

/**
 * Creates `dir` and its missing ancestors one level at a time. Node's own
 * recursive mkdir retries forever where mkdir answers ENOENT under an existing
 * parent (as in /proc), in a synchronous loop that no signal can interrupt.
 */
function makeDirectory(dir: string): void {
  const { existing, missing } = existingAncestor(resolve(dir))
  let d = existing
  for (const part of missing) {
    d = join(d, part)
    mkdirSync(d)
  }
}

/** Writes `data` to `path` atomically: a temporary file in the same directory, then a rename. */
export function writeAtomically(path: string, data: string): void {
  makeDirectory(dirname(path))
  const temporary = `${path}.${process.pid}.tmp`
  writeFileSync(temporary, data)
  renameSync(temporary, path)
}

/**
 * Validates and writes `results` as `<dir>/<runId>.json` and `<dir>/latest.json`
 * (`<runId>@bun.json` and `latest@bun.json` for a run under a runtime other
 * than the default, which so leaves the default's latest alone); returns both paths.
 */
export function writeResults(dir: string, results: Results): { run: string; latest: string } {
  const json = `${JSON.stringify(parseResults(results), null, 1)}\n`
  const suffix = runtimeSuffix(results)
  const run = join(dir, `${results.runId}${suffix}.json`)
  const latest = join(dir, `latest${suffix}.json`)
  writeAtomically(run, json)
  writeAtomically(latest, json)
  return { run, latest }
}

/** Reads and validates a results file (core's one reader, shared with the report). */
export const readResults = readResultsFile
