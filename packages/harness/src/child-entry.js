/**
 * The child's entry, in plain JavaScript so that it can turn Node's compile
 * cache on before any TypeScript is loaded: the harness, core and the
 * contestant are then stripped of their types and compiled once per machine,
 * not once per child (≈ 120 of a child's 240 ms of module loading here). It
 * is on for this process only — worker threads and the code under test's
 * clock are untouched — and a runtime without it (bun, deno) just goes on.
 */
import module from 'node:module'

try {
  module.enableCompileCache?.()
} catch {
  // No compile cache on this runtime: the modules are compiled as usual.
}
await import('./child.ts')
