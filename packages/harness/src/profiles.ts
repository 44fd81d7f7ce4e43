/**
 * Profiles: which points of the grid a run measures and how hard. `quick` is a
 * thin slice for CI and a first look (≤ 60 s here), `default` answers every
 * question the report asks (≤ 10 min on 2 cores), `full` is the whole grid of
 * the design, with no time limit. Point ids are stable: they key results files
 * and the report alike.
 */
import { availableParallelism } from 'node:os'
import { bytesId, formatBytes, formatNumber, type Point, type WorkloadId } from '@arena/core'

/**
 * How the heap is levelled before each timed call: `minor` empties the young
 * generation (compiled code survives); `full-rewarm` runs a full collection,
 * then an untimed full-size call that re-optimises what it discarded, then a
 * minor collection of that call's garbage;
 * `full` is a full collection right before the clock (it deoptimises the code
 * under test: kept only to measure the others against); `none` leaves the
 * heap as the warm-up left it. The figures that chose are in the README.
 */
export type HeapLevel = 'minor' | 'full-rewarm' | 'full' | 'none'

/** How many times each cell is measured, and when to stop early. */
export interface Repetition {
  /** Rounds every cell gets. */
  readonly minRounds: number
  /** Rounds a noisy cell may get at most. */
  readonly maxRounds: number
  /** Stop measuring a cell once its interval's half-width is at most this % of the median. */
  readonly targetHalfWidthPercent: number
  /** Warm-up calls in each child after the cold call (which is the first warm-up). */
  readonly warmups: number
  /** Share of the input each further warm-up runs on (at most 2,000 items). */
  readonly warmupScale: number
  /**
   * Warm-up time, ms, counted from the cold call's start: after the fixed
   * warm-ups, more warm-up calls run until this much time has passed (none for
   * a cell whose cold call alone takes that long). The JIT optimises by work
   * done, not by calls, so a fast cell gets more calls. Absent: no more calls.
   */
  readonly warmupMs?: number
  /** How the heap is levelled before each timed call. */
  readonly heap: HeapLevel
  /** Length of the autocannon run that measures the mock server's own capacity, s. */
  readonly serverCapacitySeconds: number
  /** The watchdog kills a child that has not answered after this long, s. */
  readonly watchdogSeconds: number
  /** Rounds of a robustness cell: it is there to prove outcomes, not to be timed finely. */
  readonly robustnessRounds: number
  /** Most measured iterations in one child (odd); the sample is their median. */
  readonly maxIterations: number
  /** A child iterates while its measured iterations add up to less than this, ms. */
  readonly sampleTargetMs: number
  /** Wall-clock budget of the whole run, s: rounds past `minRounds` start only while they fit. */
  readonly budgetSeconds?: number
}

/** A profile: the grid and the repetition policy. */
export interface Profile {
  readonly name: string
  readonly description: string
  readonly points: Readonly<Record<WorkloadId, readonly Point[]>>
  /** Points under injected faults, reported in their own section. */
  readonly robustness?: Readonly<Partial<Record<WorkloadId, readonly Point[]>>>
  /** Only each contestant's default variant, unless `--variant` asks for others. */
  readonly defaultVariantsOnly?: boolean
  /**
   * Where the sweeps are: the ids of the central points at which variants other
   * than `default` run. A workload absent here runs every variant at every point.
   */
  readonly centralPoints?: Readonly<Partial<Record<WorkloadId, readonly string[]>>>
  readonly repetition: Repetition
}

const SCAN_TIMEOUT_MS = 500
const IO_TIMEOUT_MS = 10_000

/** A fetch point: `items` pages of `bytes` with `latencyMs` of server latency, at `concurrency`. */
export function fetchPoint(
  concurrency: number,
  bytes: number,
  latencyMs: number,
  items: number,
): Point {
  return {
    id: `c${concurrency}-b${bytesId(bytes)}-l${latencyMs}`,
    label: `${formatNumber(items)} × ${formatBytes(bytes)}, ${latencyMs} ms latency, concurrency ${concurrency}`,
    concurrency,
    parallelism: 0,
    timeoutMs: IO_TIMEOUT_MS,
    items,
    bytes,
    latencyMs,
  }
}

/** A pipeline point: `items` pages of `bytes`, downloaded at `concurrency`, hashed on `parallelism` workers. */
export function pipelinePoint(
  concurrency: number,
  parallelism: number,
  bytes: number,
  items: number,
): Point {
  return {
    id: `c${concurrency}-p${parallelism}-b${bytesId(bytes)}`,
    label: `${formatNumber(items)} × ${formatBytes(bytes)}, concurrency ${concurrency}, ${parallelism} worker(s)`,
    concurrency,
    parallelism,
    timeoutMs: IO_TIMEOUT_MS,
    items,
    bytes,
    latencyMs: 0,
  }
}

