/**
 * `Tcp` on Effect's socket module, for the `native` variant: a probe opens
 * an Effect `Socket` (`NodeSocket.fromDuplex`) and acquires its reader,
 * which is the connect, inside a scope whose finalizer resets the socket (an
 * RST, so a full scan leaves no TIME_WAIT behind). The connection itself is
 * opened here rather than by `NodeSocket.makeNet`, which hides the Node
 * socket: a connect to an ephemeral port can be handed that same port as its
 * source and "succeed" by connecting to itself (TCP simultaneous open), and
 * only the socket's own addresses tell. Nothing listens there: `closed`.
 */
import { connect, type Socket as NetSocket } from 'node:net'
import * as NodeSocket from '@effect/platform-node/NodeSocket'
import * as Effect from 'effect/Effect'
import * as Layer from 'effect/Layer'
import * as Socket from 'effect/socket/Socket'
import { NetworkError } from './errors.ts'
import { Tcp } from './tcp.ts'

const openError = (cause: unknown) =>
  new Socket.SocketError({ reason: new Socket.SocketOpenError({ kind: 'Unknown', cause }) })

const refused = (error: Socket.SocketError) =>
  error.reason._tag === 'SocketOpenError' &&
  (error.reason.cause as { code?: unknown } | undefined)?.code === 'ECONNREFUSED'

/** Resets a connected socket (no TIME_WAIT); one still connecting is only destroyed. */
const release = (conn: NetSocket) =>
  Effect.sync(() => {
    if (conn.destroyed) return
    if (conn.connecting) conn.destroy()
    else conn.resetAndDestroy()
  })

const probe = (host: string, port: number) =>
  Effect.gen(function* () {
    const conn = yield* Effect.acquireRelease(
      Effect.sync(() => connect({ host, port })),
      release,
    )
    const socket = yield* NodeSocket.fromDuplex(
      Effect.callback<NetSocket, Socket.SocketError>((resume) => {
        conn.once('connect', () => resume(Effect.succeed(conn)))
        conn.once('error', (cause) => resume(Effect.fail(openError(cause))))
      }),
    )
    yield* socket.reader
    const self = conn.localPort === conn.remotePort && conn.localAddress === conn.remoteAddress
    return self ? ('closed' as const) : ('open' as const)
  }).pipe(
    Effect.scoped,
    Effect.catch((error) =>
      refused(error)
        ? Effect.succeed('closed' as const)
        : Effect.fail(new NetworkError({ cause: error })),
    ),
  )

/** `Tcp` on Effect's socket module. */
export const nativeTcp: Layer.Layer<Tcp> = Layer.succeed(Tcp, Tcp.of({ probe }))
