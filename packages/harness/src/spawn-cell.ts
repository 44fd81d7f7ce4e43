/**
 * Runs one cell once, in a fresh child process, under a watchdog. Whatever the
 * child does — crash, hang, flood its output, send garbage, answer wrongly —
 * comes back as data: a sample, or a failure with its reason. Nothing a
 * contestant does can stop the suite.
 */
import { fork } from 'node:child_process'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { CellFailure, Sample } from '@arena/core'
import { SampleSchema } from '@arena/core/results'
import { safeParse } from 'valibot'
import type { ChildJob, ChildReply } from './child.ts'
import { track } from './children.ts'

const childMain = fileURLToPath(new URL('./child.ts', import.meta.url))

/** The last bytes of a child's stderr kept for a failure message. */
const STDERR_TAIL_BYTES = 2048

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
  // --expose-gc: the child levels the heap before each timed call, outside the clocks.
  const execArgv = [
    '--expose-gc',
    ...(options.cpuProfileDir
      ? ['--cpu-prof', `--cpu-prof-dir=${options.cpuProfileDir}`, `--cpu-prof-name=${profileName}`]
      : []),
  ]
  const child = track(
    fork(options.childModule ?? childMain, [], {
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      execArgv,
      serialization: 'advanced',
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
      child.kill('SIGKILL')
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
      child.kill('SIGKILL')
    }
    if (options.signal?.aborted) interrupt()
    options.signal?.addEventListener('abort', interrupt, { once: true })
    child.once('error', (error) => finish({ failure: { reason: 'crash', message: error.message } }))
    child.send(job, (error) => {
      if (error)
        finish({
          failure: { reason: 'crash', message: `could not send the job: ${error.message}` },
        })
    })
    child.once('exit', (code, signal) => {
      clearTimeout(watchdog)
      options.signal?.removeEventListener('abort', interrupt)
      const last = stderr.trim().split('\n').slice(-3).join(' | ')
      finish({
        failure: {
          reason: 'crash',
          message: `the child exited (${signal ?? `code ${code}`}) without an answer${last ? `: ${last}` : ''}`,
        },
      })
      resolve(settled as SpawnResult)
    })
  })
}
