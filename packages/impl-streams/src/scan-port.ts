/**
 * scanPort, streams style: `Readable.from(ports).map(fn, { concurrency,
 * signal })` over connect probes, each under its own deadline. A probe cut off
 * by its own deadline means nothing answered: the port is `filtered`; an abort
 * of the run is `aborted`. It keeps nothing between calls: a probe is one
 * connect. This is where the ordered map costs most: a filtered port at the
 * head of the map holds its `2 × concurrency − 1` slots for the whole
 * `timeoutMs` while every closed port behind it answered long ago.
 */
import { Readable } from 'node:stream'
import {
  checkScanInput,
  deadline,
  failed,
  failureOf,
  type Outcome,
  type ScanValue,
  success,
  tcpProbe,
} from '@arena/core'
import { Ledger } from './ledger.ts'
import { oneShot, type Step } from './lifecycle.ts'

/**
 * One port as an outcome: a connect under a deadline of `timeoutMs` joined to
 * `signal`; `started` is called as the connect starts.
 */
export async function probeOne(
  host: string,
  port: number,
  timeoutMs: number,
  signal: AbortSignal | undefined,
  started?: () => void,
): Promise<Outcome<ScanValue>> {
  const limit = deadline(timeoutMs, signal)
  started?.()
  try {
    return success({ state: await tcpProbe(host, port, { signal: limit }) })
  } catch (error) {
    const failure = failureOf(error, limit)
    return failure.kind === 'timeout' ? success({ state: 'filtered' }) : failed(failure)
  }
}

/** scanPort on the kept resources (it uses none). */
export const scanPortOn: Step<'scanPort'> = {
  check: checkScanInput,
  run(_kept, { host, ports }, { concurrency, timeoutMs, signal, onStart, onOutcome }) {
    const ledger = new Ledger<ScanValue>(ports.length, onOutcome)
    const probes = Readable.from(ports).map(
      ledger.each((port: number, index) =>
        probeOne(host, port, timeoutMs, signal, onStart && (() => onStart(index))),
      ),
      { concurrency, signal },
    )
    return ledger.collect(probes, signal)
  },
}

/** Probes every port with at most `concurrency` connects in flight. */
export const scanPort = oneShot(scanPortOn)
