/**
 * The results file: what a benchmark run leaves behind and the report reads.
 * Its schema lives here, in core, so the harness that writes it and the report
 * that reads it agree by construction; `parseResults` validates a file and
 * names the first thing wrong with it. Every number carries its unit in its
 * name. The version changes whenever a field changes meaning.
 */
import { readFileSync } from 'node:fs'
import * as v from 'valibot'
import { DerivedSchema } from './derived-schema.ts'
import { workloadIds } from './implementation.ts'

/**
 * The schema version this code writes and reads. 2: cells are a union on their
 * status, a limit breach is its own failure, ratios and shares of the ceiling
 * live in `derived`, ceilings say whether they were verified, the file
 * describes its workloads, samples carry start-up and the cold call.
 */
export const RESULTS_SCHEMA_VERSION = 2

const finite = v.pipe(v.number(), v.finite())
const nonNegative = v.pipe(finite, v.minValue(0))
const interval = v.tuple([finite, finite])

/** A point of the parameter grid, with a stable id like `c64-b1k-l0`. */
export const PointSchema = v.object({
  id: v.string(),
  label: v.string(),
  concurrency: v.pipe(v.number(), v.integer(), v.minValue(1)),
  parallelism: v.pipe(v.number(), v.integer(), v.minValue(0)),
  timeoutMs: v.pipe(v.number(), v.integer(), v.minValue(1)),
  /** Items in the input (pages, buffers or ports). */
  items: v.pipe(v.number(), v.integer(), v.minValue(1)),
  /** Bytes per page or buffer; 0 for a scan. */
  bytes: v.pipe(v.number(), v.integer(), v.minValue(0)),
  /** Server latency per page, ms; 0 for hash and scan. */
  latencyMs: nonNegative,
  /** For scans: the port range, like `1-65535`. */
  ports: v.optional(v.string()),
  /** Fault probabilities, for robustness points. */
  faults: v.optional(v.record(v.string(), nonNegative)),
})

const workloadId = v.picklist(workloadIds)

/** The verifier's verdict on one run, as stored. */
export const VerdictSchema = v.object({
  ok: v.boolean(),
  /** Set when the run broke its concurrency limit: what the server saw and what was allowed. */
  limit: v.optional(
    v.object({
      observed: v.pipe(v.number(), v.integer()),
      allowed: v.pipe(v.number(), v.integer()),
    }),
  ),
  items: v.pipe(v.number(), v.integer()),
  discrepancyCount: v.pipe(v.number(), v.integer()),
  tally: v.record(v.string(), v.number()),
  /** The first discrepancies or the limit violation, in words. */
  summary: v.string(),
})

/** One measured run of one cell, in its own child process. */
export const SampleSchema = v.object({
  round: v.pipe(v.number(), v.integer(), v.minValue(0)),
  /** Wall time of the median measured iteration of this child, ms. */
  wallMs: nonNegative,
  /** Every measured iteration's wall time, ms, when the child measured more than one (all verified). */
  iterationWallMs: v.optional(v.array(nonNegative)),
  /** From `open` to an instance ready to work (its workers loaded), ms; 0 for a variant with nothing to open. */
  startupMs: nonNegative,
  /** The cold call: `open` plus the first call on the fresh instance, ms (its answer verified too). */
  coldWallMs: nonNegative,
  /** Items of the cold call's input: the warm-up share of the point's input. */
  coldItems: v.pipe(v.number(), v.integer(), v.minValue(1)),
  /** Wall time of the whole child process that took this sample (start, imports, warm-up, checks), ms. */
  childMs: v.optional(nonNegative),
  itemsPerSecond: nonNegative,
  megabytesPerSecond: nonNegative,
  /** CPU time of the whole child (every thread), ms. */
  cpuUserMs: nonNegative,
  cpuSystemMs: nonNegative,
  /** Peak resident set of the child, bytes. */
  peakRssBytes: nonNegative,
  /** Main-thread event-loop delay during the run, ms. */
  loopDelayP99Ms: nonNegative,
  loopDelayMaxMs: nonNegative,
  /** Main-thread event-loop utilisation during the run, 0–1. */
  loopUtilization: nonNegative,
  /** Time in garbage collection during the run, ms. */
  gcMs: nonNegative,
  /** Requests the mock server had in flight at most for this run (fetch, pipeline). */
  serverPeakInFlight: v.optional(nonNegative),
  /** From the call's start to the first `onOutcome`, ms (when the contestant reports outcomes as they complete). */
  firstResultMs: v.optional(nonNegative),
  /** Client-side time per item, from its `onStart` (or the call's start) to its `onOutcome`, ms. */
  clientLatencyP50Ms: v.optional(nonNegative),
  clientLatencyP99Ms: v.optional(nonNegative),
  /** Server-side time from request to response end, ms (fetch, pipeline). */
  latencyP50Ms: v.optional(nonNegative),
  latencyP99Ms: v.optional(nonNegative),
  /** libuv handles (sockets, timers…) still open after the workload resolved, beyond those before it. */
  handlesLeft: v.optional(v.number()),
  /** Threads still alive after the workload resolved, beyond those before it. */
  threadsLeft: v.optional(v.number()),
  verdict: VerdictSchema,
})

