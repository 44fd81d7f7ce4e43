/**
 * The `native` variant's pipeline: the default variant's stream (download
 * under `timeout`, digest nested inside it on the worker pool) with
 * `fromFetch` as the client in place of core's undici pool. Only the worker
 * pool is the resource source's: Node's fetch keeps its own connections.
 */
import type { Workloads } from '@arena/core'
import { map } from 'rxjs'
import { getBody } from './fetch-native.ts'
import type { ResourceSource } from './instance.ts'
import { pipelineWith } from './pipeline.ts'
import { oneShot, type Resources } from './resources.ts'

/** pipeline on `fromFetch` and `source`'s worker pool. */
export function pipelineNativeOn(source: ResourceSource<Resources>): Workloads['pipeline'] {
  return pipelineWith(source, () => (url) => getBody(url).pipe(map(({ body }) => body)))
}

/** pipeline on `fromFetch`, with workers started for this call. */
export const pipelineNative: Workloads['pipeline'] = pipelineNativeOn(oneShot)
