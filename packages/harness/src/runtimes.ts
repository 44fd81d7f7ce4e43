/**
 * The runtimes a run's children can run under (`arena --runtime <name>`):
 * node24, the harness's own Node and the default; node22 and node26, the
 * `node` npm package at pinned majors; bun and deno, the npm packages that
 * ship their binaries. Each but node24 is a project of its own under
 * `packages/harness/runtimes/<name>/` (manifest, lockfile, the install script
 * it allows), so the workspace's default install leaves it out and
 * `prepareRuntime` installs it from the registry the first time it is asked
 * for. A runtime is started the same way for a cell's child and for the mock
 * world: its binary, its own flags (heap levelling, running TypeScript), and
 * Node's IPC in JSON — the one serialisation bun and deno speak with a Node
 * parent (Node's `advanced` one silences bun and breaks the parent on deno's
 * replies). What cannot be had or started is said in one sentence, for the
 * run to record as its cells' failure.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

/** Every runtime `--runtime` accepts, oldest Node first. */
export const runtimeNames = ['node22', 'node24', 'node26', 'bun', 'deno'] as const

/** A runtime as the command line names it. */
export type RuntimeName = (typeof runtimeNames)[number]

/** The runtime of a run that names none: the harness's own Node 24. */
export const DEFAULT_RUNTIME: RuntimeName = 'node24'

/** A runtime as a cell and the environment block record it. */
export interface RuntimeTag {
  readonly name: RuntimeName
  /** The version its binary reported (`22.23.3`, `1.4.5`), or `unavailable`. */
  readonly version: string
}

/** A runtime made ready for a run: its tag, and why it cannot run anything, if it cannot. */
export interface PreparedRuntime extends RuntimeTag {
  /** One sentence on why the runtime is not there; every cell under it fails with it. */
  readonly unavailable?: string
}

/** How to start a module under a runtime. */
export interface Launch {
  readonly name: RuntimeName
  /** The runtime's binary. */
  readonly executable: string
  /** The runtime's own arguments, before the module. */
  readonly args: readonly string[]
  /** Whether it takes V8's `--cpu-prof` flags (the Node runtimes). */
  readonly cpuProfile: boolean
  /** Variables it needs besides the harness's. */
  readonly env: Readonly<Record<string, string>>
}

type Family = 'node' | 'bun' | 'deno'

const FAMILY: Record<RuntimeName, Family> = {
  node22: 'node',
  node24: 'node',
  node26: 'node',
  bun: 'bun',
  deno: 'deno',
}

/** Where each family's npm package puts its binary, below the project's node_modules. */
const BINARY: Record<Family, string> = {
  node: 'node/bin/node',
  bun: 'bun/bin/bun.exe',
  deno: 'deno/deno',
}

/**
 * Flags of each family. `--expose-gc` lets the child level its heap between
 * calls (bun takes it as Node does; deno through V8's flags). Node 22.18 and
 * later strip types by default (22.23.3 here reports `strip`), bun and deno
 * run TypeScript natively; deno also needs its permissions, and no lockfile of
 * its own in the workspace.
 */
const ARGS: Record<Family, readonly string[]> = {
  node: ['--expose-gc'],
  bun: ['--expose-gc'],
  deno: ['run', '--allow-all', '--no-lock', '--v8-flags=--expose-gc'],
}

const ENV: Record<Family, Readonly<Record<string, string>>> = {
  node: {},
  bun: {},
  // No update check: it would reach outside the machine, and its notice lands in stderr.
  deno: { DENO_NO_UPDATE_CHECK: '1', DENO_NO_PROMPT: '1' },
}

/** The package manager that installs a runtime's project, as the workspace pins it. */
const PACKAGE_MANAGER = 'pnpm@12.4.2'

/** Longest a runtime's install may take, ms. */
const INSTALL_TIMEOUT_MS = 5 * 60_000

const harnessDir = fileURLToPath(new URL('..', import.meta.url))

/** Where the runtimes' projects are: `ARENA_RUNTIMES_DIR`, else `packages/harness/runtimes`. */
export function runtimesDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.ARENA_RUNTIMES_DIR || join(harnessDir, 'runtimes')
}

/** Whether `text` names a runtime. */
export const isRuntimeName = (text: string): text is RuntimeName =>
  (runtimeNames as readonly string[]).includes(text)

/** The family of a runtime: node, bun or deno. */
export const familyOf = (name: RuntimeName): Family => FAMILY[name]

