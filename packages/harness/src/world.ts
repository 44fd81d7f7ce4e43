/**
 * The mock world in its own process, as the harness uses it: started once per
 * run, torn down on exit, on a signal, or if the harness dies (the world exits
 * when its IPC channel closes).
 */
import { type ChildProcess, fork } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import type { WorldReady } from '@arena/kit/mock-world-main'
import { track } from './children.ts'

/** A running mock world process. */
export interface World {
  readonly ready: WorldReady
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
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`The mock world exited with code ${code} before it was ready`))
    })
    child.once('message', (ready: WorldReady) => {
      clearTimeout(timer)
      child.removeAllListeners('exit')
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
