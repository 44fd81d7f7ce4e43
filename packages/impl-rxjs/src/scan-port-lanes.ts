/**
 * scanPort, tuned: the default variant's probe stream run in lanes
 * (`mapOutcomesInLanes`) rather than one `mergeMap` over 65,535 ports, whose
 * per-item bookkeeping costs grow with the input and the concurrency.
 */
import {
  checkRunOptions,
  checkScanInput,
  type RunOptions,
  type ScanInput,
  type ScanResult,
} from '@arena/core'
import { lastValueFrom } from 'rxjs'
import { mapOutcomesInLanes } from './lanes.ts'
import { inInputOrder } from './outcomes.ts'
import { probe } from './probe.ts'

/** Probes every port in `concurrency` lanes. */
export async function scanPortLanes(input: ScanInput, options: RunOptions): Promise<ScanResult> {
  checkScanInput(input)
  const checked = checkRunOptions(options)
  const { concurrency, timeoutMs, onStart } = checked
  const { host, ports } = input
  return lastValueFrom(
    mapOutcomesInLanes(ports, concurrency, (port) => probe(host, port, timeoutMs), onStart).pipe(
      inInputOrder(ports.length, checked),
    ),
  )
}
