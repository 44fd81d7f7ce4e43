/**
 * vitest global setup for contestants' tests: starts the mock world once per
 * test project and hands its `MockWorldInfo` to every test file with
 * `provide` (the conformance kit reads it with `inject`).
 */
import type { TestProject } from 'vitest/node'
import { WORLD_KEY } from './provided-world.ts'
import { startMockWorld } from './start-mock-world.ts'

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const world = await startMockWorld()
  project.provide(WORLD_KEY, world.info)
  return () => world.close()
}
