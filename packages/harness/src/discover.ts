/**
 * Discovery: every workspace package whose package.json has an `"arena"` key
 * is a contestant, and nothing else needs editing to add one. The key names
 * the implementation module (default `src/index.ts`), which must export
 * `implementation`. A package that fails to load is reported, not fatal.
 */
import { existsSync, globSync, readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { defineImplementation, type Implementation } from '@arena/core'
import { parse } from 'yaml'

/** A contestant found in the workspace. */
export interface Discovered {
  readonly packageName: string
  readonly version: string
  readonly dir: string
  /** Absolute path of the implementation module. */
  readonly entry: string
  readonly implementation: Implementation
}

/** A package with an `arena` key that could not be loaded, and why. */
export interface DiscoveryProblem {
  readonly packageName: string
  readonly message: string
}

/** The workspace root: the nearest directory above `from` holding pnpm-workspace.yaml. */
export function findWorkspaceRoot(from = process.cwd()): string {
  for (let dir = resolve(from); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'pnpm-workspace.yaml'))) return dir
    if (dirname(dir) === dir) throw new Error(`No pnpm-workspace.yaml found above ${from}`)
  }
}

/** package.json paths of every workspace package, from pnpm-workspace.yaml's globs. */
export function workspacePackages(root: string): string[] {
  const config = parse(readFileSync(join(root, 'pnpm-workspace.yaml'), 'utf8')) as {
    packages?: string[]
  }
  const patterns = (config.packages ?? []).filter((p) => !p.startsWith('!'))
  return patterns
    .flatMap((pattern) => globSync(`${pattern}/package.json`, { cwd: root }))
    .map((p) => join(root, p))
    .sort()
}

/** Loads every contestant of the workspace at `root`. */
export async function discoverContestants(
  root: string,
): Promise<{ found: Discovered[]; problems: DiscoveryProblem[] }> {
  const found: Discovered[] = []
  const problems: DiscoveryProblem[] = []
  for (const manifest of workspacePackages(root)) {
    const pkg = JSON.parse(readFileSync(manifest, 'utf8')) as {
      name?: string
      version?: string
      arena?: { implementation?: string }
    }
    if (!pkg.arena) continue
    const packageName = pkg.name ?? dirname(manifest)
    const dir = dirname(manifest)
    const entry = resolve(dir, pkg.arena.implementation ?? 'src/index.ts')
    try {
      const module = (await import(pathToFileURL(entry).href)) as {
        implementation?: Implementation
      }
      if (!module.implementation) throw new TypeError(`${entry} does not export \`implementation\``)
      found.push({
        packageName,
        version: pkg.version ?? '0.0.0',
        dir,
        entry,
        implementation: defineImplementation(module.implementation),
      })
    } catch (error) {
      problems.push({
        packageName,
        message: error instanceof Error ? error.message : String(error),
      })
    }
  }
  return { found, problems }
}

/** The contents of each of a contestant's `src/` files in `files` (id → file name) that exists. */
export function sourcesOf(
  dir: string,
  files: readonly (readonly [string, string])[],
): Record<string, string> {
  const sources: Record<string, string> = {}
  for (const [id, file] of files) {
    const path = join(dir, 'src', file)
    if (existsSync(path)) sources[id] = readFileSync(path, 'utf8')
  }
  return sources
}
