/**
 * `HttpPools`: one `Http` per origin, built on an origin's first call and
 * kept until the enclosing scope closes (one call's, or an open instance's).
 * It is a `LayerMap` of the variant's `Http` layer keyed by origin, with no
 * idle expiry: a warm instance keeps its keep-alive connections between
 * calls. A program that needs `Http` runs `onOrigin(origin)` around itself.
 */
import * as Context from 'effect/Context'
import * as Effect from 'effect/Effect'
import * as Layer from 'effect/Layer'
import * as LayerMap from 'effect/LayerMap'
import type { Http } from './http.ts'

/** How a variant builds the `Http` of one origin with `connections` connections. */
export type HttpLayer = (origin: string, connections: number) => Layer.Layer<Http>

/** The `Http` of each origin called so far. */
export class HttpPools extends Context.Service<HttpPools, LayerMap.LayerMap<string, Http>>()(
  '@arena/impl-effect/HttpPools',
) {}

/** `HttpPools` building each origin's `Http` with `http`, `connections` connections each. */
export const httpPools = (http: HttpLayer, connections: number): Layer.Layer<HttpPools> =>
  Layer.effect(
    HttpPools,
    LayerMap.make((origin: string) => http(origin, connections), { idleTimeToLive: 'Infinity' }),
  )

/** Provides `self` with the `Http` of `origin`. */
export const onOrigin =
  (origin: string) =>
  <A, E, R>(self: Effect.Effect<A, E, R>): Effect.Effect<A, E, Exclude<R, Http> | HttpPools> =>
    HttpPools.use((pools) => Effect.provide(self, pools.get(origin)))
