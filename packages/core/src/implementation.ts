/**
 * The `Implementation` contract: what a contestant package exports. One
 * implementation is one concurrency style; it offers one or more variants,
 * each a set of workload functions. The `default` variant is the idiomatic
 * code of the style and implements all four workloads; other variants
 * implement the workloads they change and say whether they are `idiomatic`
 * or `tuned` (faster, less natural), so the report keeps them apart. A
 * variant with pools may also `open` an instance that keeps them between
 * calls (warm) and `close` it; the one-shot workloads pay their start-up
 * inside the call (cold).
 */
import type { FetchInput, FetchResult } from './fetch.ts'
import type { HashInput, HashResult } from './hash.ts'
import type { RunOptions } from './options.ts'
import type { PipelineInput, PipelineResult } from './pipeline.ts'
import type { ScanInput, ScanResult } from './scan-port.ts'
import { expectArray, expectInteger, expectObject, expectOneOf } from './validate.ts'

/** The four workloads, by stable id. */
export const workloadIds = ['fetch', 'hash', 'scanPort', 'pipeline'] as const
/** One of {@link workloadIds}. */
export type WorkloadId = (typeof workloadIds)[number]

/**
 * The workload functions. Each validates its arguments (rejecting with a
 * `TypeError`) and resolves with exactly one outcome per input item, in input
 * order; it never rejects for an item's failure.
 */
export interface Workloads {
  fetch(input: FetchInput, options: RunOptions): Promise<FetchResult>
  hash(input: HashInput, options: RunOptions): Promise<HashResult>
  scanPort(input: ScanInput, options: RunOptions): Promise<ScanResult>
  pipeline(input: PipelineInput, options: RunOptions): Promise<PipelineResult>
}

/** `idiomatic`: the code an expert of the style would write. `tuned`: faster, less natural; reported apart. */
export type VariantKind = 'idiomatic' | 'tuned'

/**
 * What a variant runs at once at most, whatever the options ask, when its
 * style does less by design: `{ concurrency: 1, parallelism: 0 }` is a style
 * with no concurrency at all (one item at a time, hashing on the event loop).
 * The conformance kit and the harness hold the variant to
 * `min(asked, declared)` instead of the asked figure, and the report marks it
 * and shows everyone's speed-up over it. Declaring nothing means the variant
 * honours `concurrency` and `parallelism` exactly.
 */
export interface VariantLimits {
  /** Most operations in flight (≥ 1). */
  readonly concurrency?: number
  /** Most worker threads; 0 means CPU work stays on the event loop. */
  readonly parallelism?: number
}

/** The concurrency and parallelism a variant really runs at for the asked ones. */
export function effectiveLimits(
  limits: VariantLimits | undefined,
  asked: { readonly concurrency: number; readonly parallelism: number },
): { concurrency: number; parallelism: number } {
  return {
    concurrency: Math.min(asked.concurrency, limits?.concurrency ?? Number.POSITIVE_INFINITY),
    parallelism: Math.min(asked.parallelism, limits?.parallelism ?? Number.POSITIVE_INFINITY),
  }
}

/** Whether a variant declares no concurrency at all: the "before" picture every other style is compared with. */
export function isSequential(
  limits:
    | { readonly concurrency?: number | undefined; readonly parallelism?: number | undefined }
    | undefined,
): boolean {
  return limits?.concurrency === 1 && limits.parallelism === 0
}

/**
 * What an instance is opened for: the most a call on it will ask. Calls on an
 * instance ask for exactly its `parallelism` (its worker pool's size) and at
 * most its `concurrency` (its connection pool's size).
 */
export interface OpenOptions {
  /** Most operations in flight a call will ask for (≥ 1). */
  readonly concurrency: number
  /** Worker threads (or processes) to keep; 0 keeps none: CPU work stays on the event loop. */
  readonly parallelism: number
  /**
   * The only workload the instance will run, when the caller knows it (the
   * harness does): a variant may then keep only what that workload needs —
   * no worker pool for a fetch. Absent: any of the variant's workloads.
   */
  readonly workload?: WorkloadId
}

/**
 * A variant opened once and called many times, as a long-lived service would
 * hold it: its workloads run on what `open` started (worker pool, HTTP pool,
 * runtime) instead of starting their own. `close` releases all of it: after it
 * resolves, nothing the instance opened (thread, socket, timer) is left.
 */
export interface Instance {
  /** The same workloads as the variant's, bound to this instance's resources. */
  readonly workloads: Partial<Workloads>
  close(): Promise<void>
}

/** One way of writing the workloads in this style. */
export interface Variant {
  /** Stable id, kebab-case, unique in the implementation (`default`, `hybrid`, `native`). */
  readonly id: string
  /** Short title for tables. */
  readonly title: string
  readonly kind: VariantKind
  /** What differs from the default variant, and why. */
  readonly description: string
  /** The workloads this variant implements; `default` implements all four. */
  readonly workloads: Partial<Workloads>
  /** Declared when the style, by design, runs less at once than it is asked. */
  readonly limits?: VariantLimits
  /**
   * What its CPU work runs on when it is given workers: `threads`
   * (`worker_threads`, what a variant that says nothing uses) or `processes`
   * (child processes). The report sets the two side by side.
   */
  readonly workers?: 'threads' | 'processes'
  /**
   * Opens what the variant keeps between calls and resolves once it is ready
   * to work (its workers have loaded). Absent when there is nothing to keep:
   * the one-shot `workloads` are then what a warm call runs too. The one-shot
   * `workloads` always stay: a call that opens, works and closes by itself.
   */
  readonly open?: (options: OpenOptions) => Promise<Instance>
}

