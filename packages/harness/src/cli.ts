#!/usr/bin/env node
/**
 * The `arena` command: runs the benchmark (`pnpm arena`, and `pnpm turbo bench`
 * through the harness's bench script). Every flag is checked before anything is
 * measured (`--out` before contestants are even discovered); a bad flag or value
 * ends with one clear sentence and exit code 2, never a stack trace; a relative
 * `--out` is taken from where the command was typed (INIT_CWD under pnpm).
 * Ctrl-C or SIGTERM stops within a couple of seconds, kills the current child
 * and the mock world, and leaves the previous `latest.json` untouched.
 * `--runtime` runs the whole suite once per runtime named (installing it on
 * first use, runtimes.ts), each into its own results file; a runtime that
 * cannot be had still runs, its cells failed with the reason. The mock world
 * stays on the harness's Node unless `--world runtime` moves it too: it is the
 * referee's instrument, and under deno it counts requests still in flight
 * that have ended (a sequential client seen with 2) and under bun it cannot
 * start, so only the children's runtime changes by default.
 */
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { type Results, workloadIds } from '@arena/core'
import { killAll } from './children.ts'
import { discoverContestants, findWorkspaceRoot } from './discover.ts'
import { describePlan } from './estimate.ts'
import { profiles } from './profiles.ts'
import { barProgress, lineProgress } from './progress.ts'
import { readResults, unwritableReason, writeResults } from './results-file.ts'
import { planRun, runBench } from './runner.ts'
import {
  DEFAULT_RUNTIME,
  defaultRuntime,
  familyOf,
  isRuntimeName,
  type PreparedRuntime,
  pinnedVersion,
  prepareRuntime,
  type RuntimeName,
  runtimeNames,
} from './runtimes.ts'
import { markdownSummary } from './summary.ts'

const HELP = `Usage: arena [options]

Runs every contestant against the mock world, verifies each answer and writes
results/<run-id>.json and results/latest.json.

  --profile <name>     quick | default | full | stress (or ARENA_PROFILE); default: default
  --impl <id>          only these contestants (repeat or comma-separate)
  --variant <id>       only these variants (id or impl/id)
  --workload <id>      only these workloads: ${workloadIds.join(', ')}
  --point <id>         only these points of the profile (ids as in --plan and the results)
  --seed <n>           seed of every input, 0 to 4294967295; default 1
  --runtime <name>     run every cell's child under ${runtimeNames.join(', ')}
                       (repeat or comma-separate: the suite once per runtime, each into
                       results/<run-id>@<name>.json and latest@<name>.json); default node24,
                       the harness's own Node; others are installed from the npm registry
                       on first use
  --world <where>      harness: the mock world on the harness's Node 24 whatever the
                       children run on (default); runtime: under --runtime too
  --out <dir>          results directory, checked before anything runs; default
                       <workspace>/results
  --baseline <v>       impl/variant (or impl, for its default) the ratios are taken
                       against; default promises/default
  --aa <v>             A/A run: impl/variant or impl (repeatable), or "all" for every
                       default variant, each run twice under two names
  --cpu-prof           write a V8 CPU profile of each child (needs a filter)
  --plan               print the cells, rounds and estimated time; run nothing
  --help               this text`

/** A mistake in the command line: printed as one sentence, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError'
}

/** After a signal, how long the run may take to stop by itself before everything is killed, ms. */
const FORCED_EXIT_MS = 1500

const list = (values: string[] | undefined) =>
  (values ?? [])
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter(Boolean)

const options = {
  profile: { type: 'string' },
  impl: { type: 'string', multiple: true },
  variant: { type: 'string', multiple: true },
  workload: { type: 'string', multiple: true },
  point: { type: 'string', multiple: true },
  seed: { type: 'string' },
  runtime: { type: 'string', multiple: true },
  world: { type: 'string' },
  out: { type: 'string' },
  baseline: { type: 'string' },
  aa: { type: 'string', multiple: true },
  'cpu-prof': { type: 'boolean' },
  plan: { type: 'boolean' },
  help: { type: 'boolean' },
} as const

const takesValue = (arg: string) =>
  arg.startsWith('--') && options[arg.slice(2) as keyof typeof options]?.type === 'string'
const isOption = (arg: string) =>
  arg.startsWith('--') && Object.hasOwn(options, arg.slice(2).split('=')[0] ?? '')

/**
 * Joins `--seed -1` into `--seed=-1`: parseArgs reads a value that starts with
 * a dash as the next option and calls the pair ambiguous, so the user would
 * never see what is wrong with the value itself.
 */
function joinDashValues(argv: readonly string[]): string[] {
  const joined: string[] = []
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string
    const next = argv[i + 1]
    if (arg === '--') return [...joined, ...argv.slice(i)]
    if (takesValue(arg) && next?.startsWith('-')) {
      if (isOption(next))
        throw new UsageError(
          `Expected a value after ${arg}, got the option ${next}; run arena --help for the accepted options`,
        )
      joined.push(`${arg}=${next}`)
      i++
    } else joined.push(arg)
  }
  return joined
}

