/**
 * One connect probe as an Observable over core's TCP primitive, the unit of
 * every scan here (default, lanes, and the hybrid's workers). The `timeout`
 * operator's `with` turns silence into an answer: a port that has not
 * answered by `timeoutMs` is `filtered`, and switching away unsubscribes the
 * probe, which destroys its socket.
 */
import { type ScanValue, tcpProbe } from '@arena/core'
import { map, type Observable, of, timeout } from 'rxjs'
import { fromAbortable } from './from-abortable.ts'

/** One connect probe of `host:port`: emits the port's state, or errors if the connect fails otherwise. */
export function probe(host: string, port: number, timeoutMs: number): Observable<ScanValue> {
  return fromAbortable((signal) => tcpProbe(host, port, { signal })).pipe(
    timeout({ first: timeoutMs, with: () => of('filtered' as const) }),
    map((state): ScanValue => ({ state })),
  )
}
