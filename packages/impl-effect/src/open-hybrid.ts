/**
 * `open` of the `hybrid` variant: `ScanThreads` of `max(1, parallelism)`
 * scan worker threads built once into the instance's runtime, ready when
 * every thread has loaded (each loads Effect, so this is where the instance
 * saves most). A call scans on as many of them as it has chunks; an aborted
 * call cancels its jobs by message, so its threads stay for the next.
 */
import type { Instance, OpenOptions } from '@arena/core'
import { openInstance } from './instance.ts'
import { ScanThreads, scanPortHybridCall, scanThreads } from './scan-port-hybrid.ts'
import { allReady } from './threads.ts'

/** Opens the hybrid variant for `options`. */
export const openHybrid = (options: OpenOptions): Promise<Instance> =>
  openInstance(options, ({ parallelism }: OpenOptions) => ({
    workloads: (bind) => ({
      scanPort: bind(
        'scanPort',
        scanPortHybridCall,
        scanThreads(Math.max(1, parallelism), true),
        ScanThreads.use(allReady),
      ),
    }),
  }))
