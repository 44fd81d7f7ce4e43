/**
 * What a cell is — one variant × workload × point — and how its spec is built
 * from a point and a seed. Shared by the runner (which schedules cells) and
 * the child (which builds the same spec again in its own process).
 */
import {
  type FetchSpec,
  fetchSpec,
  type HashSpec,
  hashSpec,
  type Latency,
  type PipelineSpec,
  type Point,
  pipelineSpec,
  type ScanSpec,
  scanSpec,
  type WorkloadId,
} from '@arena/core'

/** A cell as the runner schedules it and the child runs it. */
export interface CellPlan {
  /** `<impl>/<variant>/<workload>/<point>`, plus `@<name>` for an A/A twin. */
  readonly id: string
  readonly implementation: string
  readonly variant: string
  /** The variant actually run: differs from `variant` only for an A/A twin. */
  readonly runVariant: string
  readonly workload: WorkloadId
  readonly section: string
  readonly point: Point
  /** Absolute path of the contestant's implementation module. */
  readonly entry: string
}

/** A spec of any workload. */
export type AnySpec = FetchSpec | HashSpec | ScanSpec | PipelineSpec

function portRange(point: Point): { from: number; to: number } {
  const [from, to] = (point.ports ?? '1-1024').split('-').map(Number)
  return { from: from ?? 1, to: to ?? 1024 }
}

/** The spec of `point` for `workload`, from `seed`; `scale` shrinks it (for warm-up). */
export function specFor(workload: WorkloadId, point: Point, seed: number, scale = 1): AnySpec {
  const count = Math.max(1, Math.round(point.items * scale))
  const latency: Latency =
    point.latencyMs > 0 ? { kind: 'fixed', ms: point.latencyMs } : { kind: 'none' }
  const pages = {
    seed,
    count,
    bytes: point.bytes,
    latency,
    ...(point.faults && { faults: point.faults }),
  }
  switch (workload) {
    case 'fetch':
      return fetchSpec(pages)
    case 'pipeline':
      return pipelineSpec(pages)
    case 'hash':
      return hashSpec({
        seed,
        count,
        bytes: point.bytes,
        ...(point.faults && { faults: point.faults }),
      })
    case 'scanPort': {
      const { from, to } = portRange(point)
      return scanSpec({ from, to: scale === 1 ? to : Math.min(to, from + count - 1) })
    }
  }
}

/** Bytes processed by one run of `spec` (pages or buffers), for MB/s. */
export function bytesOf(spec: AnySpec): number {
  switch (spec.workload) {
    case 'hash':
      return spec.sizes.reduce((a, b) => a + b, 0)
    case 'scanPort':
      return 0
    default:
      return spec.items.reduce((a, item) => a + item.bytes, 0)
  }
}

/** Number of items of `spec`. */
export function itemsOf(spec: AnySpec): number {
  switch (spec.workload) {
    case 'hash':
      return spec.sizes.length
    case 'scanPort':
      return spec.ports.length
    default:
      return spec.items.length
  }
}