/** Parses and validates the command line against the discovered contestants. */
export async function parseCommandLine(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  root: string,
) {
  let parsed: ReturnType<
    typeof parseArgs<{ options: typeof options; allowPositionals: false; strict: true }>
  >
  const args = joinDashValues(argv)
  try {
    parsed = parseArgs({ args, options, allowPositionals: false, strict: true })
  } catch (error) {
    // parseArgs's messages run to two sentences; the user gets the first, whole.
    const message = (error as Error).message
      .split('\n')[0]
      ?.replace(
        /\. This command does not take positional arguments$/,
        ' (arena takes options only)',
      )
      .replace(/\.$/, '')
    throw new UsageError(`${message}; run arena --help for the accepted options`)
  }
  const v = parsed.values
  if (v.help) return { help: true as const }
  const profileName = v.profile ?? (env.ARENA_PROFILE || 'default')
  const profile = profiles[profileName]
  if (!profile)
    throw new UsageError(
      `Unknown profile "${profileName}"; expected one of ${Object.keys(profiles).join(', ')}`,
    )
  const seedText = v.seed ?? '1'
  const seed = Number(seedText)
  if (!/^\d+$/.test(seedText) || seed > 0xffffffff)
    throw new UsageError(`Expected --seed to be an integer from 0 to 4294967295, got "${seedText}"`)
  const runtimes = [...new Set(list(v.runtime))]
  for (const r of runtimes)
    if (!isRuntimeName(r))
      throw new UsageError(`Unknown runtime "${r}"; expected one of ${runtimeNames.join(', ')}`)
  if (runtimes.length === 0) runtimes.push(DEFAULT_RUNTIME)
  const world = v.world ?? 'harness'
  if (world !== 'harness' && world !== 'runtime')
    throw new UsageError(`Expected --world to be harness or runtime, got "${world}"`)
  const workloads = list(v.workload)
  for (const w of workloads) {
    if (!(workloadIds as readonly string[]).includes(w))
      throw new UsageError(`Unknown workload "${w}"; expected one of ${workloadIds.join(', ')}`)
  }
  const points = list(v.point)
  const pointIds = new Set(
    workloadIds.flatMap((w) =>
      [...profile.points[w], ...(profile.robustness?.[w] ?? [])].map((p) => p.id),
    ),
  )
  for (const id of points)
    if (!pointIds.has(id))
      throw new UsageError(
        `Profile ${profile.name} has no point "${id}"; its points are ${[...pointIds].join(', ')}`,
      )
  // Checked before discovery, so a results folder that cannot take the results is
  // said at once rather than after the whole bench has run.
  const out = resolve(env.INIT_CWD ?? process.cwd(), v.out ?? join(root, 'results'))
  const unwritable = v.out === '' ? 'it is empty' : unwritableReason(out)
  if (unwritable)
    throw new UsageError(
      `Expected --out to be a directory the results can be written to, got "${v.out === '' ? '' : out}"; ${unwritable}`,
    )
  const { found, problems } = await discoverContestants(root)
  for (const problem of problems)
    console.error(
      `warning: contestant ${problem.packageName} could not be loaded: ${problem.message}`,
    )
  const ids = found.map((c) => c.implementation.id)
  const implementations = list(v.impl)
  for (const id of implementations) {
    if (!ids.includes(id)) throw new UsageError(`No contestant "${id}"; found: ${ids.join(', ')}`)
  }
  const keys = found.flatMap((c) =>
    c.implementation.variants.map((variant) => `${c.implementation.id}/${variant.id}`),
  )
  const variants = list(v.variant)
  for (const variant of variants) {
    if (!keys.includes(variant) && !keys.some((k) => k.endsWith(`/${variant}`))) {
      throw new UsageError(`No variant "${variant}"; found: ${keys.join(', ')}`)
    }
  }
  // A bare contestant id stands for its default variant (always the first one).
  const variantKey = (text: string) => (ids.includes(text) ? `${text}/default` : text)
  const aa = list(v.aa).flatMap((key) =>
    key === 'all' ? keys.filter((k) => k.endsWith('/default')) : [variantKey(key)],
  )
  for (const key of aa)
    if (!keys.includes(key))
      throw new UsageError(
        `Unknown A/A variant "${key}"; expected "all" or one of ${keys.join(', ')}`,
      )
  const baseline =
    (v.baseline && variantKey(v.baseline)) ??
    (aa.length === 1 ? aa[0] : undefined) ??
    'promises/default'
  if (!keys.includes(baseline)) {
    throw new UsageError(
      `Unknown baseline "${baseline}"; expected a contestant (${ids.join(', ')}) or one of ${keys.join(', ')}`,
    )
  }
  const filtered =
    implementations.length + variants.length + workloads.length + points.length + aa.length > 0
  if (v['cpu-prof'] && !filtered)
    throw new UsageError(
      '--cpu-prof needs a filter (--impl, --variant, --workload or --point), so it profiles the cell you mean',
    )
  const unprofiled = (runtimes as RuntimeName[]).filter((r) => familyOf(r) !== 'node')
  if (v['cpu-prof'] && unprofiled.length > 0)
    throw new UsageError(
      `--cpu-prof writes V8 profiles of Node children, and ${unprofiled.join(' and ')} ${unprofiled.length > 1 ? 'take' : 'takes'} no such flag; run it with a Node runtime`,
    )
  return {
    help: false as const,
    profile,
    seed,
    runtimes: runtimes as RuntimeName[],
    worldOnRuntime: world === 'runtime',
    out,
    baseline,
    aa,
    cpuProfile: v['cpu-prof'] === true,
    plan: v.plan === true,
    contestants: found,
    filters: {
      implementations,
      variants,
      workloads: workloads as (typeof workloadIds)[number][],
      points,
    },
  }
}

