/**
 * The piscina tasks: the worker module's default export digests the buffer it
 * is given and returns the hex digest; `ready`, run once per thread when the
 * pool opens, answers once the thread has loaded this module. Plain
 * JavaScript importing only core's kernel (itself plain JavaScript), so a
 * thread's start-up pays no TypeScript stripping and loads nothing but
 * `node:crypto`.
 */
import { sha256Hex } from '@arena/core/kernel'

/**
 * @param {Uint8Array} data
 * @returns {string}
 */
export default function digest(data) {
  return sha256Hex(data)
}

/** Nothing to do: answering at all says this thread has loaded the module. */
export function ready() {}
