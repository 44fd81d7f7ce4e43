/**
 * scanPort, RxJS style: `mergeMap(…, concurrency)` over the ports, each one
 * connect `probe` whose `timeout` turns silence into `filtered`. A probe
 * leases nothing, so an instance's scan is the one-shot scan with its options
 * held to what the instance opened.
 */
import { checkScanInput, type Workloads } from '@arena/core'
import { lastValueFrom } from 'rxjs'
import type { ResourceSource } from './instance.ts'
import { inInputOrder, mapOutcomes } from './outcomes.ts'
import { probe } from './probe.ts'
import { oneShot, type Resources } from './resources.ts'

/** scanPort with its options checked by `source`: every port, at most `concurrency` connects in flight. */
export function scanPortOn(source: ResourceSource<Resources>): Workloads['scanPort'] {
  return async (input, options) => {
    checkScanInput(input)
    const checked = source.check(options)
    const { concurrency, timeoutMs, onStart } = checked
    const { host, ports } = input
    return lastValueFrom(
      mapOutcomes(ports, concurrency, (port) => probe(host, port, timeoutMs), onStart).pipe(
        inInputOrder(ports.length, checked),
      ),
    )
  }
}

/** Probes every port with at most `concurrency` connects in flight. */
export const scanPort: Workloads['scanPort'] = scanPortOn(oneShot)