/** Why a cell failed; a failed cell is never charted as a speed. */
export const CellFailureSchema = v.object({
  reason: v.picklist(['wrong-answer', 'crash', 'hang', 'garbage', 'error', 'limit-exceeded']),
  message: v.string(),
})

/** Median and bootstrap interval of a cell's wall time. */
export const StatsSchema = v.object({
  n: v.pipe(v.number(), v.integer()),
  medianWallMs: nonNegative,
  /** 95% bootstrap confidence interval of the median, ms. */
  ciWallMs: interval,
  /** Half-width of that interval relative to the median, %. */
  halfWidthPercent: nonNegative,
  medianItemsPerSecond: nonNegative,
  ciItemsPerSecond: interval,
  medianMegabytesPerSecond: nonNegative,
  /** Samples outside Tukey's fences (1.5 × IQR): counted and shown, never dropped. */
  outliers: v.pipe(v.number(), v.integer()),
  medianCpuMs: nonNegative,
  /** CPU time of every thread per item, µs: median and 95% interval. */
  medianCpuMicrosPerItem: nonNegative,
  ciCpuMicrosPerItem: interval,
  medianPeakRssBytes: nonNegative,
  medianLoopDelayP99Ms: nonNegative,
  medianLoopUtilization: nonNegative,
  medianGcMs: nonNegative,
  medianLatencyP50Ms: v.optional(nonNegative),
  medianLatencyP99Ms: v.optional(nonNegative),
  /** Time to the first result and client-side latency per item, ms: medians over the samples that have them. */
  medianFirstResultMs: v.optional(nonNegative),
  medianClientLatencyP50Ms: v.optional(nonNegative),
  medianClientLatencyP99Ms: v.optional(nonNegative),
  /** Start-up (open → ready) and the cold call, ms: medians and 95% intervals, apart from the warm figures. */
  medianStartupMs: nonNegative,
  ciStartupMs: interval,
  medianColdWallMs: nonNegative,
  ciColdWallMs: interval,
  maxServerPeakInFlight: v.optional(nonNegative),
  /** Worst handles and threads left over by any run. */
  maxHandlesLeft: v.optional(v.number()),
  maxThreadsLeft: v.optional(v.number()),
})

/**
 * The physical limit of a point, measured in the same run on the same world.
 * Only a verified ceiling (its answer checked like a contestant's) is used
 * for a share of the ceiling; an unverified one is shown as such.
 */
export const CeilingSchema = v.object({
  workload: workloadId,
  pointId: v.string(),
  /** The tool whose figure counts (`ceiling/<tool>`). */
  tool: v.string(),
  /** That tool in words, for tables and charts (`raw Node`, `nmap -sT`). */
  title: v.optional(v.string()),
  /** Whether any tool was measured at all. */
  available: v.boolean(),
  /** Whether that tool's answer was verified item by item. */
  verified: v.boolean(),
  /** Items per second the tool reached (for scans: ports per second). */
  itemsPerSecond: v.optional(nonNegative),
  /** What the mock server alone sustains (autocannon on one URL): context, never a ceiling. */
  serverCapacityPerSecond: v.optional(nonNegative),
  note: v.string(),
})

