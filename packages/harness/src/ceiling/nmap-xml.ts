/**
 * nmap's XML report (`-oX -`) read back into one state per scanned port.
 * nmap lists only the ports of its rarer states; the others it summarises in
 * `<extraports state="closed" count="N">` ("Not shown: N closed ports"),
 * whose `<extrareasons ports="1-112,114-136">` name them (nmap 7.90 and up).
 * Where a summary names no ports, the unlisted ports get its state only if it
 * is the one summary whose count matches them exactly; a port still without
 * a state is left out of the map, for the caller to report.
 */

/** Every `name="value"` attribute of one tag's attribute text. */
function attributes(text: string): Map<string, string> {
  const found = new Map<string, string>()
  for (const [, name, value] of text.matchAll(/([\w-]+)="([^"]*)"/g))
    if (name !== undefined && value !== undefined) found.set(name, value)
  return found
}

/**
 * The ports of an nmap port list like `1-112,114,120-121`.
 * @throws TypeError for a malformed list
 */
export function parsePortList(list: string): number[] {
  const ports: number[] = []
  for (const part of list.split(',')) {
    const match = /^(\d+)(?:-(\d+))?$/.exec(part.trim())
    if (!match) throw new TypeError(`Expected an nmap port list like 1-112,114, got "${list}"`)
    const from = Number(match[1])
    const to = Number(match[2] ?? match[1])
    for (let port = from; port <= to; port++) ports.push(port)
  }
  return ports
}

/** The shortest nmap port list of `ports` (any order, duplicates allowed): `1-1024,2000`. */
export function formatPortList(ports: readonly number[]): string {
  const sorted = [...new Set(ports)].sort((a, b) => a - b)
  const ranges: string[] = []
  for (let i = 0; i < sorted.length; ) {
    let j = i
    while (j + 1 < sorted.length && (sorted[j + 1] as number) === (sorted[j] as number) + 1) j++
    ranges.push(i === j ? `${sorted[i]}` : `${sorted[i]}-${sorted[j]}`)
    i = j + 1
  }
  return ranges.join(',')
}

/**
 * The state nmap gave each of `ports` (`open`, `closed`, `filtered`, or any
 * other state nmap names, such as `open|filtered`), from its XML report.
 * @throws Error when the report has no host (nmap did not scan it)
 */
export function parseNmapXml(xml: string, ports: readonly number[]): Map<number, string> {
  const host = /<host\b[\s\S]*?<\/host>/.exec(xml)?.[0]
  if (host === undefined) throw new Error('nmap reported no host: it scanned nothing')
  const wanted = new Set(ports)
  const states = new Map<number, string>()
  for (const [, portText = '', stateText = ''] of host.matchAll(
    /<port\b([^>]*)>\s*<state\b([^>]*)/g,
  )) {
    const port = Number(attributes(portText).get('portid'))
    const state = attributes(stateText).get('state')
    if (wanted.has(port) && state) states.set(port, state)
  }
  const unnamed: { state: string; count: number }[] = []
  for (const [, extraText = '', body = ''] of host.matchAll(
    /<extraports\b([^>]*)>([\s\S]*?)<\/extraports>/g,
  )) {
    const extra = attributes(extraText)
    const state = extra.get('state')
    if (!state) continue
    let count = Number(extra.get('count') ?? 0)
    for (const [, reasonText = ''] of body.matchAll(/<extrareasons\b([^>]*)\/?>/g)) {
      const list = attributes(reasonText).get('ports')
      if (list === undefined) continue
      for (const port of parsePortList(list)) {
        if (!wanted.has(port) || states.has(port)) continue
        states.set(port, state)
        count--
      }
    }
    if (count > 0) unnamed.push({ state, count })
  }
  const missing = [...wanted].filter((port) => !states.has(port))
  const only = unnamed.length === 1 ? unnamed[0] : undefined
  if (only && only.count === missing.length)
    for (const port of missing) states.set(port, only.state)
  return states
}
