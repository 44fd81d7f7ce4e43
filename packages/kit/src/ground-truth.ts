/**
 * The ground truth of a loopback scan: what every port's state really is. It
 * must count every TCP listener reachable at the scanned address, not only
 * ours, and it must survive a busy machine where other processes open and
 * close listeners while a scan runs (turbo runs several test projects at once,
 * each with its own mock world).
 *
 * Linux lists listeners in /proc/net/tcp and /proc/net/tcp6 (state 0A) with
 * their accept queue's current length; `ss` (iproute2) adds each listener's
 * backlog. A listener whose queue is longer than its backlog drops SYNs: its
 * port is `filtered`, whoever owns it. A {@link TruthRecorder} polls during a
 * scan and keeps every state each port was seen in, so a port that changed
 * mid-scan accepts any state it really had.
 */
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import type { Outcome, PortState, ScanValue } from '@arena/core'

const LISTEN = '0A'

function reachableAt(hexAddress: string, host: string): boolean {
  if (hexAddress.length === 8) {
    // IPv4, little-endian hex: 0100007F is 127.0.0.1, 00000000 is 0.0.0.0.
    const octets = (hexAddress.match(/../g) ?? []).map((h) => Number.parseInt(h, 16)).reverse()
    const address = octets.join('.')
    return address === '0.0.0.0' || address === host
  }
  // IPv6 `::` also accepts IPv4 unless the socket is v6-only, which /proc does not show.
  if (/^0+$/.test(hexAddress)) return true
  // `::ffff:a.b.c.d`, an IPv4-mapped address.
  if (hexAddress.startsWith('0000000000000000FFFF0000'))
    return reachableAt(hexAddress.slice(24), host)
  return false
}

/** Listening ports reachable at `host` (IPv4 loopback) and the length of each one's accept queue, read from /proc now. */
export function listenerQueues(host = '127.0.0.1'): Map<number, number> {
  const queues = new Map<number, number>()
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string
    try {
      text = readFileSync(file, 'utf8')
    } catch {
      continue
    }
    for (const line of text.split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/)
      if (fields[3] !== LISTEN || !fields[1] || !fields[4]) continue
      const [address, port] = fields[1].split(':')
      const queued = Number.parseInt(fields[4].split(':')[1] ?? '0', 16)
      if (address && port && reachableAt(address, host)) {
        const p = Number.parseInt(port, 16)
        queues.set(p, Math.max(queues.get(p) ?? 0, queued))
      }
    }
  }
  return queues
}

/**
 * Each listener's backlog (the longest accept queue it allows), from `ss -Hltn`.
 * Empty when iproute2's `ss` is not installed: then no foreign port is known to be filtered.
 */
export function listenerBacklogs(): Map<number, number> {
  const backlogs = new Map<number, number>()
  let text: string
  try {
    text = execFileSync('ss', ['-Hltn'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
  } catch {
    return backlogs
  }
  for (const line of text.split('\n')) {
    // State Recv-Q Send-Q Local:Port Peer:Port; for a listener Send-Q is its backlog.
    const fields = line.trim().split(/\s+/)
    const port = Number(fields[3]?.slice(fields[3].lastIndexOf(':') + 1))
    const backlog = Number(fields[2])
    if (Number.isInteger(port) && Number.isInteger(backlog))
      backlogs.set(port, Math.min(backlogs.get(port) ?? backlog, backlog))
  }
  return backlogs
}

/** The state of every port now; ports not in the map are closed. `filtered` adds ports known to drop SYNs. */
export function portStates(
  host = '127.0.0.1',
  filtered: Iterable<number> = [],
): Map<number, PortState> {
  const backlogs = listenerBacklogs()
  const states = new Map<number, PortState>()
  for (const [port, queued] of listenerQueues(host)) {
    const backlog = backlogs.get(port)
    states.set(port, backlog !== undefined && queued > backlog ? 'filtered' : 'open')
  }
  for (const port of filtered) states.set(port, 'filtered')
  return states
}

/** Every state each port was seen in while a recorder ran. */
export interface ObservedTruth {
  /** The states `port` had; `closed` alone for a port nobody listened on. */
  states(port: number): ReadonlySet<PortState>
}

/** A recording of the machine's listeners in progress (see {@link recordTruth}). */
export interface TruthRecorder {
  /**
   * Ends the recording and returns what it saw. Later calls return the same
   * truth, so a caller may stop it early (the scan threw) and still ask again.
   */
  stop(): ObservedTruth
}

/**
 * Polls the machine's listeners while a scan runs. Start it just before the
 * scan, stop it just after: the result accepts, for each port, any state the
 * port really had during the scan.
 */
export function recordTruth(
  options: { host?: string; filtered?: Iterable<number>; intervalMs?: number } = {},
): TruthRecorder {
  const host = options.host ?? '127.0.0.1'
  const filtered = [...(options.filtered ?? [])]
  const seen = new Map<number, Set<PortState>>()
  const backlogs = listenerBacklogs()
  let polls = 0
  const poll = () => {
    polls++
    const queues = listenerQueues(host)
    const ports = new Set([...queues.keys(), ...seen.keys()])
    for (const port of ports) {
      const queued = queues.get(port)
      const backlog = backlogs.get(port)
      const state: PortState =
        queued === undefined
          ? 'closed'
          : backlog !== undefined && queued > backlog
            ? 'filtered'
            : 'open'
      let states = seen.get(port)
      if (!states) {
        // A port first seen now was closed at every earlier poll.
        states = new Set<PortState>(polls > 1 ? ['closed'] : [])
        seen.set(port, states)
      }
      states.add(state)
    }
    for (const port of filtered) seen.set(port, new Set(['filtered']))
  }
  poll()
  const timer = setInterval(poll, options.intervalMs ?? 20)
  let truth: ObservedTruth | undefined
  return {
    stop(): ObservedTruth {
      if (truth) return truth
      clearInterval(timer)
      for (const [port, backlog] of listenerBacklogs())
        if (!backlogs.has(port)) backlogs.set(port, backlog)
      poll()
      const closed: ReadonlySet<PortState> = new Set(['closed'])
      truth = { states: (port) => seen.get(port) ?? closed }
      return truth
    },
  }
}

/** The state a scan answered for one port, if `answer` is a well-formed success; anything else reads as no answer. */
function answeredState(answer: unknown): unknown {
  if (typeof answer !== 'object' || answer === null) return undefined
  if (!('ok' in answer) || answer.ok !== true || !('value' in answer)) return undefined
  const { value } = answer
  return typeof value === 'object' && value !== null && 'state' in value ? value.state : undefined
}

function expectedOf(
  ports: readonly number[],
  truth: ObservedTruth,
  actual: unknown,
): Outcome<ScanValue>[] {
  const answers: readonly unknown[] = Array.isArray(actual) ? actual : []
  return ports.map((port, i) => {
    const states = [...truth.states(port)]
    const answered = answeredState(answers[i])
    const state = states.find((s) => s === answered) ?? states[0] ?? 'closed'
    return { ok: true, value: { state } }
  })
}

/**
 * The scan-truth check: the outcomes a scan of `ports` must have, by what
 * `recorder` saw of the machine while the scan ran (it is stopped here). Where
 * a port had several states during the scan, the contestant's answer `actual`
 * (the scan's result, taken as it came) is accepted if it is one of them; give
 * the returned outcomes and `actual` to `verifyOutcomes` for the verdict.
 */
export function expectedScanFromTruth(
  ports: readonly number[],
  recorder: TruthRecorder,
  actual: unknown,
): Outcome<ScanValue>[] {
  return expectedOf(ports, recorder.stop(), actual)
}
