/**
 * The piscina task: the worker module's default export digests the buffer it
 * is given and returns the hex digest. Imports only core's kernel, so the
 * worker starts fast.
 */
import { sha256Hex } from '@arena/core/kernel'

export default function digest(data: Uint8Array): string {
  return sha256Hex(data)
}