/** A runtime as recorded: its name as `arena --runtime` takes it (`node24`, `bun`) and the version its binary reported. */
export const RuntimeSchema = v.object({ name: v.string(), version: v.string() })

const cellFields = {
  id: v.string(),
  implementation: v.string(),
  variant: v.string(),
  workload: workloadId,
  /** `speed` cells are timed; `robustness` cells run under faults to prove their outcomes. */
  section: v.picklist(['speed', 'robustness']),
  point: PointSchema,
  samples: v.array(SampleSchema),
  /** Runs that failed, with why; a cell with any is `failed`. */
  failedRuns: v.array(CellFailureSchema),
  /** The runtime its children ran under; absent in files from before runtimes were chosen (Node, `environment.node`). */
  runtime: v.optional(RuntimeSchema),
}

/** One variant × workload × point: verified, with its statistics, or failed, with why. */
export const CellSchema = v.variant('status', [
  v.object({ ...cellFields, status: v.literal('ok'), stats: StatsSchema }),
  v.object({ ...cellFields, status: v.literal('failed'), failure: CellFailureSchema }),
])

/** A chart of one workload, as data: one line per variant over a point field. */
export const ChartSchema = v.object({
  id: v.string(),
  title: v.string(),
  /** The point field on the x axis. */
  x: v.picklist(['concurrency', 'parallelism', 'bytes', 'items']),
  xTitle: v.string(),
  xLog: v.boolean(),
  /** The statistic on the y axis. */
  y: v.picklist([
    'medianItemsPerSecond',
    'medianMegabytesPerSecond',
    'medianWallMs',
    'medianLoopDelayP99Ms',
    'medianColdWallMs',
  ]),
  yTitle: v.string(),
  /** Point fields that must be equal for two points to share a line (one chart per combination). */
  sameOf: v.array(
    v.picklist(['concurrency', 'parallelism', 'bytes', 'latencyMs', 'items', 'ports']),
  ),
})

/** What the file says about a workload it measured: the words and charts the report shows. */
export const WorkloadInfoSchema = v.object({
  id: workloadId,
  title: v.string(),
  /** What one item is, plural: `pages`, `buffers`, `ports`. */
  items: v.string(),
  /** The contestant file the report shows for it. */
  sourceFile: v.string(),
  /** The point ids at which every variant runs (the headline first); the others are the default variants' sweeps. */
  centralPoints: v.optional(v.array(v.string())),
  /** The lesson this run's numbers support, in one or two sentences. */
  lesson: v.string(),
  charts: v.array(ChartSchema),
})

/** A contestant as discovered. */
export const ContestantSchema = v.object({
  id: v.string(),
  title: v.string(),
  style: v.string(),
  package: v.string(),
  version: v.string(),
  variants: v.array(
    v.object({
      id: v.string(),
      title: v.string(),
      kind: v.picklist(['idiomatic', 'tuned']),
      description: v.string(),
      workloads: v.array(v.string()),
      /** Declared when the variant, by design, runs less at once than asked (see `VariantLimits`). */
      limits: v.optional(
        v.object({
          concurrency: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1))),
          parallelism: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0))),
        }),
      ),
      /** What its CPU work runs on given workers (see `Variant.workers`); threads when absent. */
      workers: v.optional(v.picklist(['threads', 'processes'])),
    }),
  ),
  /** Orchestration source per workload, for the report's side-by-side view. */
  sources: v.record(v.string(), v.string()),
})

