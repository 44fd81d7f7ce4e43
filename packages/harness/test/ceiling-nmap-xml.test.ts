import { describe, expect, it } from 'vitest'
import { formatPortList, parseNmapXml, parsePortList } from '../src/ceiling/nmap-xml.ts'

const report = (ports: string) => `<?xml version="1.0" encoding="UTF-8"?>
<nmaprun scanner="nmap" version="7.93">
<host starttime="1" endtime="2"><status state="up" reason="user-set" reason_ttl="0"/>
<address addr="127.0.0.1" addrtype="ipv4"/>
<ports>${ports}</ports>
</host>
</nmaprun>`

const port = (id: number, state: string) =>
  `<port protocol="tcp" portid="${id}"><state state="${state}" reason="x" reason_ttl="0"/><service name="x"/></port>`

const range = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => from + i)

describe("nmap's XML report", () => {
  it('gives listed ports their state and the ports an extraports summary names its state', () => {
    const xml = report(`<extraports state="closed" count="7">
<extrareasons reason="conn-refused" count="7" proto="tcp" ports="1-2,4-6,9-10"/>
</extraports>${port(3, 'open')}${port(7, 'filtered')}${port(8, 'filtered')}`)
    const states = parseNmapXml(xml, range(1, 10))
    expect(Object.fromEntries(states)).toEqual({
      1: 'closed',
      2: 'closed',
      3: 'open',
      4: 'closed',
      5: 'closed',
      6: 'closed',
      7: 'filtered',
      8: 'filtered',
      9: 'closed',
      10: 'closed',
    })
  })

  it('infers the one summary that names no ports when its count matches the unlisted ports', () => {
    const xml = report(
      `<extraports state="closed" count="3"><extrareasons reason="conn-refused" count="3"/></extraports>${port(2, 'open')}`,
    )
    expect(Object.fromEntries(parseNmapXml(xml, [1, 2, 3, 4]))).toEqual({
      1: 'closed',
      2: 'open',
      3: 'closed',
      4: 'closed',
    })
  })

  it('leaves unaccounted ports out rather than guess: two unnamed summaries, or a count that does not match', () => {
    const two = report(
      `<extraports state="closed" count="2"></extraports><extraports state="filtered" count="1"></extraports>`,
    )
    expect(parseNmapXml(two, [1, 2, 3]).size).toBe(0)
    const short = report(`<extraports state="closed" count="2"></extraports>${port(1, 'open')}`)
    expect(Object.fromEntries(parseNmapXml(short, [1, 2, 3, 4]))).toEqual({ 1: 'open' })
  })

  it('keeps states a connect scan cannot have, for the caller to fail', () => {
    expect(parseNmapXml(report(port(5, 'open|filtered')), [5]).get(5)).toBe('open|filtered')
  })

  it('throws when nmap scanned no host', () => {
    expect(() => parseNmapXml('<nmaprun></nmaprun>', [1])).toThrow(/no host/)
  })
})

describe('nmap port lists', () => {
  it('round-trips any port set through its shortest list', () => {
    expect(formatPortList([80, 1, 3, 2, 2, 65535, 79])).toBe('1-3,79-80,65535')
    expect(parsePortList('1-3,79-80,65535')).toEqual([1, 2, 3, 79, 80, 65535])
    expect(() => parsePortList('1-3,x')).toThrow(TypeError)
  })
})
