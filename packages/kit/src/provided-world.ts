/**
 * How the mock world reaches test files: the kit's global setup `provide`s
 * its {@link MockWorldInfo} under {@link WORLD_KEY}, and the conformance kit
 * `inject`s it. The key's type is declared here, once, for both sides.
 */
import type { MockWorldInfo } from './start-mock-world.ts'

declare module 'vitest' {
  export interface ProvidedContext {
    arenaWorld: MockWorldInfo
  }
}

/** The `provide`/`inject` key of the mock world. */
export const WORLD_KEY = 'arenaWorld' as const