/** The version a runtime's project pins (its package.json), or undefined for node24. */
export function pinnedVersion(name: RuntimeName, dir = runtimesDir()): string | undefined {
  if (name === DEFAULT_RUNTIME) return undefined
  try {
    const manifest = JSON.parse(readFileSync(join(dir, name, 'package.json'), 'utf8')) as {
      dependencies?: Record<string, string>
    }
    return manifest.dependencies?.[FAMILY[name]]
  } catch {
    return undefined
  }
}

/** How to start a module under `name`, or why it cannot be started (not installed). */
export function launchOf(name: RuntimeName, dir = runtimesDir()): Launch | { missing: string } {
  const family = FAMILY[name]
  const base = { name, args: ARGS[family], cpuProfile: family === 'node', env: ENV[family] }
  if (name === DEFAULT_RUNTIME) {
    // The harness itself runs on Node 24 (pnpm puts the workspace's first on PATH).
    if (process.versions.node.split('.')[0] !== '24')
      return {
        missing: `node24 is the harness's own Node, and this harness runs on Node ${process.versions.node}`,
      }
    return { ...base, executable: process.execPath }
  }
  const executable = join(dir, name, 'node_modules', BINARY[family])
  if (!existsSync(executable))
    return {
      missing: `${name} is not installed: ${executable} does not exist (arena --runtime ${name} installs it from the npm registry)`,
    }
  return { ...base, executable }
}

/** The last lines of a process's output, as one line. */
const tail = (text: string, lines = 3) =>
  text
    .trim()
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .slice(-lines)
    .join(' | ')

/** The version `launch`'s binary reports; throws with its output when it reports none. */
export function versionOf(launch: Launch): string {
  const run = spawnSync(launch.executable, ['--version'], {
    encoding: 'utf8',
    timeout: 30_000,
    env: { ...process.env, ...launch.env },
  })
  // `v22.23.3`, `1.4.5`, `deno 2.9.6 (stable, release, …)`: the first version-like word.
  const version = /\d+\.\d+\.\d+[\w.-]*/.exec(run.stdout ?? '')?.[0]
  if (run.status === 0 && version) return version
  const said = tail(`${run.stdout ?? ''}\n${run.stderr ?? ''}`)
  throw new Error(
    `${launch.name} did not report its version (${run.error?.message ?? `exit ${run.status ?? run.signal}`})${said ? `: ${said}` : ''}`,
  )
}

/**
 * Installs runtime `name` into its project from the npm registry, exactly as
 * its lockfile says; returns why it failed, or undefined. Its output goes to
 * `log` (stderr in the CLI).
 */
export function installRuntime(
  name: RuntimeName,
  log: (line: string) => void,
  dir = runtimesDir(),
): string | undefined {
  const project = join(dir, name)
  if (!existsSync(join(project, 'package.json')))
    return `${name} has no project to install from (${join(project, 'package.json')} is missing)`
  log(`installing ${name} ${pinnedVersion(name, dir) ?? ''} from the npm registry into ${project}`)
  const run = spawnSync('npx', ['-y', PACKAGE_MANAGER, 'install', '--frozen-lockfile'], {
    cwd: project,
    encoding: 'utf8',
    timeout: INSTALL_TIMEOUT_MS,
  })
  const output = `${run.stdout ?? ''}\n${run.stderr ?? ''}`
  if (run.status === 0) return undefined
  return `installing ${name} failed (${run.error?.message ?? `exit ${run.status ?? run.signal}`})${tail(output) ? `: ${tail(output)}` : ''}`
}

/**
 * Makes `name` ready for a run: installs it when it is missing and `install`
 * allows, and reads its version. Never throws: a runtime that cannot be had
 * comes back with `unavailable` set, and every cell under it fails with that.
 */
export function prepareRuntime(
  name: RuntimeName,
  options: {
    readonly install: boolean
    readonly log: (line: string) => void
    readonly dir?: string
  },
): PreparedRuntime {
  const dir = options.dir ?? runtimesDir()
  let launch = launchOf(name, dir)
  if ('missing' in launch && options.install && name !== DEFAULT_RUNTIME) {
    const failed = installRuntime(name, options.log, dir)
    if (failed) return { name, version: 'unavailable', unavailable: failed }
    launch = launchOf(name, dir)
  }
  if ('missing' in launch) return { name, version: 'unavailable', unavailable: launch.missing }
  try {
    return { name, version: versionOf(launch) }
  } catch (error) {
    return { name, version: 'unavailable', unavailable: (error as Error).message }
  }
}

/** The default runtime, as a run that names none records it. */
export const defaultRuntime = (): PreparedRuntime => ({
  name: DEFAULT_RUNTIME,
  version: process.versions.node,
})
