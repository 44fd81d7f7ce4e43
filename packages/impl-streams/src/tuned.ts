/**
 * The tuned variant: the default's streams, per-item functions, ledger and
 * pool, with Node's ordered `map` swapped for the hand-written `mapUnordered`
 * in every stage. The contract is the same — the `Ledger` puts each outcome at
 * its index — and what changes is that a slow item holds one slot of its
 * stage's `concurrency` instead of stopping the stage once
 * `2 × concurrency − 1` items wait behind it.
 */
import { Readable } from 'node:stream'
import {
  checkFetchInput,
  checkHashInput,
  checkScanInput,
  type FetchValue,
  type HashValue,
  type PipelineValue,
  type ScanValue,
} from '@arena/core'
import { fetchOne } from './fetch.ts'
import { digestOn, digestOnLoop } from './hash.ts'
import { Ledger } from './ledger.ts'
import { oneShot, type Step } from './lifecycle.ts'
import { mapUnordered } from './map-unordered.ts'
import { stages } from './pipeline.ts'
import { probeOne } from './scan-port.ts'

/** fetch, unordered, on the kept resources. */
export const fetchUnorderedOn: Step<'fetch'> = {
  check: checkFetchInput,
  async run(kept, { urls }, { concurrency, timeoutMs, signal, onStart, onOutcome }) {
    const first = urls[0]
    if (first === undefined) return []
    const client = kept.client(new URL(first).origin)
    const ledger = new Ledger<FetchValue>(urls.length, onOutcome)
    const pages = mapUnordered(
      Readable.from(urls),
      ledger.each((url: string, index) =>
        fetchOne(client, url, timeoutMs, signal, onStart && (() => onStart(index))),
      ),
      { concurrency, signal },
    )
    return ledger.collect(pages, signal)
  },
}

/** scanPort, unordered, on the kept resources (it uses none). */
export const scanPortUnorderedOn: Step<'scanPort'> = {
  check: checkScanInput,
  run(_kept, { host, ports }, { concurrency, timeoutMs, signal, onStart, onOutcome }) {
    const ledger = new Ledger<ScanValue>(ports.length, onOutcome)
    const probes = mapUnordered(
      Readable.from(ports),
      ledger.each((port: number, index) =>
        probeOne(host, port, timeoutMs, signal, onStart && (() => onStart(index))),
      ),
      { concurrency, signal },
    )
    return ledger.collect(probes, signal)
  },
}

/** hash, unordered, on the kept resources. */
export const hashUnorderedOn: Step<'hash'> = {
  check: checkHashInput,
  async run(kept, { buffers }, { parallelism, timeoutMs, signal, onStart, onOutcome }) {
    const ledger = new Ledger<HashValue>(buffers.length, onOutcome)
    const startOf = (index: number) => onStart && (() => onStart(index))
    const pool = signal?.aborted ? undefined : kept.pool()
    const digest = ledger.each((buffer: Uint8Array, index) =>
      pool
        ? digestOn(pool, buffer, timeoutMs, signal, startOf(index))
        : digestOnLoop(buffer, startOf(index)),
    )
    const digests = mapUnordered(Readable.from(buffers), digest, {
      concurrency: Math.max(1, parallelism),
      signal,
    })
    return ledger.collect(digests, signal)
  },
}

/** pipeline, unordered, on the kept resources. */
export const pipelineUnorderedOn: Step<'pipeline'> = {
  check: checkFetchInput,
  async run(kept, { urls }, options) {
    const { concurrency, parallelism, signal, onOutcome } = options
    const first = urls[0]
    if (first === undefined) return []
    const client = kept.client(new URL(first).origin)
    const pool = signal?.aborted ? undefined : kept.pool()
    const ledger = new Ledger<PipelineValue>(urls.length, onOutcome)
    const { downloading, digesting } = stages(ledger, client, pool, options)
    const bodies = mapUnordered(Readable.from(urls), downloading, { concurrency, signal })
    const digests = mapUnordered(bodies, digesting, {
      concurrency: Math.max(1, parallelism),
      signal,
    })
    return ledger.collect(digests, signal)
  },
}

/** fetch with the unordered map, one-shot. */
export const fetchUnordered = oneShot(fetchUnorderedOn)
/** scanPort with the unordered map, one-shot. */
export const scanPortUnordered = oneShot(scanPortUnorderedOn)
/** hash with the unordered map, one-shot. */
export const hashUnordered = oneShot(hashUnorderedOn)
/** pipeline with the unordered maps, one-shot. */
export const pipelineUnordered = oneShot(pipelineUnorderedOn)
