/**
 * The environments of a merged report: one per results file — a runtime on a
 * machine, as its environment block records them (a file from before
 * runtimes were chosen ran on Node, its `node` version). Each gets a name
 * that tells it apart from the others in the fewest words: the runtime alone
 * when every file is from one machine, the machine too when they differ, the
 * run when two files still read the same. Nothing here relates one
 * environment's figures to another's.
 */
import type { Results } from '@arena/core'

/** One results file as one environment of a merged report. */
export interface MergedEnvironment {
  /** A token for element ids: `e1`, `e2`, … in the order given. */
  readonly id: string
  /** The shortest name that tells it apart: `bun 1.4.5`, `node24 24.21.0 · 64 cores`. */
  readonly name: string
  /** Fewer words still, for chart labels: the runtime's name where that alone tells it apart, else `name`. */
  readonly tag: string
  /** Runtime, machine and run in full. */
  readonly label: string
  /** Where the file was read from. */
  readonly source: string
  readonly results: Results
}

/** The runtime a file's children ran under, in words: `bun 1.4.5`, or `node v24.21.0` for an older file. */
export function runtimeText(results: Results): string {
  const r = results.environment.runtime
  return r ? `${r.name} ${r.version}` : `node ${results.environment.node}`
}

/** The machine a file was measured on, in words. */
export function machineText(results: Results): string {
  const e = results.environment
  return `${e.cores} cores ${e.cpuModel}, ${e.os}`
}

/** The files as environments, named apart, in the order given. */
export function environmentsOf(
  files: readonly { readonly source: string; readonly results: Results }[],
): MergedEnvironment[] {
  const machines = new Set(files.map((f) => machineText(f.results)))
  const named = files.map((f) => {
    const runtime = runtimeText(f.results)
    const machine = machineText(f.results)
    return {
      ...f,
      name: machines.size > 1 ? `${runtime} · ${f.results.environment.cores} cores` : runtime,
      machine,
      runtime,
    }
  })
  const count = Map.groupBy(named, (n) => n.name)
  const runtimeName = (r: Results) => r.environment.runtime?.name ?? 'node'
  const tags = Map.groupBy(named, (n) => runtimeName(n.results))
  return named.map((n, i) => ({
    id: `e${i + 1}`,
    name: (count.get(n.name)?.length ?? 0) > 1 ? `${n.name} (${n.results.runId})` : n.name,
    tag:
      (tags.get(runtimeName(n.results))?.length ?? 0) === 1
        ? runtimeName(n.results)
        : (count.get(n.name)?.length ?? 0) > 1
          ? `${n.name} (${n.results.runId})`
          : n.name,
    label: `${n.runtime} on ${n.machine}; ${n.results.profile} run ${n.results.runId}`,
    source: n.source,
    results: n.results,
  }))
}
