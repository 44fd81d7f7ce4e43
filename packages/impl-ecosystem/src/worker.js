/**
 * The piscina task: the worker module's default export digests the buffer it
 * is given and returns the hex digest. Plain JavaScript importing only core's
 * kernel (itself plain JavaScript), so a thread's start-up pays no TypeScript
 * stripping and loads nothing but `node:crypto`.
 */
import { sha256Hex } from '@arena/core/kernel'

/**
 * @param {Uint8Array} data
 * @returns {string}
 */
export default function digest(data) {
  return sha256Hex(data)
}
