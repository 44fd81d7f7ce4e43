/**
 * vitest global setup for contestants' tests: starts the mock world once per
 * test project and hands its addresses to every test file with `provide`.
 */
import type { TestProject } from 'vitest/node'
import { startMockServer } from './mock-server.ts'
import { startPortFixture } from './port-fixture.ts'

/** What the tests receive through `inject('arenaWorld')`. */
export interface ArenaWorld {
  /** The mock server's origin. */
  readonly origin: string
  /** The port fixture's host, open and filtered ports. */
  readonly host: string
  readonly open: readonly number[]
  readonly filtered: readonly number[]
}

declare module 'vitest' {
  export interface ProvidedContext {
    arenaWorld: ArenaWorld
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const server = await startMockServer()
  const fixture = await startPortFixture({ open: 3, filtered: 3 })
  project.provide('arenaWorld', {
    origin: server.origin,
    host: fixture.host,
    open: fixture.open,
    filtered: fixture.filtered,
  })
  return async () => {
    await fixture.close()
    await server.close()
  }
}
