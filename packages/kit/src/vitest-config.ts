/**
 * The vitest configuration of a contestant package: the mock world as global
 * setup, and time enough for the conformance kit's full-range scans.
 */
import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

/** A contestant's `vitest.config.ts` is `export default arenaVitestConfig()`. */
export function arenaVitestConfig() {
  return defineConfig({
    test: {
      globalSetup: [fileURLToPath(new URL('./global-setup.ts', import.meta.url))],
      testTimeout: 60_000,
      hookTimeout: 30_000,
    },
  })
}
