#!/usr/bin/env node
/**
 * `pnpm bench:heap`: chooses the heap-levelling protocol by measurement. The
 * same cells — promises/default at the default profile's central points of
 * every workload — are run through the harness itself under each protocol
 * (`minor`, `full-rewarm`, `full`, `none`; profiles.ts says what each does),
 * the protocols alternated pass by pass in a rotating order so drift spreads
 * over all of them. Every run is verified, as in any harness run. It prints,
 * per cell, each protocol's median throughput over its passes, its spread,
 * and its ratio to `minor`. Options: --passes (2), --rounds (3, per pass).
 */
import { availableParallelism, loadavg } from 'node:os'
import { parseArgs } from 'node:util'
import { expectInteger, medianOf } from '../packages/core/src/index.ts'
import {
  discoverContestants,
  findWorkspaceRoot,
  type HeapLevel,
  type Profile,
  profiles,
  runBench,
} from '../packages/harness/src/index.ts'

const { values } = parseArgs({
  options: {
    passes: { type: 'string', default: '2' },
    rounds: { type: 'string', default: '3' },
  },
})
const passes = expectInteger('--passes', Number(values.passes), 1, 10)
const rounds = expectInteger('--rounds', Number(values.rounds), 2, 20)

const root = findWorkspaceRoot(process.cwd())
const { found } = await discoverContestants(root)
const base = profiles.default as Profile
const pick = (w: keyof Profile['points'], ids: readonly string[]) =>
  base.points[w].filter((p) => ids.includes(p.id))
const points = {
  fetch: pick('fetch', ['c64-b1k-l0', 'c64-b64k-l5']),
  hash: pick('hash', ['p2-s1m', 'p0-s64']),
  scanPort: pick('scanPort', ['r1024-c100']),
  pipeline: pick('pipeline', ['c64-p2-b64k']),
}
const levels: readonly HeapLevel[] = ['minor', 'full-rewarm', 'full', 'none']
const rates = new Map<string, Map<HeapLevel, number[]>>()
const silent = { start() {}, tick() {}, note() {}, stop() {} }
const load = () =>
  loadavg()
    .map((x) => x.toFixed(1))
    .join(' ')

console.log(
  `Heap-levelling protocols — promises/default, ${rounds} rounds per protocol and pass, ${passes} passes; Node ${process.version}, ${availableParallelism()} cores, load ${load()}`,
)
for (let pass = 0; pass < passes; pass++)
  for (let k = 0; k < levels.length; k++) {
    const heap = levels[(k + pass) % levels.length] as HeapLevel
    const { budgetSeconds: _unbounded, ...repetition } = base.repetition
    const profile: Profile = {
      ...base,
      points,
      robustness: {},
      centralPoints: {},
      repetition: { ...repetition, heap, minRounds: rounds, maxRounds: rounds },
    }
    const results = await runBench({
      root,
      profile,
      seed: 1,
      contestants: found,
      aa: [],
      ceilings: false,
      filters: { implementations: ['promises'], variants: ['default'], workloads: [] },
      baseline: 'promises/default',
      progress: silent,
    })
    for (const c of results.cells) {
      if (c.status !== 'ok') throw new Error(`${c.id} under ${heap}: ${c.failure.message}`)
      const key = `${c.workload}/${c.point.id}`
      const row = rates.get(key) ?? new Map<HeapLevel, number[]>()
      rates.set(key, row)
      row.set(heap, [...(row.get(heap) ?? []), c.stats.medianItemsPerSecond])
    }
    console.error(`pass ${pass + 1}: ${heap} done (load ${load()})`)
  }

for (const [key, row] of rates) {
  const minor = medianOf(row.get('minor') ?? []) ?? Number.NaN
  const parts = levels.map((heap) => {
    const list = row.get(heap) ?? []
    const m = medianOf(list) ?? Number.NaN
    return `${heap} ${Math.round(m)}/s (${list.map(Math.round).join(', ')}) ${(m / minor).toFixed(2)}×`
  })
  console.log(`${key.padEnd(24)} ${parts.join(' · ')}`)
}
console.log(`(load now ${load()})`)
