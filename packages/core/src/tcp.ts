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
    let done = false
    const onAbort = () => {
      // An answer the kernel has already delivered wins over a deadline that
      // expired while the event loop was busy elsewhere: timers run before I/O
      // in a turn of the loop, so the abort is applied only after this turn's
      // I/O (setImmediate runs after the poll phase). Under a 4,000-wide scan a
      // busy loop otherwise reports refused ports as `filtered`.
      setImmediate(() => {
        if (done) return
        done = true
        socket.destroy()
        reject(signal?.reason)
      })
    }
    signal?.addEventListener('abort', onAbort, { once: true })
    const settle = () => {
      done = true
      signal?.removeEventListener('abort', onAbort)
    }
    socket.once('connect', () => {
      if (done) return
      settle()
      const self =
        socket.localPort === socket.remotePort && socket.localAddress === socket.remoteAddress
      // resetAndDestroy: an RST instead of a FIN, so a full scan leaves no TIME_WAIT behind.
      socket.resetAndDestroy()
      resolve(self ? 'closed' : 'open')
    })
    socket.once('error', (error: NodeJS.ErrnoException) => {
      if (done) return
      settle()
      socket.destroy()
      if (error.code === 'ECONNREFUSED') resolve('closed')
      else reject(error)
    })
  })
}
