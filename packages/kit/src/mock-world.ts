/**
 * The mock world: everything contestants run against, importable without the
 * benchmark runner. An HTTP server with deterministic bodies, latency and
 * faults, and a port fixture with known open, closed and filtered ports,
 * started together by `startMockWorld()`; the scan's ground truth.
 */
export type { ObservedTruth, TruthRecorder } from './ground-truth.ts'
export {
  expectedScanFromTruth,
  listenerBacklogs,
  listenerQueues,
  portStates,
  recordTruth,
} from './ground-truth.ts'
export type { MockServer, MockServerOptions, ServerStats } from './mock-server.ts'
export { fetchStats, RUN_TAG_PARAM, STATS_PATH, startMockServer, tagUrls } from './mock-server.ts'
export type { PortFixture, PortFixtureOptions } from './port-fixture.ts'
export { startPortFixture } from './port-fixture.ts'
export type { MockWorld, MockWorldInfo, MockWorldOptions } from './start-mock-world.ts'
export { startMockWorld } from './start-mock-world.ts'
