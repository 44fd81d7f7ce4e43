/**
 * Servers for core's HTTP client tests: a node:http server with one route per
 * kind of answer the client must handle, and a raw TCP server for answers
 * node:http will not send (close-delimited, not HTTP at all, a body shorter
 * than its Content-Length). Each counts the requests it has received.
 */
import { createServer, type Server, type ServerResponse } from 'node:http'
import { createServer as createTcpServer, type Socket, type Server as TcpServer } from 'node:net'
import { gzipSync } from 'node:zlib'

/** The body most routes send: 5,000 bytes that are not all alike. */
export const BODY = Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 7 + 3) % 251))
/** What `/gzip` sends, as sent: the client does not decompress. */
export const GZIPPED = gzipSync(BODY)

/** A started server: its origin, how many requests it has seen, and how to stop it. */
export interface TestServer {
  readonly origin: string
  requests(): number
  /** The request targets received, in order. */
  readonly targets: string[]
  close(): Promise<void>
}

function routes(path: string, res: ServerResponse, socket: Socket) {
  switch (path) {
    case '/ok':
      return res.writeHead(200, { 'content-length': BODY.length }).end(BODY)
    case '/chunked':
      res.writeHead(200)
      for (let at = 0; at < BODY.length; at += 1000) res.write(BODY.subarray(at, at + 1000))
      return res.end()
    case '/gzip':
      return res
        .writeHead(200, { 'content-encoding': 'gzip', 'content-length': GZIPPED.length })
        .end(GZIPPED)
    case '/empty':
      return res.writeHead(204).end()
    case '/early-hints':
      res.writeEarlyHints({ link: '</style.css>; rel=preload' })
      return res.writeHead(200, { 'content-length': BODY.length }).end(BODY)
    case '/missing':
      return res.writeHead(404, { 'content-length': 9 }).end('not here\n')
    case '/redirect':
      return res.writeHead(302, { location: '/ok', 'content-length': 0 }).end()
    case '/stall':
      return
    case '/half':
      // Half the body, then silence: an abort arrives mid-body.
      res.writeHead(200, { 'content-length': BODY.length })
      return res.write(BODY.subarray(0, BODY.length / 2))
    case '/truncate':
      res.writeHead(200, { 'content-length': BODY.length })
      return res.write(BODY.subarray(0, BODY.length / 2), () => socket.destroy())
    case '/reset':
      return socket.resetAndDestroy()
    default:
      // Echo: the request target as the server received it.
      return res.writeHead(200).end(path)
  }
}

/** Starts the node:http test server on 127.0.0.1. */
export async function startHttpServer(): Promise<TestServer> {
  const targets: string[] = []
  const server: Server = createServer((req, res) => {
    targets.push(req.url ?? '')
    routes(req.url ?? '', res, req.socket)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  return {
    origin: `http://127.0.0.1:${port}`,
    requests: () => targets.length,
    targets,
    close: async () => {
      server.closeAllConnections()
      await new Promise((resolve) => server.close(resolve))
    },
  }
}

const HEAD_200 = 'HTTP/1.1 200 OK\r\n'

/** Starts the raw TCP test server on 127.0.0.1: one answer per path, written as bytes. */
export async function startRawServer(): Promise<TestServer> {
  const targets: string[] = []
  const server: TcpServer = createTcpServer((socket) => {
    socket.on('error', () => {})
    socket.once('data', (data) => {
      const target = data.toString('latin1').split(' ')[1] ?? ''
      targets.push(target)
      if (target === '/close-delimited')
        socket.end(Buffer.concat([Buffer.from(`${HEAD_200}connection: close\r\n\r\n`), BODY]))
      else if (target === '/short')
        socket.end(
          Buffer.concat([
            Buffer.from(`${HEAD_200}content-length: ${BODY.length + 10}\r\n\r\n`),
            BODY,
          ]),
        )
      else if (target === '/huge-length')
        socket.write(`${HEAD_200}content-length: 99999999999999\r\n\r\nabc`, () => socket.destroy())
      else socket.end('NOT HTTP AT ALL\r\n\r\n')
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  const sockets = new Set<Socket>()
  server.on('connection', (socket) => {
    sockets.add(socket)
    socket.once('close', () => sockets.delete(socket))
  })
  return {
    origin: `http://127.0.0.1:${port}`,
    requests: () => targets.length,
    targets,
    close: async () => {
      for (const socket of sockets) socket.destroy()
      await new Promise((resolve) => server.close(resolve))
    },
  }
}
