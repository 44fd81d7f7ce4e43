import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { discoverContestants, findWorkspaceRoot } from '../src/discover.ts'

// Inside the package (not node_modules, not /tmp) so the modules resolve @arena/core.
const workspace = fileURLToPath(new URL(`../.tmp/workspace-${process.pid}`, import.meta.url))
const write = (path: string, text: string) => {
  mkdirSync(join(workspace, path, '..'), { recursive: true })
  writeFileSync(join(workspace, path), text)
}
afterAll(() => rmSync(workspace, { recursive: true, force: true }))

const contestant = (id: string) => `import { defineImplementation } from '@arena/core'
const work = async () => []
export const implementation = defineImplementation({ id: '${id}', title: '${id}', style: 'A style.', variants: [
  { id: 'default', title: '${id}', kind: 'idiomatic', description: '', workloads: { fetch: work, hash: work, scanPort: work, pipeline: work } },
] })
`

describe('discovery', () => {
  it('finds every package with an "arena" key, and only those, with nothing else edited', async () => {
    write('pnpm-workspace.yaml', "packages:\n  - 'packages/*'\n")
    write(
      'packages/impl-new/package.json',
      JSON.stringify({
        name: '@x/impl-new',
        version: '1.2.3',
        arena: { implementation: './src/index.js' },
      }),
    )
    write('packages/impl-new/src/index.js', contestant('new'))
    write('packages/impl-new/src/fetch.ts', '// the orchestration code\n')
    write('packages/tools/package.json', JSON.stringify({ name: '@x/tools' }))
    write(
      'packages/impl-broken/package.json',
      JSON.stringify({ name: '@x/impl-broken', arena: { implementation: './src/index.js' } }),
    )
    write('packages/impl-broken/src/index.js', 'export const implementation = { id: "Broken!" }\n')
    const { found, problems } = await discoverContestants(workspace)
    expect(found.map((c) => [c.packageName, c.version, c.implementation.id])).toEqual([
      ['@x/impl-new', '1.2.3', 'new'],
    ])
    expect(problems).toEqual([
      { packageName: '@x/impl-broken', message: expect.stringMatching(/kebab-case/) },
    ])
  })

  it('finds this workspace and its contestants', async () => {
    const root = findWorkspaceRoot(fileURLToPath(import.meta.url))
    const { found } = await discoverContestants(root)
    expect(found.map((c) => c.implementation.id)).toContain('promises')
  })
})