/** The machine and software a run was measured on. */
export const EnvironmentSchema = v.object({
  node: v.string(),
  v8: v.string(),
  os: v.string(),
  kernel: v.string(),
  cpuModel: v.string(),
  cores: v.pipe(v.number(), v.integer(), v.minValue(1)),
  memoryBytes: nonNegative,
  packages: v.record(v.string(), v.string()),
  gitCommit: v.string(),
  gitDirty: v.boolean(),
  /**
   * The runtime the run's children ran under (`node` and `v8` above are the
   * harness's own), and the one the mock world ran under, with why it is not
   * the same when the run's runtime could not run it. Absent in files from
   * before runtimes were chosen: Node, `node` above.
   */
  runtime: v.optional(
    v.object({
      ...RuntimeSchema.entries,
      world: v.optional(v.object({ ...RuntimeSchema.entries, fallback: v.optional(v.string()) })),
    }),
  ),
})

/** A whole results file. */
export const ResultsSchema = v.object({
  schemaVersion: v.literal(RESULTS_SCHEMA_VERSION),
  runId: v.string(),
  profile: v.string(),
  seed: v.pipe(v.number(), v.integer(), v.minValue(0)),
  baseline: v.string(),
  /** A/A mode: the variant run twice under two names, or absent. */
  aa: v.optional(v.string()),
  startedAt: v.string(),
  finishedAt: v.string(),
  environment: EnvironmentSchema,
  contestants: v.array(ContestantSchema),
  workloads: v.array(WorkloadInfoSchema),
  ceilings: v.array(CeilingSchema),
  cells: v.array(CellSchema),
  derived: DerivedSchema,
})

export type Point = v.InferOutput<typeof PointSchema>
export type StoredVerdict = v.InferOutput<typeof VerdictSchema>
export type Sample = v.InferOutput<typeof SampleSchema>
export type CellFailure = v.InferOutput<typeof CellFailureSchema>
export type Stats = v.InferOutput<typeof StatsSchema>
export type Ceiling = v.InferOutput<typeof CeilingSchema>
export type Cell = v.InferOutput<typeof CellSchema>
/** A verified cell: it always has its statistics. */
export type OkCell = Extract<Cell, { status: 'ok' }>
/** A failed cell: it always has its failure. */
export type FailedCell = Extract<Cell, { status: 'failed' }>
export type Chart = v.InferOutput<typeof ChartSchema>
export type WorkloadInfo = v.InferOutput<typeof WorkloadInfoSchema>
export type { BreakEven, Derived, Ratio, Saturation, Scaling } from './derived-schema.ts'
export type Contestant = v.InferOutput<typeof ContestantSchema>
export type Environment = v.InferOutput<typeof EnvironmentSchema>
export type RuntimeRecord = v.InferOutput<typeof RuntimeSchema>
export type Results = v.InferOutput<typeof ResultsSchema>

/**
 * Validates parsed JSON as a results file.
 * @throws TypeError naming the schema version or the first invalid field and what it holds
 */
export function parseResults(data: unknown): Results {
  const version = (data as { schemaVersion?: unknown } | null)?.schemaVersion
  if (version !== RESULTS_SCHEMA_VERSION) {
    throw new TypeError(
      `This is a results file of schema version ${JSON.stringify(version ?? null)} and this code reads version ${RESULTS_SCHEMA_VERSION}; run the benchmark again to write one`,
    )
  }
  const parsed = v.safeParse(ResultsSchema, data)
  if (parsed.success) return parsed.output
  const issue = parsed.issues[0]
  const path = issue?.path?.map((p) => String(p.key)).join('.') ?? '(root)'
  throw new TypeError(`Invalid results file at ${path}: ${issue?.message ?? 'unknown problem'}`)
}

/**
 * Reads and validates a results file: the one reader the harness and the
 * report share.
 * @throws Error with one sentence on what is wrong: unreadable (and what to
 * run), not JSON, or which field breaks the schema
 */
export function readResultsFile(path: string): Results {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (error) {
    throw new Error(
      `Cannot read the results file ${path} (${(error as NodeJS.ErrnoException).code ?? 'unreadable'}); run the benchmark first: pnpm turbo bench`,
    )
  }
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch {
    throw new Error(`The results file ${path} is not valid JSON`)
  }
  try {
    return parseResults(data)
  } catch (error) {
    throw new Error(`The results file ${path} cannot be used: ${(error as Error).message}`)
  }
}
