/**
 * The `pipeline` workload (mixed I/O + CPU): download each page and hash its
 * body off the event loop, with downloads and hashing overlapped (not
 * fetch-all-then-hash-all). Its spec is a page spec, as for `fetch`.
 */
import {
  expectedFailure,
  type FetchInput,
  type PageSpec,
  type PageSpecParams,
  pageBody,
  pageSpec,
  pageUrls,
} from './fetch.ts'
import { sha256Hex } from './kernel.js'
import type { Outcome } from './outcome.ts'

/** The `pipeline` workload's spec. */
export interface PipelineSpec extends PageSpec {
  readonly workload: 'pipeline'
}

/** What a contestant's `pipeline` receives: absolute URLs, in input order. */
export type PipelineInput = FetchInput

/** A downloaded and hashed page: what the verifier checks. */
export interface PipelineValue {
  /** sha256 of the body, 64 lowercase hex digits. */
  readonly digest: string
}

/** One outcome per URL, in input order. */
export type PipelineResult = readonly Outcome<PipelineValue>[]

/** Generates the `pipeline` workload's spec. */
export function pipelineSpec(params: PageSpecParams): PipelineSpec {
  return { workload: 'pipeline', ...pageSpec(params) }
}

/** The input of a contestant's `pipeline` for a server at `origin`. */
export function pipelineInput(spec: PipelineSpec, origin: string): PipelineInput {
  return { urls: pageUrls(spec, origin) }
}

/** The correct outcome of every page, in input order. */
export function expectedPipeline(spec: PageSpec): Outcome<PipelineValue>[] {
  return spec.items.map((item) => {
    const failure = expectedFailure(item.fault)
    if (failure) return { ok: false, failure }
    return { ok: true, value: { digest: sha256Hex(pageBody(spec.seed, item)) } }
  })
}
