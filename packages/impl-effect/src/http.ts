/**
 * The `Http` service: one GET, as an Effect whose interruption cancels the
 * request, failing with typed errors. Its default layer wraps core's shared
 * undici pool, acquired and closed with the layer's scope; `native-http.ts`
 * provides the same service on Effect's own `HttpClient`. The workloads
 * depend on the service only, so a variant is just another layer.
 */
import { createHttpClient, type FetchValue, type HttpClient, HttpStatusError } from '@arena/core'
import * as Context from 'effect/Context'
import * as Effect from 'effect/Effect'
import * as Layer from 'effect/Layer'
import type * as Scope from 'effect/Scope'
import { NetworkError, StatusError } from './errors.ts'

/** GETs on a keep-alive pool to one origin. */
export class Http extends Context.Service<
  Http,
  {
    /** Downloads `url`, counting and checksumming the body as it streams by. */
    readonly get: (url: string) => Effect.Effect<FetchValue, StatusError | NetworkError>
    /** Downloads `url` into a body that owns its `ArrayBuffer` (transferable to a worker). */
    readonly getBody: (url: string) => Effect.Effect<Uint8Array, StatusError | NetworkError>
  }
>()('@arena/impl-effect/Http') {}

const classify = (error: unknown): StatusError | NetworkError =>
  error instanceof HttpStatusError
    ? new StatusError({ status: error.status })
    : new NetworkError({ cause: error })

/** Core's shared undici pool of `connections` connections to `origin`, closed with the enclosing scope. */
export const coreClient = (
  origin: string,
  connections: number,
): Effect.Effect<HttpClient, never, Scope.Scope> =>
  Effect.acquireRelease(
    Effect.sync(() => createHttpClient({ origin, connections })),
    (client) => Effect.promise(() => client.close()),
  )

/** `Http` on core's shared undici pool of `connections` connections to `origin`. */
export const sharedHttp = (origin: string, connections: number): Layer.Layer<Http> =>
  Layer.effect(
    Http,
    Effect.gen(function* () {
      const client = yield* coreClient(origin, connections)
      return Http.of({
        get: (url) =>
          Effect.tryPromise({ try: (signal) => client.get(url, { signal }), catch: classify }),
        getBody: (url) =>
          Effect.tryPromise({
            try: (signal) => client.getBody(url, { signal }),
            catch: classify,
          }).pipe(Effect.map(({ body }) => body)),
      })
    }),
  )
