import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { describe, expect, it } from 'vitest'
import { eventually, running } from './process-support.ts'

const parentScript = new URL('./fixtures/process-parent.ts', import.meta.url)

/** Starts the fixture parent and resolves with it and its children's pids once it has opened the variant. */
async function startParent(...args: string[]) {
  const parent = spawn(process.execPath, [parentScript.pathname, ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  let output = ''
  parent.stdout.setEncoding('utf8')
  for await (const chunk of parent.stdout) {
    output += chunk
    if (output.includes('\n')) break
  }
  const { pids } = JSON.parse(output) as { pids: number[] }
  return { parent, pids }
}

describe('no orphan process when the parent dies', () => {
  for (const [signal, busy] of [
    ['SIGINT', false],
    ['SIGINT', true],
    ['SIGKILL', false],
    ['SIGKILL', true],
  ] as const) {
    it(`${signal} to the parent${busy ? ' while its processes hash' : ''}: every child exits, its IPC channel closed`, async () => {
      const { parent, pids } = await startParent(...(busy ? ['--busy'] : []))
      expect(pids, 'two hash and two scan processes').toHaveLength(4)
      expect(pids.every(running)).toBe(true)
      const exited = once(parent, 'exit')
      parent.kill(signal)
      expect((await exited)[1]).toBe(signal)
      const left = await eventually(
        () => pids.filter(running),
        (pids) => pids.length === 0,
        3000,
      )
      for (const pid of left) process.kill(pid, 'SIGKILL')
      expect(left, 'children still running after their parent died').toEqual([])
    })
  }
})