/** A hash point. */
export function hashPoint(parallelism: number, bytes: number, items: number): Point {
  return {
    id: `p${parallelism}-s${bytesId(bytes)}`,
    label: `${formatNumber(items)} × ${formatBytes(bytes)}, ${parallelism === 0 ? 'on the event loop' : `${parallelism} worker(s)`}`,
    concurrency: Math.max(1, parallelism),
    parallelism,
    timeoutMs: IO_TIMEOUT_MS,
    items,
    bytes,
    latencyMs: 0,
  }
}

/** The robustness faults of the design, by point id. */
export const robustnessFaults: Readonly<Record<string, Readonly<Record<string, number>>>> = {
  'status-10': { status: 0.1 },
  'reset-5': { reset: 0.05 },
  'stall-5': { stall: 0.05 },
  'truncate-5': { truncate: 0.05 },
  'drip-5': { drip: 0.05 },
  mixed: { status: 0.1, reset: 0.05, stall: 0.05, truncate: 0.05, drip: 0.05 },
}

/** Timeout of robustness points, ms: stalls and drips end there. */
export const ROBUSTNESS_TIMEOUT_MS = 500

/** A fetch point under injected faults: `items` × 1 KiB at concurrency 64. */
export function faultPoint(
  name: string,
  faults: Readonly<Record<string, number>>,
  items = 1000,
): Point {
  return {
    ...fetchPoint(64, 1024, 0, items),
    id: `faults-${name}`,
    label: `${formatNumber(items)} × 1 KiB, concurrency 64, timeout ${ROBUSTNESS_TIMEOUT_MS} ms, faults: ${Object.entries(
      faults,
    )
      .map(([k, v]) => `${v * 100}% ${k}`)
      .join(', ')}`,
    timeoutMs: ROBUSTNESS_TIMEOUT_MS,
    faults,
  }
}

/** A hash point whose workers throw, exit and hang: 300 × 64 KiB on 2 workers. */
export function workerFaultPoint(): Point {
  return {
    ...hashPoint(2, 64 * 1024, 300),
    id: 'faults-workers',
    label: `300 × 64 KiB on 2 workers, timeout ${ROBUSTNESS_TIMEOUT_MS} ms, 2% each of workers that throw, exit, hang`,
    timeoutMs: ROBUSTNESS_TIMEOUT_MS,
    faults: { throw: 0.02, exit: 0.02, hang: 0.02 },
  }
}

/**
 * The robustness section: the fetch fault profiles `names` (all of them
 * unless said) on `items` pages, and the worker faults.
 */
const robustness = (items: number, names = Object.keys(robustnessFaults)) => ({
  fetch: names.map((name) => faultPoint(name, robustnessFaults[name] ?? {}, items)),
  hash: [workerFaultPoint()],
})

/**
 * A scan point over ports `1–to`, each probe given `timeoutMs` (500 ms unless
 * said: the id then names it, `-t250`).
 */
export function scanPoint(
  to: number,
  concurrency: number,
  parallelism = 2,
  timeoutMs = SCAN_TIMEOUT_MS,
): Point {
  return {
    id: `r${to}-c${concurrency}${timeoutMs === SCAN_TIMEOUT_MS ? '' : `-t${timeoutMs}`}`,
    label: `ports 1–${formatNumber(to)}, concurrency ${concurrency}, timeout ${formatNumber(timeoutMs)} ms`,
    concurrency,
    parallelism,
    timeoutMs,
    items: to,
    bytes: 0,
    latencyMs: 0,
    ports: `1-${to}`,
  }
}

const cores = availableParallelism()

