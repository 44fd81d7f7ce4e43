/**
 * The nmap ceiling of `scanPort`: `nmap -sT` (a full connect scan, as every
 * contestant does) with its round-trip timeout pinned to the call's
 * `timeoutMs` — by default nmap adapts it down to about 100 ms on loopback —
 * and its parallelism pinned to the call's `concurrency`, no retries, no host
 * discovery, no DNS. Its XML report becomes one outcome per input port, in
 * input order, so the harness verifies nmap against the scan's ground truth
 * like any contestant. A state nmap names that a connect scan cannot have,
 * or a port it does not account for, is a `network` failure of that port:
 * loud, never a guess. Aborting the signal kills nmap.
 */
import { spawn } from 'node:child_process'
import { isIPv6 } from 'node:net'
import {
  checkRunOptions,
  checkScanInput,
  failed,
  failureOf,
  type Outcome,
  type RunOptions,
  type ScanInput,
  type ScanResult,
  type ScanValue,
  success,
} from '@arena/core'
import { formatPortList, parseNmapXml } from './nmap-xml.ts'

/** The longest `-p` argument passed: Linux caps one argument at 128 KiB. */
const MAX_PORT_LIST_CHARS = 100_000

/** The nmap arguments of a scan: what the ceiling runs, for its note in the results. */
export function nmapArgs(
  host: string,
  ports: readonly number[],
  concurrency: number,
  timeoutMs: number,
): string[] {
  const list = formatPortList(ports)
  if (list.length > MAX_PORT_LIST_CHARS) {
    throw new TypeError(
      `Expected ports nmap can take in one argument (at most ${MAX_PORT_LIST_CHARS} characters as ranges), got ${list.length}`,
    )
  }
  const rtt = `${timeoutMs}ms`
  return [
    '-sT',
    '-Pn',
    '-n',
    ...(isIPv6(host) ? ['-6'] : []),
    '--max-retries',
    '0',
    '--min-rtt-timeout',
    rtt,
    '--initial-rtt-timeout',
    rtt,
    '--max-rtt-timeout',
    rtt,
    '--min-parallelism',
    String(concurrency),
    '--max-parallelism',
    String(concurrency),
    '-p',
    list,
    '-oX',
    '-',
    host,
  ]
}

/** Runs nmap, resolving its XML report, or `undefined` as soon as `signal` aborts it. */
function runNmap(args: string[], signal: AbortSignal | undefined): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const child = spawn('nmap', args, { stdio: ['ignore', 'pipe', 'pipe'] })
    const out: Buffer[] = []
    const err: Buffer[] = []
    let aborted = false
    let failedToStart: NodeJS.ErrnoException | undefined
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk))
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk))
    const onAbort = () => {
      aborted = true
      // The answer is final now; the killed process exits (and is reaped) on its own.
      child.kill('SIGKILL')
      resolve(undefined)
    }
    signal?.addEventListener('abort', onAbort, { once: true })
    child.once('error', (error: NodeJS.ErrnoException) => {
      failedToStart = error
    })
    child.once('close', (code, killedBy) => {
      signal?.removeEventListener('abort', onAbort)
      if (failedToStart?.code === 'ENOENT') {
        return reject(
          new Error(
            'nmap is not installed; install the Debian package nmap (scripts/setup-system.ts does it as root) to measure the nmap ceiling',
          ),
        )
      }
      if (failedToStart) return reject(new Error(`nmap could not start: ${failedToStart.message}`))
      if (aborted) return
      if (code !== 0) {
        const said = Buffer.concat(err).toString('utf8').trim().split('\n').at(-1) ?? ''
        return reject(new Error(`nmap ended with ${killedBy ?? `code ${code}`}: ${said}`))
      }
      resolve(Buffer.concat(out).toString('utf8'))
    })
  })
}

const connectStates = new Set(['open', 'closed', 'filtered'])

/** Scans every port with nmap -sT, pinned to the call's timeout and concurrency. */
export async function nmapScan(input: ScanInput, options: RunOptions): Promise<ScanResult> {
  const { host, ports } = checkScanInput(input)
  const { concurrency, timeoutMs, signal, onOutcome } = checkRunOptions(options)
  const args = nmapArgs(host, ports, concurrency, timeoutMs)
  if (ports.length === 0) return []
  // One process answers every port at once: each outcome is reported as the report is read.
  const report = (outcomes: Outcome<ScanValue>[]) => {
    if (onOutcome) for (const [index, outcome] of outcomes.entries()) onOutcome(index, outcome)
    return outcomes
  }
  const abortedAll = () => report(ports.map(() => failed(failureOf(signal?.reason, signal))))
  if (signal?.aborted) return abortedAll()
  const xml = await runNmap(args, signal)
  if (xml === undefined) return abortedAll()
  const states = parseNmapXml(xml, ports)
  return report(
    ports.map((port): Outcome<ScanValue> => {
      const state = states.get(port)
      if (state !== undefined && connectStates.has(state))
        return success({ state: state as ScanValue['state'] })
      return failed({
        kind: 'network',
        code: state === undefined ? 'NMAP_UNREPORTED' : 'NMAP_STATE',
        message:
          state === undefined
            ? `nmap did not report port ${port}`
            : `nmap said port ${port} is ${state}`,
      })
    }),
  )
}
