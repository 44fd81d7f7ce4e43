/**
 * The `Tcp` service: one connect probe, as an Effect whose interruption
 * destroys the socket. Its default layer wraps core's shared `tcpProbe`;
 * `native-tcp.ts` provides the same service on Effect's socket module. A
 * probe that never answers is not decided here: the scanner's own timeout
 * interrupts it and calls the port `filtered`.
 */
import { tcpProbe } from '@arena/core'
import * as Context from 'effect/Context'
import * as Effect from 'effect/Effect'
import * as Layer from 'effect/Layer'
import { NetworkError } from './errors.ts'

/** Connect probes to loopback ports. */
export class Tcp extends Context.Service<
  Tcp,
  {
    /** Connects to `host:port` and closes at once: `open`, or `closed` when refused. */
    readonly probe: (host: string, port: number) => Effect.Effect<'open' | 'closed', NetworkError>
  }
>()('@arena/impl-effect/Tcp') {}

/** `Tcp` on core's shared probe. */
export const sharedTcp: Layer.Layer<Tcp> = Layer.succeed(
  Tcp,
  Tcp.of({
    probe: (host, port) =>
      Effect.tryPromise({
        try: (signal) => tcpProbe(host, port, { signal }),
        catch: (cause) => new NetworkError({ cause }),
      }),
  }),
)
