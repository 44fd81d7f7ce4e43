/**
 * scanPort, raw-promise style: `concurrency` lanes of connect probes, each
 * under its own deadline. A probe cut off by its own timeout means nothing
 * answered: the port is `filtered`. An abort of the run is `aborted`. Each
 * outcome is reported as its lane stores it. It keeps nothing between calls:
 * a probe is one connect.
 */
import {
  abortedFailure,
  checkScanInput,
  failed,
  failureOf,
  type Outcome,
  type ScanValue,
  success,
  tcpProbe,
} from '@arena/core'
import { clearedTimers, type Deadlines, timeoutSignals } from './deadlines.ts'
import { oneShot, type Step } from './lifecycle.ts'
import { mapConcurrent } from './limit.ts'
import { Resources } from './resources.ts'

/** scanPort on what the variant keeps (nothing it uses), each probe under a deadline from `deadlines`. */
const scanPortWith = (deadlines: Deadlines): Step<Resources, 'scanPort'> => ({
  check: checkScanInput,
  run(_kept, { host, ports }, { concurrency, timeoutMs, signal, onStart, onOutcome }) {
    const probe = async (port: number, index: number): Promise<Outcome<ScanValue>> => {
      if (signal?.aborted) return failed(abortedFailure)
      const limit = deadlines.open(timeoutMs, signal)
      onStart?.(index)
      try {
        return success({ state: await tcpProbe(host, port, { signal: limit }) })
      } catch (error) {
        const failure = failureOf(error, limit)
        return failure.kind === 'timeout' ? success({ state: 'filtered' }) : failed(failure)
      } finally {
        deadlines.release(limit)
      }
    }
    return mapConcurrent(ports, concurrency, probe, onOutcome)
  },
})

/** scanPort with the idiom's deadlines. */
export const scanPortOn = scanPortWith(timeoutSignals)
/** scanPort with cleared timers. */
export const scanPortTunedOn = scanPortWith(clearedTimers)

/** Probes every port with at most `concurrency` connects in flight. */
export const scanPort = oneShot((options) => new Resources(options), scanPortOn)
/** The same with each probe's deadline a timer cleared when it ends. */
export const scanPortTuned = oneShot((options) => new Resources(options), scanPortTunedOn)
