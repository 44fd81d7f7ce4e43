/**
 * The shared TCP primitive: one connect probe to a loopback port. It answers
 * `open` or `closed`; a port that never answers is `filtered`, which only the
 * contestant's own timeout can decide (it aborts the probe's signal).
 *
 * A full scan is 65,535 of these on one event loop, so a probe costs little:
 * its socket carries its state (a `Socket` subclass), its socket listeners
 * are shared functions, and only its abort listener is a closure. A refusal
 * answers `closed` from the socket's `connectionAttemptFailed` event, which
 * Node emits with its `ECONNREFUSED` error after building it and before
 * destroying the socket with it. Stream destruction reads `error.stack`, and
 * formatting that string cost a raw connect loop 15 % of its CPU here (48
 * against 41 µs a probe), so the probe first gives the error a one-line
 * stack; only `Error.stackTraceLimit`, which is the whole process's, could
 * stop Node capturing the frames. The probe builds no error of its own.
 */
import { Socket } from 'node:net'
import { expectLoopback } from './loopback.ts'
import { expectInteger } from './validate.ts'

/** Options of one probe. */
export interface ProbeOptions {
  /** Aborts the connect; the promise rejects with `signal.reason` and the socket is destroyed. */
  readonly signal?: AbortSignal
}

type Answer = 'open' | 'closed'

/**
 * A probe's socket, holding the probe's state (in private fields, which no
 * future `Socket` property can collide with) so its listeners need no closure.
 */
class ProbeSocket extends Socket {
  #settled = false
  #signal: AbortSignal | undefined = undefined
  #onAbort: (() => void) | undefined = undefined
  #resolve: (answer: Answer) => void
  #reject: (reason: unknown) => void

  constructor(
    resolve: (answer: Answer) => void,
    reject: (reason: unknown) => void,
    signal: AbortSignal | undefined,
  ) {
    super()
    this.#resolve = resolve
    this.#reject = reject
    if (signal) {
      this.#signal = signal
      // An answer the kernel has already delivered wins over a deadline that
      // expired while the event loop was busy elsewhere: timers run before I/O
      // in a turn of the loop, so the abort is applied only after this turn's
      // I/O (setImmediate runs after the poll phase). Under a 4,000-wide scan a
      // busy loop otherwise reports refused ports as `filtered`.
      this.#onAbort = () => setImmediate(onExpired, this)
      signal.addEventListener('abort', this.#onAbort)
    }
    this.on('connect', onConnect)
    this.on('connectionAttemptFailed', onAttemptFailed)
    // Stays attached after the answer: an error emitted later must not go unhandled.
    this.on('error', onError)
  }

  #settle(): boolean {
    if (this.#settled) return false
    this.#settled = true
    if (this.#onAbort) this.#signal?.removeEventListener('abort', this.#onAbort)
    return true
  }

  probeConnected(): void {
    if (!this.#settle()) return
    // Connected to itself (TCP simultaneous open, see tcpProbe): nothing listens there.
    const self = this.localPort === this.remotePort && this.localAddress === this.remoteAddress
    // resetAndDestroy: an RST instead of a FIN, so a full scan leaves no TIME_WAIT behind.
    this.resetAndDestroy()
    this.#resolve(self ? 'closed' : 'open')
  }

  probeRefused(error: NodeJS.ErrnoException): void {
    if (error.code !== 'ECONNREFUSED') return
    // Nobody sees this error (the answer is `closed`); set now, its stack is never formatted.
    error.stack = `${error.name}: ${error.message}`
    if (this.#settle()) this.#resolve('closed')
  }

  probeFailed(error: NodeJS.ErrnoException): void {
    if (!this.#settle()) return
    this.destroy()
    if (error.code === 'ECONNREFUSED') this.#resolve('closed')
    else this.#reject(error)
  }

  probeExpired(): void {
    if (!this.#settle()) return
    this.destroy()
    this.#reject(this.#signal?.reason)
  }
}

function onConnect(this: ProbeSocket): void {
  this.probeConnected()
}

function onAttemptFailed(
  this: ProbeSocket,
  _address: string,
  _port: number,
  _family: number,
  error: NodeJS.ErrnoException,
): void {
  this.probeRefused(error)
}

function onError(this: ProbeSocket, error: NodeJS.ErrnoException): void {
  this.probeFailed(error)
}

function onExpired(socket: ProbeSocket): void {
  socket.probeExpired()
}

let lastLoopbackHost: string | undefined

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
  // A scan probes one host 65,535 times: the last host found loopback is not parsed again.
  if (host !== lastLoopbackHost) lastLoopbackHost = expectLoopback('host', host)
  expectInteger('port', port, 1, 65535)
  if (signal?.aborted) return Promise.reject(signal.reason)
  return new Promise((resolve, reject) => {
    new ProbeSocket(resolve, reject, signal).connect({ host, port })
  })
}
