/**
 * Runs one cell once, in a fresh child process under the cell's runtime
 * (runtimes.ts: Node 24 by default, or node22, node26, bun, deno — the same
 * JSON IPC for all), under a watchdog. Whatever the child does — crash, hang,
 * flood its output, send garbage, answer wrongly — and whatever its runtime
 * cannot do (be found, start, run the module) comes back as data: a sample,
 * or a failure with its reason. Nothing a contestant or a runtime does can
 * stop the suite.
 */
import { fork } from 'node:child_process'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { CellFailure, Sample } from '@arena/core'
import { SampleSchema } from '@arena/core/results'
import { safeParse } from 'valibot'
import type { ChildJob, ChildReply } from './child.ts'
import { killTree, track } from './children.ts'
import { DEFAULT_RUNTIME, launchOf } from './runtimes.ts'

const childMain = fileURLToPath(new URL('./child-entry.js', import.meta.url))

/** The last bytes of a child's stderr kept for a failure message. */
const STDERR_TAIL_BYTES = 2048

/**
 * The last lines of a child's stderr that say something: stack frames, code
 * frames and the runtime's version banner (Node's and bun's last lines) left out.
 */
export function stderrTail(stderr: string, lines = 3): string {
  return stderr
    .split('\n')
    .map((l) => l.trim())
    .filter(
      (l) =>
        l !== '' &&
        !/^at\s/.test(l) &&
        !/^\d*\s*\|/.test(l) &&
        !/^\^+$/.test(l) &&
        !/^(Node\.js|Bun) v\d/.test(l),
    )
    .slice(-lines)
    .join(' | ')
}

/** Options of one spawn. */
export interface SpawnOptions {
  /** The watchdog kills the child after this long, ms. */
  readonly deadlineMs: number
  /** Write a V8 CPU profile of the child into this directory. */
  readonly cpuProfileDir?: string
  /** Child module to run instead of the real one (tests). */
  readonly childModule?: string
  /** Kills the child at once (the run is being interrupted). */
  readonly signal?: AbortSignal
}

/** What one run gave: a sample or a failure, and the CPU profile written, if any. */
export type SpawnResult =
  | { readonly sample: Sample; readonly profile?: string }
  | { readonly failure: CellFailure }

/** Runs `job` in a fresh child and resolves with what happened; never rejects. */
export function spawnCell(job: ChildJob, options: SpawnOptions): Promise<SpawnResult> {
  const profileName = `${job.cell.id.replaceAll(/[^a-zA-Z0-9-]+/g, '_')}-r${job.round}.cpuprofile`
  const runtime = job.cell.runtime
  if (runtime?.unavailable)
    return Promise.resolve({ failure: { reason: 'error', message: runtime.unavailable } })
  const launch = launchOf(runtime?.name ?? DEFAULT_RUNTIME)
  if ('missing' in launch)
    return Promise.resolve({ failure: { reason: 'error', message: launch.missing } })
  // The runtime's flags include --expose-gc: the child levels the heap before each timed call.
  const execArgv = [
    ...launch.args,
    ...(options.cpuProfileDir && launch.cpuProfile
      ? ['--cpu-prof', `--cpu-prof-dir=${options.cpuProfileDir}`, `--cpu-prof-name=${profileName}`]
      : []),
  ]
  const child = track(
    fork(options.childModule ?? childMain, [], {
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      execPath: launch.executable,
      execArgv,
      env: { ...process.env, ...launch.env },
      // JSON: the serialisation every runtime's IPC with a Node parent speaks.
      serialization: 'json',
      // Its own process group, so the watchdog's kill reaches what it started (nmap) too.
      detached: true,
    }),
  )
  let stderr = ''
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-STDERR_TAIL_BYTES)
  })
  return new Promise((resolve) => {
    let settled: SpawnResult | undefined
    const finish = (result: SpawnResult) => {
      settled ??= result
    }
    const watchdog = setTimeout(() => {
      finish({
        failure: {
          reason: 'hang',
          message: `no answer within ${Math.round(options.deadlineMs / 1000)} s; killed by the watchdog`,
        },
      })
      killTree(child)
    }, options.deadlineMs)
    child.on('message', (reply: ChildReply) => {
      if (reply?.type === 'error')
        return finish({ failure: { reason: 'error', message: reply.message } })
      const parsed = reply?.type === 'result' ? safeParse(SampleSchema, reply.sample) : undefined
      if (!parsed?.success)
        return finish({
          failure: {
            reason: 'garbage',
            message: 'the child sent a message that is not a valid result',
          },
        })
      const sample = parsed.output
      if (!sample.verdict.ok)
        return finish({
          failure: {
            reason: sample.verdict.limit ? 'limit-exceeded' : 'wrong-answer',
            message: sample.verdict.summary,
          },
        })
      finish({
        sample,
        ...(options.cpuProfileDir && { profile: join(options.cpuProfileDir, profileName) }),
      })
    })
    const interrupt = () => {
      finish({ failure: { reason: 'error', message: 'the run was interrupted' } })
      killTree(child)
    }
    if (options.signal?.aborted) interrupt()
    options.signal?.addEventListener('abort', interrupt, { once: true })
    child.once('error', (error) => {
      finish({ failure: { reason: 'crash', message: `${launch.name}: ${error.message}` } })
      // A binary that never started has no exit to wait for.
      if (child.pid === undefined) {
        clearTimeout(watchdog)
        options.signal?.removeEventListener('abort', interrupt)
        resolve(settled as SpawnResult)
      }
    })
    // A job that cannot be sent means the child is going or gone: its exit, with its stderr's
    // reason (a runtime that cannot run the module), says why, and the watchdog backs it.
    let unsent: Error | undefined
    child.send(job, (error) => {
      unsent = error ?? undefined
    })
    child.once('exit', (code, signal) => {
      clearTimeout(watchdog)
      options.signal?.removeEventListener('abort', interrupt)
      const last = stderrTail(stderr) || (unsent && `the job could not be sent (${unsent.message})`)
      const under =
        runtime && runtime.name !== DEFAULT_RUNTIME ? ` (${runtime.name} ${runtime.version})` : ''
      finish({
        failure: {
          reason: 'crash',
          message: `the child${under} exited (${signal ?? `code ${code}`}) without an answer${last ? `: ${last}` : ''}`,
        },
      })
      resolve(settled as SpawnResult)
    })
  })
}
