#!/usr/bin/env node
/**
 * The mock world as a process of its own, for benchmarks: the mock server and
 * a port fixture, so the contestant's child and the world never share an
 * event loop. Started with an IPC channel, it sends one `ready` message with
 * its addresses and serves `stats` requests; it closes everything and exits on
 * `close`, on SIGTERM/SIGINT, or when its parent goes away.
 */
import { createServer } from 'node:net'
import { startMockServer } from './mock-server.ts'
import { startPortFixture } from './port-fixture.ts'

/** The `ready` message. */
export interface WorldReady {
  readonly type: 'ready'
  readonly origin: string
  readonly host: string
  readonly open: readonly number[]
  readonly filtered: readonly number[]
  /** Fixture ports placed in 1–1024, for the well-known-ports scan; empty when binding them was not allowed. */
  readonly lowPorts: { readonly open: readonly number[]; readonly filtered: readonly number[] }
}

/** Ports in 1–1024 that nothing uses and this process may bind (binding below 1024 needs root). */
async function freeLowPorts(candidates: readonly number[], wanted: number): Promise<number[]> {
  const found: number[] = []
  for (const port of candidates) {
    if (found.length === wanted) break
    const ok = await new Promise<boolean>((resolve) => {
      const probe = createServer()
      probe.once('error', () => resolve(false))
      probe.listen({ host: '127.0.0.1', port }, () => probe.close(() => resolve(true)))
    })
    if (ok) found.push(port)
  }
  return found
}

const low = await freeLowPorts([113, 137, 139, 445, 513, 514, 543, 544, 1001, 1002, 1003, 1004], 6)
const server = await startMockServer()
const fixture = await startPortFixture({
  open: 2,
  filtered: 2,
  openPorts: low.slice(0, 3),
  filteredPorts: low.slice(3, 6),
})

let closing = false
async function close(code: number) {
  if (closing) return
  closing = true
  await fixture.close()
  await server.close()
  if (process.connected) process.disconnect()
  process.exitCode = code
}

const ready: WorldReady = {
  type: 'ready',
  origin: server.origin,
  host: fixture.host,
  open: fixture.open,
  filtered: fixture.filtered,
  lowPorts: { open: low.slice(0, 3), filtered: low.slice(3, 6) },
}
if (process.send) {
  process.send(ready)
  process.on('message', (message: { type?: string; tag?: string }) => {
    if (message.type === 'close') void close(0)
    // Between measured runs the harness has the world collect its garbage, so one
    // run's leftovers are not collected inside the next one's timed window.
    if (message.type === 'gc') {
      ;(globalThis as { gc?: () => void }).gc?.()
      process.send?.({ type: 'gc-done' })
    }
  })
  process.on('disconnect', () => void close(0))
} else {
  console.log(JSON.stringify(ready))
}
process.on('SIGTERM', () => void close(0))
process.on('SIGINT', () => void close(130))