/** The profiles, by name. */
export const profiles: Readonly<Record<string, Profile>> = {
  quick: {
    name: 'quick',
    description:
      'one small point per workload, each contestant’s default variant, 2 rounds, the scan’s timeout at 250 ms: for CI and a first look (≤ 60 s on 2 cores)',
    points: {
      fetch: [fetchPoint(64, 1024, 0, 1000)],
      hash: [hashPoint(2, 1 << 20, 64)],
      // A filtered port costs a whole timeout: 250 ms is still ~10⁴ loopback round trips.
      scanPort: [scanPoint(1024, 200, 2, 250)],
      pipeline: [pipelinePoint(64, 2, 64 * 1024, 150)],
    },
    defaultVariantsOnly: true,
    repetition: {
      minRounds: 2,
      maxRounds: 2,
      targetHalfWidthPercent: 5,
      warmups: 0,
      warmupScale: 0.25,
      heap: 'minor',
      serverCapacitySeconds: 1,
      watchdogSeconds: 60,
      robustnessRounds: 2,
      maxIterations: 1,
      sampleTargetMs: 0,
    },
  },
  default: {
    name: 'default',
    description:
      'sweeps on each contestant’s default variant — fetch at concurrency 1–256 on two page families, hash on 0–' +
      `${Math.max(2, cores)} workers at three item sizes, the scan of 1–16,384 at four concurrencies (and 1–1,024 with filtered ports), the pipeline on 0–2 workers — and every other variant (nmap’s ceiling included) at one central point per workload (two sizes for hash; 1–1,024 for the scan); 2–4 adaptive rounds, extra rounds only within a 380 s budget (≤ 10 min on 2 cores). Traded for time: the scan sweep on a quarter of the port range (a full 1–65,535 scan costs 5–8 s a child here: run it with --profile full --point r65535-c500; a 250 ms timeout, tried to save the filtered ports' waits, turned closed ports into filtered ones for two contestants at concurrency 2,000–4,000, so the sweep keeps 500 ms); 5,000 items of 64 B; one timed call per child after 300 ms of warm-up (the interval comes from the rounds, each a fresh child; a fast cell's code is then at about half the rate it reaches after 3 s, measured by pnpm bench:referee: --profile full warms for 3 s); warm-ups and the cold call on a quarter of the input (at most 2,000 items); fewer items where a point’s per-item cost does not change with the count (concurrency 1 and 4); robustness once per contestant, on the mixed faults only (the full profile runs each fault on its own); a variant with a declared limit runs each distinct effective point once (a sequential contestant’s concurrency sweep is one point)`,
    points: {
      fetch: [1, 4, 16, 64, 256].flatMap((c) => [
        fetchPoint(c, 1024, 0, c === 1 ? 400 : c === 4 ? 1000 : 2000),
        fetchPoint(c, 64 * 1024, 5, c === 1 ? 50 : c === 4 ? 150 : 400),
      ]),
      hash: [...new Set([0, 1, 2, cores])].flatMap((p) =>
        [64, 64 * 1024, 1 << 20].map((s) =>
          hashPoint(p, s, s === 64 ? 5000 : s === 64 * 1024 ? 1000 : 128),
        ),
      ),
      scanPort: [scanPoint(1024, 100), ...[100, 500, 2000, 4000].map((c) => scanPoint(16384, c))],
      pipeline: [0, 1, 2].map((p) => pipelinePoint(64, p, 64 * 1024, 600)),
    },
    centralPoints: {
      fetch: ['c64-b1k-l0'],
      // The smallest and the largest tasks on 2 workers: threads against processes.
      hash: ['p2-s64', 'p2-s1m'],
      // The hybrid and process scans meet the others on 1–1,024 here; the full range is
      // its own run (--profile full --point r65535-c500).
      scanPort: ['r1024-c100'],
      pipeline: ['c64-p2-b64k'],
    },
    robustness: robustness(200, ['mixed']),
    repetition: {
      minRounds: 2,
      maxRounds: 4,
      targetHalfWidthPercent: 5,
      warmups: 1,
      warmupScale: 0.25,
      warmupMs: 300,
      heap: 'minor',
      serverCapacitySeconds: 1,
      watchdogSeconds: 180,
      robustnessRounds: 1,
      maxIterations: 1,
      sampleTargetMs: 0,
      budgetSeconds: 380,
    },
  },
  full: {
    name: 'full',
    description: 'the whole grid of the design',
    points: {
      fetch: [1, 16, 64, 256].flatMap((c) =>
        [1024, 64 * 1024].flatMap((b) =>
          [0, 5].map((l) => fetchPoint(c, b, l, c === 1 && l > 0 ? 400 : b > 1024 ? 2000 : 10_000)),
        ),
      ),
      hash: [...new Set([0, 1, 2, cores])].flatMap((p) =>
        [64, 64 * 1024, 1 << 20].map((s) =>
          hashPoint(p, s, s === 64 ? 20_000 : s === 64 * 1024 ? 2000 : 128),
        ),
      ),
      scanPort: [1024, 65535].flatMap((to) => [100, 500, 2000].map((c) => scanPoint(to, c))),
      pipeline: [16, 64].flatMap((c) => [0, 2].map((p) => pipelinePoint(c, p, 64 * 1024, 2000))),
    },
    robustness: robustness(1000),
    repetition: {
      minRounds: 5,
      maxRounds: 20,
      targetHalfWidthPercent: 5,
      warmups: 2,
      warmupScale: 0.5,
      warmupMs: 3000,
      heap: 'minor',
      serverCapacitySeconds: 2,
      watchdogSeconds: 180,
      robustnessRounds: 2,
      maxIterations: 5,
      sampleTargetMs: 2000,
    },
  },
  stress: {
    name: 'stress',
    description:
      'load and resource bounds: 100,000 URLs, a full scan at concurrency 4,000, RSS at 10k vs 100k items',
    points: {
      fetch: [
        { ...fetchPoint(256, 1024, 0, 10_000), id: 'c256-b1k-n10k' },
        { ...fetchPoint(256, 1024, 0, 100_000), id: 'c256-b1k-n100k' },
      ],
      hash: [],
      scanPort: [scanPoint(65535, 4000)],
      pipeline: [],
    },
    repetition: {
      minRounds: 2,
      maxRounds: 2,
      targetHalfWidthPercent: 100,
      warmups: 0,
      warmupScale: 0.5,
      heap: 'minor',
      serverCapacitySeconds: 2,
      watchdogSeconds: 180,
      robustnessRounds: 1,
      maxIterations: 1,
      sampleTargetMs: 0,
    },
  },
}
