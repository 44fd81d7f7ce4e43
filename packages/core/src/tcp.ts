/**
 * The shared TCP primitive: one connect probe to a loopback port. It answers
 * `open` or `closed`; a port that never answers is `filtered`, which only the
 * contestant's own timeout can decide (it aborts the probe's signal).
 */
import { connect } from 'node:net'
import { expectLoopback } from './loopback.ts'
import { expectInteger } from './validate.ts'

/** Options of one probe. */
export interface ProbeOptions {
  /** Aborts the connect; the promise rejects with `signal.reason` and the socket is destroyed. */
  readonly signal?: AbortSignal
}

/**
 * Connects to `host:port` and closes at once. Resolves `open` when the connect
 * succeeds, `closed` when it is refused; rejects with `signal.reason` when
 * aborted and with the socket error (with a `code`) otherwise.
 *
 * A connect to a port in the ephemeral range can be handed that same port as
 * its own source port and "succeed" by connecting to itself (TCP simultaneous
 * open). Nothing listens there, so such a probe reports `closed`.
 * @throws TypeError for a non-loopback host or a port outside 1–65535
 */
export function tcpProbe(
  host: string,
  port: number,
  { signal }: ProbeOptions = {},
): Promise<'open' | 'closed'> {
  expectLoopback('host', host)
  expectInteger('port', port, 1, 65535)
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason)
    const socket = connect({ host, port })
    const onAbort = () => {
      socket.destroy()
      reject(signal?.reason)
    }
    signal?.addEventListener('abort', onAbort, { once: true })
    const settle = () => signal?.removeEventListener('abort', onAbort)
    socket.once('connect', () => {
      settle()
      const self =
        socket.localPort === socket.remotePort && socket.localAddress === socket.remoteAddress
      // resetAndDestroy: an RST instead of a FIN, so a full scan leaves no TIME_WAIT behind.
      socket.resetAndDestroy()
      resolve(self ? 'closed' : 'open')
    })
    socket.once('error', (error: NodeJS.ErrnoException) => {
      settle()
      socket.destroy()
      if (error.code === 'ECONNREFUSED') resolve('closed')
      else reject(error)
    })
  })
}
