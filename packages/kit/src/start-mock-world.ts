/**
 * Starting the mock world: the mock server and a port fixture, together, as
 * one thing with one description. The world process (`mock-world-main.ts`,
 * which the harness starts), the vitest global setup of contestants' tests and
 * anything else that needs a world all start it here, and all describe it with
 * {@link MockWorldInfo}, which is plain data: the world process sends it over
 * IPC, vitest hands it to test files with `provide`.
 */
import { createServer } from 'node:net'
import { startMockServer } from './mock-server.ts'
import { startPortFixture } from './port-fixture.ts'

/** Where a running mock world is and what its fixture holds. Serialisable. */
export interface MockWorldInfo {
  /** The mock server's origin, like `http://127.0.0.1:41234`. */
  readonly origin: string
  /** The port fixture's host. */
  readonly host: string
  /** Fixture ports that accept connections. */
  readonly open: readonly number[]
  /** Fixture ports where a connect hangs until the client's timeout. */
  readonly filtered: readonly number[]
  /** Those of `open` and `filtered` placed in 1–1024, for the well-known-ports scan; empty when not asked for or not allowed. */
  readonly lowPorts: { readonly open: readonly number[]; readonly filtered: readonly number[] }
}

/** Options of {@link startMockWorld}. */
export interface MockWorldOptions {
  /** Open ports on free ephemeral ports (default 3). */
  readonly open?: number
  /** Filtered ports on free ephemeral ports (default 3). */
  readonly filtered?: number
  /** Also place up to 3 open and 3 filtered ports in 1–1024, where this process may bind them (default false). */
  readonly lowPorts?: boolean
}

/** A running mock world. */
export interface MockWorld {
  readonly info: MockWorldInfo
  /** Closes the fixture and the server: no listener, thread, socket or timer is left. */
  close(): Promise<void>
}

/** Ports below 1024 nothing uses and that this process may bind (binding them needs root). */
const LOW_PORT_CANDIDATES = [113, 137, 139, 445, 513, 514, 543, 544, 1001, 1002, 1003, 1004]

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

/** Starts the mock server and a port fixture, and resolves once both are ready. */
export async function startMockWorld(options: MockWorldOptions = {}): Promise<MockWorld> {
  const low = options.lowPorts ? await freeLowPorts(LOW_PORT_CANDIDATES, 6) : []
  const lowPorts = { open: low.slice(0, 3), filtered: low.slice(3, 6) }
  const server = await startMockServer()
  let fixture: Awaited<ReturnType<typeof startPortFixture>>
  try {
    fixture = await startPortFixture({
      open: options.open ?? 3,
      filtered: options.filtered ?? 3,
      openPorts: lowPorts.open,
      filteredPorts: lowPorts.filtered,
    })
  } catch (error) {
    await server.close()
    throw error
  }
  return {
    info: {
      origin: server.origin,
      host: fixture.host,
      open: fixture.open,
      filtered: fixture.filtered,
      lowPorts,
    },
    close: async () => {
      await fixture.close()
      await server.close()
    },
  }
}