/** The pinned runtime as `--plan` describes it: nothing is installed or run. */
const plannedRuntime = (name: RuntimeName): PreparedRuntime =>
  name === DEFAULT_RUNTIME ? defaultRuntime() : { name, version: pinnedVersion(name) ?? 'unpinned' }

async function main(): Promise<number> {
  const root = findWorkspaceRoot(process.env.INIT_CWD ?? process.cwd())
  const command = await parseCommandLine(process.argv.slice(2), process.env, root)
  if (command.help) {
    console.log(HELP)
    return 0
  }
  if (command.plan) {
    const plans = []
    for (const name of command.runtimes)
      plans.push(
        ...(await planRun({
          ...command,
          ceilings: true,
          runtime: plannedRuntime(name),
        })),
      )
    let previous: Results | undefined
    try {
      previous = readResults(join(command.out, 'latest.json'))
    } catch {
      previous = undefined
    }
    console.log(describePlan(plans, command.profile, previous).text)
    return 0
  }
  const interrupt = new AbortController()
  const stop = (signal: NodeJS.Signals) => {
    if (interrupt.signal.aborted) return
    console.error(`\n${signal}: stopping; the previous results are left as they were`)
    interrupt.abort()
    // Between cells the run stops by itself; in the middle of a ceiling it may not, so
    // after a grace period every process we started is killed and we leave.
    setTimeout(() => {
      killAll()
      process.exit(130)
    }, FORCED_EXIT_MS).unref()
  }
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
  const written: string[] = []
  for (const name of command.runtimes) {
    const started = performance.now()
    const runtime =
      name === DEFAULT_RUNTIME
        ? defaultRuntime()
        : prepareRuntime(name, { install: true, log: (line) => console.error(line) })
    if (runtime.unavailable)
      console.error(`${name}: ${runtime.unavailable}; its cells are recorded as failed`)
    const results = await runBench({
      root,
      profile: command.profile,
      seed: command.seed,
      contestants: command.contestants,
      filters: command.filters,
      baseline: command.baseline,
      aa: command.aa,
      ...(command.cpuProfile && { cpuProfileDir: join(command.out, 'profiles') }),
      ceilings: true,
      progress: process.stderr.isTTY ? barProgress() : lineProgress(),
      signal: interrupt.signal,
      runtime,
      ...(command.worldOnRuntime && { worldRuntime: runtime }),
    })
    if (interrupt.signal.aborted) return 130
    const paths = writeResults(command.out, results)
    written.push(paths.run)
    console.log(markdownSummary(results))
    const world = results.environment.runtime?.world
    if (world?.fallback)
      console.log(`\nthe mock world ran on ${world.name} ${world.version}: ${world.fallback}`)
    console.log(
      `\nresults (${runtime.name} ${runtime.version}): ${paths.latest} (${paths.run}); ${((performance.now() - started) / 1000).toFixed(0)} s on ${results.environment.cores} cores`,
    )
    const failed = results.cells.filter((c) => c.status === 'failed').length
    if (failed > 0)
      console.log(
        `${failed} cell(s) failed; they are recorded with their reasons and never charted as speeds`,
      )
  }
  if (written.length > 1)
    console.log(
      `\none report of all ${written.length} runtimes: pnpm --filter @arena/report build ${written.join(' ')}`,
    )
  return 0
}

// Run only as the command, so tests can import parseCommandLine.
if (import.meta.main)
  main().then(
    (code) => {
      process.exitCode = code
    },
    (error: unknown) => {
      console.error(
        error instanceof UsageError
          ? `arena: ${error.message}`
          : `arena: ${error instanceof Error ? error.message : String(error)}`,
      )
      process.exitCode = error instanceof UsageError ? 2 : 1
    },
  )
