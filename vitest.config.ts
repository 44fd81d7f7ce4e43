import { defineConfig } from 'vitest/config'

// `pnpm vitest` at the root runs every package's tests, each with its own config.
export default defineConfig({ test: { projects: ['packages/*', 'apps/*'] } })
