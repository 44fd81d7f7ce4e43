/**
 * @arena/core: the rulebook of Concurrency Arena. Workload contracts, seeded
 * specs, verifiers and the shared primitives; it schedules nothing.
 */

export type { DisposableDeadline } from './deadline.ts'
export { DEADLINE_EXCEEDED, deadline, disposableDeadline } from './deadline.ts'
export {
  AA_TWIN_SUFFIX,
  cellStats,
  compareCells,
  deriveFigures,
  ratioOf,
  variantKey,
  verifiedCeiling,
} from './derive.ts'
export type {
  Fault,
  FaultPlan,
  FetchInput,
  FetchResult,
  FetchSpec,
  FetchValue,
  Latency,
  PageItem,
  PageRequest,
  PageSpec,
  PageSpecParams,
} from './fetch.ts'
export {
  checkFetchInput,
  checksumOf,
  DRIP_DURATION_MS,
  expectedFailure,
  expectedFetch,
  FAULT_STATUS,
  faults,
  fetchInput,
  fetchSpec,
  formatChecksum,
  MAX_ITEMS,
  pageBody,
  pagePath,
  pageSpec,
  pageUrls,
  parsePagePath,
} from './fetch.ts'
export { bytesId, formatBytes, formatCompact, formatNumber } from './format.ts'
export type { HashInput, HashResult, HashSpec, HashSpecParams, HashValue } from './hash.ts'
export { checkHashInput, expectedHash, hashInput, hashSpec, MAX_HASH_ITEMS } from './hash.ts'
export type {
  HttpBodyResult,
  HttpClient,
  HttpClientOptions,
  HttpGetOptions,
  HttpGetResult,
} from './http.ts'
export { createHttpClient, MAX_CONNECTIONS } from './http.ts'
export type {
  Implementation,
  Instance,
  OpenOptions,
  Variant,
  VariantKind,
  VariantLimits,
  WorkloadId,
  Workloads,
} from './implementation.ts'
export {
  checkInstance,
  defineImplementation,
  effectiveLimits,
  isSequential,
  openVariant,
  workloadIds,
} from './implementation.ts'
export type { KernelTrace, WorkerFault } from './kernel.js'
export {
  KERNEL_TRACE_CHANNEL,
  markWorkerFault,
  sha256Hex,
  transferable,
  WORKER_FAULT_MAGIC,
  WORKER_FAULT_MIN_BYTES,
  workerFaults,
} from './kernel.js'
export { expectLoopback, isLoopback } from './loopback.ts'
export type { RunOptions } from './options.ts'
export { checkRunOptions, MAX_CONCURRENCY, MAX_PARALLELISM, MAX_TIMEOUT_MS } from './options.ts'
export type { Failure, FailureKind, Outcome } from './outcome.ts'
export {
  abortedFailure,
  failed,
  failureKinds,
  failureOf,
  HttpStatusError,
  success,
  WorkerCrashedError,
} from './outcome.ts'
export type { PipelineInput, PipelineResult, PipelineSpec, PipelineValue } from './pipeline.ts'
export { expectedPipeline, pipelineInput, pipelineSpec } from './pipeline.ts'
export {
  createRandom,
  MAX_PAYLOAD_BYTES,
  POOL_BYTES,
  payloadCopy,
  payloadView,
  seededPool,
} from './random.ts'
export type {
  BreakEven,
  Ceiling,
  Cell,
  CellFailure,
  Chart,
  Contestant,
  Derived,
  Environment,
  FailedCell,
  OkCell,
  Point,
  Ratio,
  Results,
  Sample,
  Saturation,
  Scaling,
  Stats,
  StoredVerdict,
  WorkloadInfo,
} from './results.ts'
// The schema's runtime (valibot, built at import) is in '@arena/core/results', so
// that a child process, which only measures, does not build it.
export type {
  PortState,
  ScanInput,
  ScanResult,
  ScanSpec,
  ScanSpecParams,
  ScanValue,
} from './scan-port.ts'
export { checkScanInput, scanInput, scanSpec } from './scan-port.ts'
export type { Estimate } from './statistics.ts'
export {
  countOutliers,
  halfWidthPercent,
  medianInterval,
  medianOf,
  RESAMPLES,
  speedRatio,
} from './statistics.ts'
export type { ProbeOptions } from './tcp.ts'
export { tcpProbe } from './tcp.ts'
export {
  describeValue,
  expectArray,
  expectInteger,
  expectNumber,
  expectObject,
  expectOneOf,
} from './validate.ts'
export type { Discrepancy, Problem, Verdict, VerifyOptions } from './verify.ts'
export { describeVerdict, MAX_DISCREPANCIES, verifyOutcomes } from './verify.ts'
