/**
 * The mock world in its own process, as the harness uses it: started once per
 * run, torn down on exit, on a signal, or if the harness dies (the world exits
 * when its IPC channel closes). It runs on the harness's Node 24, or under
 * another runtime when asked (runtimes.ts; `arena --world runtime`), with the
 * same JSON IPC as a cell's child; a runtime that cannot run it (bun: its port
 * fixture cannot hold a listener's accept queue full) leaves it on the
 * harness's Node, and the world says so with that runtime's reason, for the
 * results to record. What the world is (its origin, host and fixture
 * ports) is the kit's `MockWorldInfo`, the one description every user of the
 * world shares; `World` adds the process around it.
 */
import { type ChildProcess, fork } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import type { MockWorldInfo } from '@arena/kit/mock-world'
import type { WorldReady } from '@arena/kit/mock-world-main'
import { track } from './children.ts'
import {
  DEFAULT_RUNTIME,
  defaultRuntime,
  type Launch,
  launchOf,
  type PreparedRuntime,
  type RuntimeTag,
} from './runtimes.ts'
import { stderrTail } from './spawn-cell.ts'

/** The runtime the world ran under, and why not the run's, when it could not. */
export interface WorldRuntime extends RuntimeTag {
  /** Why the run's runtime could not run the world, which then ran on the harness's Node. */
  readonly fallback?: string
}

/** A running mock world process. */
export interface World {
  /** Where the world is, as its process reported it. */
  readonly ready: MockWorldInfo
  readonly process: ChildProcess
  readonly runtime: WorldRuntime
  /** Has the world run a full garbage collection; resolves when it is done (or after 2 s). */
  collectGarbage(): Promise<void>
  close(): Promise<void>
}

const main = fileURLToPath(import.meta.resolve('@arena/kit/mock-world-main'))

/**
 * Starts the mock world under `runtime` (the harness's Node when absent) and
 * waits for its `ready` message (at most `timeoutMs`); when that runtime
 * cannot run it, starts it on the harness's Node and records why.
 */
export async function startWorld(runtime?: PreparedRuntime, timeoutMs = 30_000): Promise<World> {
  if (!runtime || runtime.name === DEFAULT_RUNTIME) return startOn(nodeLaunch(), timeoutMs)
  const launch = runtime.unavailable ? { missing: runtime.unavailable } : launchOf(runtime.name)
  if ('missing' in launch)
    return startOn(nodeLaunch(), timeoutMs, `${runtime.name} is unavailable: ${launch.missing}`)
  try {
    return await startOn(launch, timeoutMs, undefined, runtime.version)
  } catch (error) {
    return startOn(nodeLaunch(), timeoutMs, (error as Error).message)
  }
}

function nodeLaunch(): Launch {
  const launch = launchOf(DEFAULT_RUNTIME)
  if ('missing' in launch) throw new Error(launch.missing)
  return launch
}

function startOn(
  launch: Launch,
  timeoutMs: number,
  fallback?: string,
  version = defaultRuntime().version,
): Promise<World> {
  const child = track(
    fork(main, [], {
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      execPath: launch.executable,
      execArgv: [...launch.args],
      env: { ...process.env, ...launch.env },
      serialization: 'json',
    }),
  )
  // The world's stderr goes on to ours, as before; its tail is kept for a failure to start.
  let stderr = ''
  const onStderr = (chunk: Buffer) => {
    process.stderr.write(chunk)
    stderr = (stderr + chunk.toString()).slice(-2048)
  }
  child.stderr?.on('data', onStderr)
  const under = launch.name === DEFAULT_RUNTIME ? '' : ` under ${launch.name}`
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`The mock world did not start${under} within ${timeoutMs} ms`))
    }, timeoutMs)
    const onEarlyExit = (code: number | null, signal: NodeJS.Signals | null) => {
      clearTimeout(timer)
      const last = stderrTail(stderr)
      reject(
        new Error(
          `The mock world exited${under} (${signal ?? `code ${code}`}) before it was ready${last ? `: ${last}` : ''}`,
        ),
      )
    }
    const onError = (error: Error) => {
      clearTimeout(timer)
      reject(new Error(`The mock world could not be started${under}: ${error.message}`))
    }
    child.once('exit', onEarlyExit)
    child.once('error', onError)
    child.once('message', ({ type: _, ...ready }: WorldReady) => {
      clearTimeout(timer)
      // Only this listener: children.ts tracks the world by its own exit listener.
      child.off('exit', onEarlyExit)
      child.off('error', onError)
      resolve({
        ready,
        process: child,
        runtime: { name: launch.name, version, ...(fallback && { fallback }) },
        collectGarbage: () =>
          new Promise<void>((done) => {
            if (!child.connected) return done()
            const timer = setTimeout(finish, 2000)
            function finish() {
              clearTimeout(timer)
              child.off('message', onMessage)
              done()
            }
            function onMessage(message: { type?: string }) {
              if (message?.type === 'gc-done') finish()
            }
            child.on('message', onMessage)
            child.send({ type: 'gc' })
          }),
        close: () =>
          new Promise<void>((done) => {
            if (child.exitCode !== null || child.signalCode !== null) return done()
            const kill = setTimeout(() => child.kill('SIGKILL'), 3000)
            child.once('exit', () => {
              clearTimeout(kill)
              done()
            })
            child.send({ type: 'close' })
          }),
      })
    })
  })
}
