/**
 * scanPort, RxJS style: `mergeMap(…, concurrency)` over the ports, each
 * connect probe an Observable over core's TCP primitive. The `timeout`
 * operator's `with` turns silence into an answer: a port that has not answered
 * by `timeoutMs` is `filtered`, and switching away unsubscribes the probe,
 * which destroys its socket.
 */
import {
  checkRunOptions,
  checkScanInput,
  type RunOptions,
  type ScanInput,
  type ScanResult,
  type ScanValue,
  tcpProbe,
} from '@arena/core'
import { lastValueFrom, map, type Observable, of, timeout } from 'rxjs'
import { fromAbortable } from './from-abortable.ts'
import { inInputOrder, mapOutcomes } from './outcomes.ts'

/** One connect probe of `host:port`: emits the port's state, or errors if the connect fails otherwise. */
export function probe(host: string, port: number, timeoutMs: number): Observable<ScanValue> {
  return fromAbortable((signal) => tcpProbe(host, port, { signal })).pipe(
    timeout({ first: timeoutMs, with: () => of('filtered' as const) }),
    map((state): ScanValue => ({ state })),
  )
}

/** Probes every port with at most `concurrency` connects in flight. */
export async function scanPort(input: ScanInput, options: RunOptions): Promise<ScanResult> {
  checkScanInput(input)
  const { concurrency, timeoutMs, signal } = checkRunOptions(options)
  const { host, ports } = input
  return lastValueFrom(
    mapOutcomes(ports, concurrency, (port) => probe(host, port, timeoutMs)).pipe(
      inInputOrder(ports.length, signal),
    ),
  )
}
