/**
 * The mock world in its own process, as the harness uses it: started once per
 * run, torn down on exit, on a signal, or if the harness dies (the world exits
 * when its IPC channel closes). What the world is (its origin, host and
 * fixture ports) is the kit's `MockWorldInfo`, the one description every user
 * of the world shares; `World` adds the process around it.
 */
import { type ChildProcess, fork } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import type { MockWorldInfo } from '@arena/kit/mock-world'
import type { WorldReady } from '@arena/kit/mock-world-main'
import { track } from './children.ts'

/** A running mock world process. */
export interface World {
  /** Where the world is, as its process reported it. */
  readonly ready: MockWorldInfo
  readonly process: ChildProcess
  /** Has the world run a full garbage collection; resolves when it is done (or after 2 s). */
  collectGarbage(): Promise<void>
  close(): Promise<void>
}

const main = fileURLToPath(import.meta.resolve('@arena/kit/mock-world-main'))

/** Starts the mock world process and waits for its `ready` message (at most `timeoutMs`). */
export function startWorld(timeoutMs = 30_000): Promise<World> {
  const child = track(
    fork(main, [], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'], execArgv: ['--expose-gc'] }),
  )
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`The mock world did not start within ${timeoutMs} ms`))
    }, timeoutMs)
    const onEarlyExit = (code: number | null) => {
      clearTimeout(timer)
      reject(new Error(`The mock world exited with code ${code} before it was ready`))
    }
    child.once('exit', onEarlyExit)
    child.once('message', ({ type: _, ...ready }: WorldReady) => {
      clearTimeout(timer)
      // Only this listener: children.ts tracks the world by its own exit listener.
      child.off('exit', onEarlyExit)
      resolve({
        ready,
        process: child,
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
