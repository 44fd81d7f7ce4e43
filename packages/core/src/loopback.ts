/**
 * Arena is not a network scanner: every connection it makes goes to loopback.
 * This is enforced here, in core, so no CLI or contestant can get around it.
 */
import { isIPv4, isIPv6 } from 'node:net'
import { describeValue } from './validate.ts'

/** True for an IPv4 address in 127.0.0.0/8 or the IPv6 loopback `::1`. */
export function isLoopback(host: unknown): host is string {
  if (typeof host !== 'string') return false
  if (isIPv4(host)) return host.startsWith('127.')
  if (isIPv6(host)) return host === '::1' || host === '0:0:0:0:0:0:0:1'
  return false
}

/**
 * Returns `host` if it is a loopback address.
 * @throws TypeError `Arena scans loopback targets only (127.0.0.0/8 or ::1), got ...`
 */
export function expectLoopback(name: string, host: unknown): string {
  if (!isLoopback(host)) {
    throw new TypeError(
      `Arena scans and loads loopback targets only (an IP in 127.0.0.0/8 or ::1) for ${name}, got ${describeValue(host)}`,
    )
  }
  return host
}
