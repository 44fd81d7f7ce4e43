// The CI workflow's merge step cannot run here as GitHub runs it; its command can: read from the
// workflow file, run with bash from the repository's root on two local results files laid out as
// download-artifact lays them (one folder per artifact), with the step's own variables pointed here.
import { execFile } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { delimiter, dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { fastNode, slowBun } from './fixtures/environments.ts'

const root = fileURLToPath(new URL('../../../', import.meta.url))
const workflow = readFileSync(join(root, '.github/workflows/bench-matrix.yml'), 'utf8')

/** The step with `id: <id>`: its `run` line and its `env` entries, as written in the file. */
function step(id: string) {
  const start = workflow.search(new RegExp(`\\n\\s+id: ${id}\\n`))
  expect(start, `a step with id ${id}`).toBeGreaterThan(0)
  const rest = workflow.slice(start)
  const end = rest.slice(1).search(/\n\s+- (name|uses):/)
  const block = end < 0 ? rest : rest.slice(0, end + 2)
  const run = /\n\s+run: (.+)\n/.exec(block)?.[1]
  const env = Object.fromEntries(
    [...(/\n(\s+)env:\n((?:\1\s+\w+: .+\n)+)/.exec(block)?.[2] ?? '').matchAll(/(\w+): (.+)/g)].map(
      (m) => [m[1], m[2]],
    ),
  )
  return { run, env }
}

describe('the bench-matrix workflow', () => {
  it('runs every pair of runner and runtime, and merges what they uploaded', () => {
    expect(workflow).toMatch(/runtime: \[node24, node22, node26, bun, deno\]/)
    expect(workflow).toMatch(/--runtime "\$RUNTIME"/)
    expect(workflow).toMatch(/pattern: results-\*/)
    expect(workflow).toMatch(/needs: bench/)
  })

  it('merges two results files with the merge step’s own command', async () => {
    const { run, env } = step('merge')
    expect(run).toBeDefined()
    expect(run).not.toMatch(/\$\{\{/)
    expect(Object.keys(env).sort()).toEqual(['REPORT', 'RESULTS_DIR'])
    const dir = mkdtempSync(join(tmpdir(), 'arena-workflow-'))
    const artifacts = join(dir, 'artifacts')
    for (const [name, file, results] of [
      ['results-ubuntu-24.04-node24', 'latest.json', fastNode()],
      ['results-ubuntu-24.04-arm-bun', 'latest@bun.json', slowBun()],
    ] as const) {
      mkdirSync(join(artifacts, name), { recursive: true })
      writeFileSync(join(artifacts, name, file), JSON.stringify(results))
    }
    const report = join(dir, 'merged', 'index.html')
    const { stdout } = await promisify(execFile)('bash', ['-euo', 'pipefail', '-c', run ?? ''], {
      cwd: root,
      env: {
        ...process.env,
        // The runner's `node` is Node 24 (setup-node); here, the one running this test.
        PATH: `${dirname(process.execPath)}${delimiter}${process.env.PATH ?? ''}`,
        RESULTS_DIR: artifacts,
        REPORT: report,
      },
    })
    expect(stdout).toMatch(/2 environments merged/)
    const page = readFileSync(report, 'utf8')
    expect(page).toMatch(/Where the answer changes/)
    expect(page).toMatch(/node24 24\.21\.0/)
    expect(page).toMatch(/bun 1\.4\.5/)
  })
})
