/**
 * The port fixture: known open and filtered ports on 127.0.0.1, so a scan's
 * answer can be proven. Open ports are plain listeners. A filtered port is a
 * listener whose accept queue is full: the kernel then drops incoming SYNs and
 * a connect hangs until the client gives up, exactly as behind a dropping
 * firewall. To keep the queue full the listeners live on a worker thread that
 * is parked (blocked in `Atomics.wait`), so it never accepts, and filler
 * connections occupy the queue's slots (backlog 1 holds two). Node turns
 * `backlog: 0` into 511, hence the tiny non-zero backlog.
 */
import { connect, createServer, type Server, type Socket } from 'node:net'
import { Worker } from 'node:worker_threads'
import type { PortState } from '@arena/core'
import { portStates } from './ground-truth.ts'

/** Options of {@link startPortFixture}. */
export interface PortFixtureOptions {
  /** How many open ports on free ephemeral ports (default 3). */
  readonly open?: number
  /** How many filtered ports on free ephemeral ports (default 3). */
  readonly filtered?: number
  /** Specific ports to open, besides `open` ephemeral ones. */
  readonly openPorts?: readonly number[]
  /** Specific ports to filter, besides `filtered` ephemeral ones. */
  readonly filteredPorts?: readonly number[]
}

/** A running port fixture on 127.0.0.1. */
export interface PortFixture {
  readonly host: '127.0.0.1'
  /** Ports that accept connections. */
  readonly open: readonly number[]
  /** Ports where a connect hangs until the client's timeout. */
  readonly filtered: readonly number[]
  /** Ground truth now: every listener on the machine reachable at 127.0.0.1, open or filtered, the rest closed. */
  truth(): (port: number) => PortState
  /** Releases the parked thread, closes every listener and filler connection. */
  close(): Promise<void>
}

/** The kernel's accept queue for `backlog: 1` holds this many connections. */
const QUEUE_SLOTS = 2
/** How long a connect to a full queue must hang before we trust the port is filtered. */
const FILTER_CHECK_MS = 150

// gate[0]: 0 while parked, 1 to release. gate[1]: set to 1 by the worker just before it parks.
const parkedListeners = `
const { createServer } = require('node:net')
const { parentPort, workerData } = require('node:worker_threads')
const gate = new Int32Array(workerData.gate)
const servers = []
Promise.all(workerData.ports.map((port) => new Promise((resolve, reject) => {
  const server = createServer((socket) => socket.destroy())
  servers.push(server)
  server.once('error', reject)
  server.listen({ host: '127.0.0.1', port, backlog: 1 }, () => resolve(server.address().port))
}))).then((ports) => {
  parentPort.postMessage({ ports })
  // Park in this same turn: from here on the event loop never runs, so nothing is ever accepted.
  Atomics.store(gate, 1, 1)
  Atomics.wait(gate, 0, 0)
  for (const server of servers) server.close()
}, (error) => parentPort.postMessage({ error: error.message }))
`

function connectFiller(port: number, waitMs: number): Promise<Socket | undefined> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port })
    socket.on('error', () => {})
    const timer = setTimeout(() => {
      socket.destroy()
      resolve(undefined)
    }, waitMs)
    socket.once('connect', () => {
      clearTimeout(timer)
      resolve(socket)
    })
  })
}

function listen(port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer((socket) => socket.destroy())
    server.once('error', reject)
    server.listen({ host: '127.0.0.1', port }, () => resolve(server))
  })
}

/** Starts the fixture and resolves once every filtered port is proven to hang. */
export async function startPortFixture(options: PortFixtureOptions = {}): Promise<PortFixture> {
  const openServers = await Promise.all(
    [...(options.openPorts ?? []), ...Array<number>(options.open ?? 3).fill(0)].map(listen),
  )
  const open = openServers.map((s) => (s.address() as { port: number }).port)
  const gate = new SharedArrayBuffer(8)
  const wanted = [...(options.filteredPorts ?? []), ...Array<number>(options.filtered ?? 3).fill(0)]
  const worker = new Worker(parkedListeners, { eval: true, workerData: { ports: wanted, gate } })
  const fillers: Socket[] = []
  const release = async () => {
    Atomics.store(new Int32Array(gate), 0, 1)
    Atomics.notify(new Int32Array(gate), 0)
    for (const socket of fillers) socket.destroy()
    await worker.terminate()
    await Promise.all(openServers.map((s) => new Promise((resolve) => s.close(resolve))))
  }
  try {
    const reply = await new Promise<{ ports?: number[]; error?: string }>((resolve, reject) => {
      worker.once('message', resolve)
      worker.once('error', reject)
    })
    if (!reply.ports) throw new Error(`The port fixture could not listen: ${reply.error}`)
    while (Atomics.load(new Int32Array(gate), 1) !== 1)
      await new Promise((resolve) => setTimeout(resolve, 1))
    const filtered = reply.ports
    for (const port of filtered) {
      // Fill the queue, then prove a further connect hangs; add fillers if the kernel kept more slots.
      for (let i = 0; i < QUEUE_SLOTS; i++) {
        const socket = await connectFiller(port, 1000)
        if (socket) fillers.push(socket)
      }
      for (let extra = 0; ; extra++) {
        const socket = await connectFiller(port, FILTER_CHECK_MS)
        if (!socket) break
        fillers.push(socket)
        if (extra > 8)
          throw new Error(`The port fixture could not fill the accept queue of port ${port}`)
      }
    }
    return {
      host: '127.0.0.1',
      open,
      filtered,
      truth: () => {
        const states = portStates('127.0.0.1', filtered)
        return (port) => states.get(port) ?? 'closed'
      },
      close: release,
    }
  } catch (error) {
    await release()
    throw error
  }
}
