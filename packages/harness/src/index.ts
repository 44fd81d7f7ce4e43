/**
 * @arena/harness: the referee. Its public API is what tests and tools need;
 * the `arena` command is src/cli.ts.
 */
export type { AnySpec, CellPlan } from './cell.ts'
export { bytesOf, itemsOf, specFor } from './cell.ts'
export type { Discovered, DiscoveryProblem } from './discover.ts'
export { discoverContestants, findWorkspaceRoot, sourcesOf, workspacePackages } from './discover.ts'
export type { Profile, Repetition } from './profiles.ts'
export { hashPoint, pagePoint, profiles, scanPoint } from './profiles.ts'
export { lineProgress, silentProgress } from './progress.ts'
export { captureEnvironment, readResults, writeAtomically, writeResults } from './results-file.ts'
export type { Filters, Progress, RunConfig } from './runner.ts'
export { compare, planCells, runBench, shuffled } from './runner.ts'
export type { SpawnOptions, SpawnResult } from './spawn-cell.ts'
export { spawnCell } from './spawn-cell.ts'
export { markdownSummary } from './summary.ts'
