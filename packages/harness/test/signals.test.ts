import { spawn } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const cli = fileURLToPath(new URL('../src/cli.ts', import.meta.url))

/** Every process whose parent chain leads to `root`, read from /proc. */
function descendants(root: number): number[] {
  const parents = new Map<number, number>()
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8')
      parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]))
    } catch {
      // The process ended while we looked.
    }
  }
  const found: number[] = []
  const walk = (pid: number) => {
    for (const [child, parent] of parents) {
      if (parent === pid) {
        found.push(child)
        walk(child)
      }
    }
  }
  walk(root)
  return found
}

/** Running, not just a zombie waiting for a reaper (PID 1 here does not always reap). */
const alive = (pid: number) => {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0] !== 'Z'
  } catch {
    return false
  }
}

describe.each(['SIGTERM', 'SIGINT'] as const)('the arena command on %s', (signal) => {
  it('stops within 2 s, leaves no process behind and no results file', async () => {
    const out = mkdtempSync(join(tmpdir(), 'arena-signal-'))
    const child = spawn(
      process.execPath,
      [cli, '--profile', 'quick', '--impl', 'promises', '--out', out],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    )
    let stderr = ''
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString()
    })
    // Wait until the world and at least one cell child are up.
    const deadline = Date.now() + 30_000
    while (descendants(child.pid ?? 0).length < 2 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50))
    const started = descendants(child.pid ?? 0)
    expect(started.length).toBeGreaterThanOrEqual(2)
    const exited = new Promise<number | null>((resolve) =>
      child.once('exit', (code) => resolve(code)),
    )
    const sentAt = performance.now()
    child.kill(signal)
    const code = await exited
    expect(performance.now() - sentAt).toBeLessThan(2000)
    expect(code).toBe(130)
    expect(stderr).toMatch(new RegExp(`${signal}: stopping`))
    await new Promise((r) => setTimeout(r, 300))
    const cmdline = (pid: number) =>
      `${pid}: ${readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ')}`
    expect(started.filter(alive).map(cmdline)).toEqual([])
    expect(readdirSync(out)).toEqual([])
  })
})
