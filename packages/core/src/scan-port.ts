/**
 * The `scanPort` workload (I/O with timeouts): a TCP connect scan of loopback.
 * A port is `open` when the connect succeeds, `closed` when it is refused and
 * `filtered` when nothing answers before `timeoutMs`. Only loopback targets are
 * accepted, here in core, so nothing built on Arena can scan a network.
 */
import { expectLoopback } from './loopback.ts'
import type { Outcome } from './outcome.ts'
import { expectArray, expectInteger, expectObject } from './validate.ts'

/** What a port scan finds. */
export type PortState = 'open' | 'closed' | 'filtered'

/** Parameters of a scan spec: an inclusive port range on a loopback host. */
export interface ScanSpecParams {
  /** A loopback IP: 127.0.0.0/8 or ::1. Default `127.0.0.1`. */
  readonly host?: string
  /** First port, 1–65535. */
  readonly from: number
  /** Last port, `from`–65535. */
  readonly to: number
}

/** The `scanPort` workload's spec. */
export interface ScanSpec {
  readonly workload: 'scanPort'
  readonly host: string
  readonly ports: readonly number[]
}

/** What a contestant's `scanPort` receives. */
export interface ScanInput {
  /** A loopback IP. */
  readonly host: string
  /** Ports to probe, in input order. */
  readonly ports: readonly number[]
}

/** The state of one port: what the verifier checks. */
export interface ScanValue {
  readonly state: PortState
}

/** One outcome per port, in input order. */
export type ScanResult = readonly Outcome<ScanValue>[]

/**
 * Generates a scan spec.
 * @throws TypeError for a bad range or a non-loopback host
 */
export function scanSpec(params: ScanSpecParams): ScanSpec {
  const p = expectObject('params', params)
  const host = expectLoopback('host', p.host ?? '127.0.0.1')
  const from = expectInteger('from', p.from, 1, 65535)
  const to = expectInteger('to', p.to, from, 65535)
  return {
    workload: 'scanPort',
    host,
    ports: Array.from({ length: to - from + 1 }, (_, i) => from + i),
  }
}

/** The input of a contestant's `scanPort`. */
export function scanInput(spec: ScanSpec): ScanInput {
  return { host: spec.host, ports: spec.ports }
}

/**
 * Validates a contestant's `scanPort` input.
 * @throws TypeError for a non-loopback host or a port outside 1–65535
 */
export function checkScanInput(input: unknown): ScanInput {
  const i = expectObject('input', input)
  expectLoopback('input.host', i.host)
  for (const [n, port] of expectArray('input.ports', i.ports).entries()) {
    expectInteger(`input.ports[${n}]`, port, 1, 65535)
  }
  return input as ScanInput
}
