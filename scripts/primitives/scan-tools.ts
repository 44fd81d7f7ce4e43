/**
 * The scan group of the primitives benchmark: every port from 1 to 65535 on
 * the world's host at concurrency 500, 500 ms per connect. The reference is
 * the harness's ceiling connect loop (raw `net.connect` lanes driven by the
 * sockets' callbacks, a cleared timer per probe, errors built without stack
 * traces while it runs). Against it: the same loop with Node's stack traces
 * left on (what a library may not change for the whole process), and lanes of
 * core's `tcpProbe` as a contestant writes them, with the cleared-timer
 * deadline and with the `AbortSignal.timeout` idiom. An answer counts when
 * every fixture port has its state; a port that failed (other processes on
 * this machine open and close sockets too) is counted and shown, not fatal.
 */
import { connect } from 'node:net'
import {
  deadline,
  disposableDeadline,
  type Failure,
  failed,
  failureOf,
  type Outcome,
  type ScanValue,
  success,
  tcpProbe,
} from '../../packages/core/src/index.ts'
import { scanPorts } from '../../packages/harness/src/ceiling/scan-port.ts'
import { lanes } from './fetch-tools.ts'
import { interleave, type Timings } from './interleave.ts'

/** The point measured. */
export const SCAN_POINT = { concurrency: 500, timeoutMs: 500 }

export const CEILING_SCAN = 'ceiling connect loop (harness)'
export const RAW_WITH_STACKS = 'raw connect loop, stack traces on'
export const CORE_PROBE = 'tcpProbe + disposableDeadline'
export const CORE_PROBE_IDIOM = 'tcpProbe + deadline (timeout+any)'

/** Where the world's fixture is and what it holds. */
export interface Fixture {
  readonly host: string
  readonly open: readonly number[]
  readonly filtered: readonly number[]
}

/** Raw connect lanes as the ceiling runs them, but with Node's stack traces left as they are. */
function rawConnectLoop(
  host: string,
  ports: readonly number[],
  concurrency: number,
  timeoutMs: number,
): Promise<Outcome<ScanValue>[]> {
  const outcomes = new Array<Outcome<ScanValue>>(ports.length)
  let next = 0
  let settled = 0
  return new Promise((resolve) => {
    const launch = () => {
      if (next >= ports.length) return
      const index = next++
      const socket = connect({ host, port: ports[index] as number })
      let done = false
      const answer = (outcome: Outcome<ScanValue>) => {
        if (done) return
        done = true
        clearTimeout(timer)
        outcomes[index] = outcome
        if (++settled === ports.length) resolve(outcomes)
        else launch()
      }
      // The verdict waits for the poll phase: an answer already delivered wins.
      const timer = setTimeout(
        () =>
          setImmediate(() => {
            if (done) return
            socket.destroy()
            answer(success({ state: 'filtered' }))
          }),
        timeoutMs,
      )
      socket.once('connect', () => {
        const self =
          socket.localPort === socket.remotePort && socket.localAddress === socket.remoteAddress
        socket.resetAndDestroy()
        answer(success({ state: self ? 'closed' : 'open' }))
      })
      socket.on('error', (error: NodeJS.ErrnoException) => {
        socket.destroy()
        answer(
          error.code === 'ECONNREFUSED' ? success({ state: 'closed' }) : failed(failureOf(error)),
        )
      })
    }
    for (let lane = 0; lane < Math.min(concurrency, ports.length); lane++) launch()
  })
}

/** Throws unless `answer` has one outcome per port and every fixture port right. */
function checkScan(tool: string, answer: unknown, fixture: Fixture, ports: number): void {
  const outcomes = answer as Outcome<ScanValue>[]
  if (outcomes.length !== ports) throw new Error(`${tool}: ${outcomes.length} outcomes`)
  const stateOf = (port: number) => {
    const outcome = outcomes[port - 1]
    return outcome?.ok ? outcome.value.state : outcome?.failure.kind
  }
  const wrong = [
    ...fixture.open.map((port) => [port, 'open'] as const),
    ...fixture.filtered.map((port) => [port, 'filtered'] as const),
  ].filter(([port, state]) => stateOf(port) !== state)
  if (wrong.length > 0) {
    const detail = wrong.map(([port, state]) => `${port} ${stateOf(port)} (not ${state})`)
    throw new Error(`${tool}: fixture ports wrong: ${detail.join(', ')}`)
  }
}

/** Runs the scan group for `rounds` rounds against the fixture; also returns the last answer's tally per tool. */
export async function measureScan(
  fixture: Fixture,
  rounds: number,
): Promise<{ timings: Timings; tallies: Map<string, Record<string, number>> }> {
  const { concurrency, timeoutMs } = SCAN_POINT
  const { host } = fixture
  const ports = Array.from({ length: 65535 }, (_, i) => i + 1)
  const run = { concurrency, parallelism: 0, timeoutMs }
  const tallies = new Map<string, Record<string, number>>()
  const timings = await interleave(
    {
      [CEILING_SCAN]: () => scanPorts({ host, ports }, run),
      [RAW_WITH_STACKS]: () => rawConnectLoop(host, ports, concurrency, timeoutMs),
      // The two lanes differ only in their deadline line, as a contestant would write each.
      [CORE_PROBE]: () =>
        lanes(ports.length, concurrency, async (i): Promise<Outcome<ScanValue>> => {
          using limit = disposableDeadline(timeoutMs)
          try {
            return success({ state: await tcpProbe(host, ports[i] as number, { signal: limit }) })
          } catch (error) {
            const failure = failureOf(error, limit)
            return failure.kind === 'timeout' ? success({ state: 'filtered' }) : failed(failure)
          }
        }),
      [CORE_PROBE_IDIOM]: () =>
        lanes(ports.length, concurrency, async (i): Promise<Outcome<ScanValue>> => {
          const limit = deadline(timeoutMs, undefined)
          try {
            return success({ state: await tcpProbe(host, ports[i] as number, { signal: limit }) })
          } catch (error) {
            const failure = failureOf(error, limit)
            return failure.kind === 'timeout' ? success({ state: 'filtered' }) : failed(failure)
          }
        }),
    },
    rounds,
    (tool, answer) => {
      checkScan(tool, answer, fixture, ports.length)
      const tally: Record<string, number> = { open: 0, closed: 0, filtered: 0 }
      for (const outcome of answer as Outcome<ScanValue>[]) {
        const { failure } = outcome as { failure?: Failure }
        let key = outcome.ok ? outcome.value.state : String(failure?.kind)
        if (failure?.kind === 'network') key = `network:${failure.code}`
        tally[key] = (tally[key] ?? 0) + 1
      }
      tallies.set(tool, tally)
    },
  )
  return { timings, tallies }
}
