/**
 * `Clients`: core's promise-level HTTP client per origin, for the `tuned`
 * variant (whose lanes call the client directly instead of through the
 * `Http` service). An `RcMap` keyed by origin, with no idle expiry: each
 * origin's client is created on its first call and closed when the
 * enclosing scope closes (one call's, or an open instance's).
 */
import type { HttpClient } from '@arena/core'
import * as Context from 'effect/Context'
import type * as Effect from 'effect/Effect'
import * as Layer from 'effect/Layer'
import * as RcMap from 'effect/RcMap'
import type * as Scope from 'effect/Scope'
import { coreClient } from './http.ts'

/** Core's HTTP client of each origin called so far. */
export class Clients extends Context.Service<Clients, RcMap.RcMap<string, HttpClient>>()(
  '@arena/impl-effect/Clients',
) {}

/** `Clients` of `connections` connections each. */
export const clients = (connections: number): Layer.Layer<Clients> =>
  Layer.effect(
    Clients,
    RcMap.make({
      lookup: (origin: string) => coreClient(origin, connections),
      idleTimeToLive: 'Infinity',
    }),
  )

/** The client of `origin`, held for the enclosing scope. */
export const clientOf = (origin: string): Effect.Effect<HttpClient, never, Clients | Scope.Scope> =>
  Clients.use((map) => RcMap.get(map, origin))
