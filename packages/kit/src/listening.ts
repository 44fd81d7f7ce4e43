/**
 * What else listens on this machine. A scan's ground truth must count every
 * TCP listener reachable at the scanned loopback address, not only ours:
 * Linux lists them in /proc/net/tcp and /proc/net/tcp6 (state 0A = LISTEN).
 */
import { readFileSync } from 'node:fs'

const LISTEN = '0A'

function reachableFrom127(hexAddress: string, host: string): boolean {
  if (hexAddress.length === 8) {
    // IPv4, little-endian hex: 0100007F is 127.0.0.1, 00000000 is 0.0.0.0.
    const octets = (hexAddress.match(/../g) ?? []).map((h) => Number.parseInt(h, 16)).reverse()
    const address = octets.join('.')
    return address === '0.0.0.0' || address === host
  }
  // IPv6: `::` (all zeros) accepts IPv4 too unless the socket is v6-only, which /proc does not show;
  // `::ffff:a.b.c.d` is an IPv4-mapped address.
  if (/^0+$/.test(hexAddress)) return true
  if (hexAddress.startsWith('0000000000000000FFFF0000'))
    return reachableFrom127(hexAddress.slice(24), host)
  return false
}

/**
 * The TCP ports with a listener reachable at `host` (an IPv4 loopback
 * address), read from the kernel now.
 */
export function listeningPorts(host = '127.0.0.1'): Set<number> {
  const ports = new Set<number>()
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string
    try {
      text = readFileSync(file, 'utf8')
    } catch {
      continue
    }
    for (const line of text.split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/)
      const local = fields[1]
      if (!local || fields[3] !== LISTEN) continue
      const [address, port] = local.split(':')
      if (address && port && reachableFrom127(address, host)) ports.add(Number.parseInt(port, 16))
    }
  }
  return ports
}
