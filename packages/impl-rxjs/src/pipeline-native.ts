/**
 * The `native` variant's pipeline: the default variant's stream (download
 * under `timeout`, digest nested inside it on the worker pool) with
 * `fromFetch` as the client in place of core's undici pool.
 */
import {
  checkFetchInput,
  checkRunOptions,
  type PipelineInput,
  type PipelineResult,
  type RunOptions,
} from '@arena/core'
import { map } from 'rxjs'
import { getBody } from './fetch-native.ts'
import { digestPages } from './pipeline.ts'

/** pipeline on `fromFetch`: the default variant's stream with Node's fetch as the client. */
export async function pipelineNative(
  input: PipelineInput,
  options: RunOptions,
): Promise<PipelineResult> {
  checkFetchInput(input)
  checkRunOptions(options)
  return digestPages(input.urls, (url) => getBody(url).pipe(map(({ body }) => body)), options)
}
