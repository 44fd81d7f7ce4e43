/**
 * @arena/harness: the referee. Its public API is what tests and tools need;
 * the `arena` command is src/cli.ts.
 */
export type { Discovered, DiscoveryProblem } from './discover.ts'
export { discoverContestants, findWorkspaceRoot, sourcesOf, workspacePackages } from './discover.ts'
export type { CellPlan, Filters } from './plan.ts'
export { planCells, shuffled } from './plan.ts'
export type { HeapLevel, Profile, Repetition } from './profiles.ts'
export { fetchPoint, hashPoint, pipelinePoint, profiles, scanPoint } from './profiles.ts'
export { lineProgress } from './progress.ts'
export { captureEnvironment, readResults, writeAtomically, writeResults } from './results-file.ts'
export type { Progress } from './rounds.ts'
export type { RunConfig } from './runner.ts'
export { runBench } from './runner.ts'
export type { SpawnOptions, SpawnResult } from './spawn-cell.ts'
export { spawnCell } from './spawn-cell.ts'
export { markdownSummary } from './summary.ts'
export type { AnySpec, WorkloadRow, WorkloadTable, WorldAddress } from './workloads.ts'
export { rowOf, workloads } from './workloads.ts'
