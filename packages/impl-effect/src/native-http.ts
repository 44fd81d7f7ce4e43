/**
 * `Http` on Effect's own `HttpClient`, for the `native` variant: the Node
 * adapter over an undici `Agent` with keep-alive and `connections` sockets
 * per origin (sized to the run's concurrency), scoped to the layer. Left as
 * it comes otherwise: tracing spans and trace-header propagation stay on, so
 * the row shows what the client stack costs as an Effect user gets it.
 * Bodies are read with `response.arrayBuffer`: `response.stream` ends every
 * request by aborting its controller, and the `DOMException` that allocates
 * (stack trace included) cost ~30 µs a request when measured.
 * Failures are classified like core's shared primitive: a non-2xx status is
 * a `StatusError` (its body drained so the connection is reused), a reset or
 * truncated body a `NetworkError` with the undici error as its cause.
 */
import { crc32 } from 'node:zlib'
import { type FetchValue, formatChecksum } from '@arena/core'
import * as NodeHttpClient from '@effect/platform-node/NodeHttpClient'
import * as Effect from 'effect/Effect'
import * as HttpClient from 'effect/http/HttpClient'
import type * as HttpClientError from 'effect/http/HttpClientError'
import type * as HttpClientResponse from 'effect/http/HttpClientResponse'
import * as Layer from 'effect/Layer'
import { NetworkError, StatusError } from './errors.ts'
import { Http } from './http.ts'

const network = (error: HttpClientError.HttpClientError) => new NetworkError({ cause: error })

/** Fails a non-2xx response with its status, after reading its body off the connection. */
const ok = (response: HttpClientResponse.HttpClientResponse) =>
  response.status >= 200 && response.status <= 299
    ? Effect.succeed(response)
    : response.arrayBuffer.pipe(
        Effect.ignore,
        Effect.andThen(Effect.fail(new StatusError({ status: response.status }))),
      )

/** `Http` on Effect's `HttpClient`, `connections` keep-alive sockets per origin. */
export const nativeHttp = (_origin: string, connections: number): Layer.Layer<Http> =>
  Layer.effect(
    Http,
    Effect.gen(function* () {
      const client = yield* HttpClient.HttpClient
      const send = (url: string) =>
        client.get(url).pipe(Effect.mapError(network), Effect.flatMap(ok))
      return Http.of({
        get: (url) =>
          send(url).pipe(
            Effect.flatMap((response) =>
              Effect.map(
                Effect.mapError(response.arrayBuffer, network),
                (body): FetchValue => ({
                  status: response.status,
                  bytes: body.byteLength,
                  checksum: formatChecksum(crc32(new Uint8Array(body))),
                }),
              ),
            ),
          ),
        getBody: (url) =>
          send(url).pipe(
            Effect.flatMap((response) => Effect.mapError(response.arrayBuffer, network)),
            Effect.map((buffer) => new Uint8Array(buffer)),
          ),
      })
    }),
  ).pipe(
    Layer.provide(
      NodeHttpClient.layerUndiciOptions({ connections, pipelining: 1, keepAliveTimeout: 30_000 }),
    ),
  )