/** A contestant: one concurrency style. */
export interface Implementation {
  /** Stable id, kebab-case (`promises`, `effect`, `rxjs`). */
  readonly id: string
  /** Title for tables (`Raw promises + worker_threads`). */
  readonly title: string
  /** One paragraph on the style: how it bounds concurrency, times out, cancels and uses threads. */
  readonly style: string
  /** The variants; the first is `default` and implements every workload. */
  readonly variants: readonly [Variant, ...Variant[]]
}

const idPattern = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/

function expectId(name: string, value: unknown): string {
  if (typeof value !== 'string' || !idPattern.test(value)) {
    throw new TypeError(
      `Expected ${name} to be a kebab-case id like "native-http", got ${JSON.stringify(value)}`,
    )
  }
  return value
}

/**
 * Checks an implementation against the contract and returns it.
 * @throws TypeError naming what is missing or malformed
 */
export function defineImplementation<const T extends Implementation>(implementation: T): T {
  const impl = expectObject('implementation', implementation)
  expectId('implementation.id', impl.id)
  for (const field of ['title', 'style'] as const) {
    if (typeof impl[field] !== 'string' || impl[field] === '') {
      throw new TypeError(`Expected implementation.${field} to be a non-empty string`)
    }
  }
  const variants = expectArray('implementation.variants', impl.variants, 1)
  const seen = new Set<string>()
  variants.forEach((v, i) => {
    const variant = expectObject(`variants[${i}]`, v)
    const id = expectId(`variants[${i}].id`, variant.id)
    if (seen.has(id)) throw new TypeError(`Expected variant ids to be unique, got "${id}" twice`)
    seen.add(id)
    expectOneOf(`variants[${i}].kind`, variant.kind, ['idiomatic', 'tuned'])
    if (variant.limits !== undefined) {
      const limits = expectObject(`variants[${i}].limits`, variant.limits)
      for (const key of Object.keys(limits))
        expectOneOf(`a key of variants[${i}].limits`, key, ['concurrency', 'parallelism'])
      if (limits.concurrency !== undefined)
        expectInteger(`variants[${i}].limits.concurrency`, limits.concurrency, 1)
      if (limits.parallelism !== undefined)
        expectInteger(`variants[${i}].limits.parallelism`, limits.parallelism, 0)
    }
    if (variant.workers !== undefined)
      expectOneOf(`variants[${i}].workers`, variant.workers, ['threads', 'processes'])
    if (variant.open !== undefined && typeof variant.open !== 'function')
      throw new TypeError(`Expected variants[${i}].open to be a function or absent`)
    const workloads = expectObject(`variants[${i}].workloads`, variant.workloads)
    for (const [key, fn] of Object.entries(workloads)) {
      expectOneOf(`a key of variants[${i}].workloads`, key, workloadIds)
      if (typeof fn !== 'function')
        throw new TypeError(`Expected variants[${i}].workloads.${key} to be a function`)
    }
    if (i === 0) {
      if (id !== 'default')
        throw new TypeError(`Expected the first variant to be "default", got "${id}"`)
      const missing = workloadIds.filter((w) => typeof workloads[w] !== 'function')
      if (missing.length > 0) {
        throw new TypeError(
          `Expected the default variant to implement every workload; write ${missing.join(', ')}`,
        )
      }
    }
  })
  return implementation
}

/**
 * Checks an opened instance against its variant: the same workloads, each a
 * function, and a `close`.
 * @throws TypeError naming what is missing or extra
 */
export function checkInstance(variant: Variant, instance: unknown): Instance {
  const opened = expectObject(`the instance variant "${variant.id}" opened`, instance)
  if (typeof opened.close !== 'function')
    throw new TypeError(`Expected the instance variant "${variant.id}" opened to have a close()`)
  const workloads = expectObject(`the opened workloads of "${variant.id}"`, opened.workloads)
  for (const id of workloadIds) {
    const declared = typeof variant.workloads[id] === 'function'
    const bound = typeof workloads[id] === 'function'
    if (declared !== bound)
      throw new TypeError(
        `Expected the instance variant "${variant.id}" opened to ${declared ? 'have' : 'not have'} the workload ${id}, like the variant`,
      )
  }
  return instance as Instance
}

/**
 * Opens `variant` for `options`: its own `open`, checked, or — for a variant
 * with nothing to keep — its one-shot workloads and a `close` with nothing to do.
 */
export async function openVariant(variant: Variant, options: OpenOptions): Promise<Instance> {
  if (!variant.open) return { workloads: variant.workloads, close: async () => {} }
  return checkInstance(variant, await variant.open(options))
}
