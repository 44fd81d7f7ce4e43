import { describe, expect, it, vi } from 'vitest'
import { checkFetchInput } from '../src/fetch.ts'
import { createRandom } from '../src/random.ts'
import { sameOriginTarget } from '../src/same-origin.ts'

const origin = 'http://127.0.0.1:41234'
/** What the request line must be: the target `new URL` gives. */
const parsedTarget = (url: string) => {
  const parsed = new URL(url)
  return parsed.pathname + parsed.search
}

describe('sameOriginTarget', () => {
  it('gives the target new URL gives, for paths the parser rewrites and paths it leaves', () => {
    const tails = [
      '/page/1/2?bytes=1024&latency=0&fault=none&run=a%20b',
      '/a/../b',
      '/a/./b',
      '/a/..',
      '/%2e%2e/x',
      '/a/%2E/x',
      '/a/.%2e/x',
      '/a%2eb',
      '/.well-known/x',
      '/a\\b',
      '/a b',
      '/a\tb',
      '/a\nb',
      '/a#fragment',
      '/a?x=1#fragment',
      '/ü',
      "/a?q='",
      '/a?q=<>"',
      '/a^b|c[d]{e}`f',
      '/a?b/../c',
      '/a?b=%2e',
      '/%zz',
      '/',
      '//double',
      '/a?',
      '/a??',
    ]
    for (const tail of tails) {
      expect(sameOriginTarget(origin + tail, origin), tail).toBe(parsedTarget(origin + tail))
    }
  })

  it('agrees with new URL on thousands of random paths', () => {
    const alphabet = [
      ...'abz09-._~!$&\'()*+,;=:@/?#%\\ \t"<>^`{}|[]é€\u0000',
      '%2e',
      '%2E',
      '/.',
      '/..',
    ]
    const next = createRandom(2024)
    for (let n = 0; n < 5000; n++) {
      let tail = '/'
      const length = Math.floor(next() * 12)
      for (let i = 0; i < length; i++) tail += alphabet[Math.floor(next() * alphabet.length)]
      expect(sameOriginTarget(origin + tail, origin), JSON.stringify(tail)).toBe(
        parsedTarget(origin + tail),
      )
    }
  })

  it('finds URLs spelled differently on the origin, and no URL on another', () => {
    expect(sameOriginTarget('HTTP://127.0.0.1:41234/x', origin)).toBe('/x')
    expect(sameOriginTarget('http://127.0.0.1:41234', origin)).toBe('/')
    expect(sameOriginTarget('http://127.0.0.1:80/x', 'http://127.0.0.1')).toBe('/x')
    for (const url of [
      'http://127.0.0.1:41235/x',
      'http://127.0.0.1:412345/x',
      'http://127.0.0.1:41234@127.0.0.2/x',
      'https://127.0.0.1:41234/x',
      'http://127.0.0.2:41234/x',
      '/x',
      'not a url',
    ]) {
      expect(sameOriginTarget(url, origin), url).toBeUndefined()
    }
  })
})

describe('checkFetchInput', () => {
  it('returns the one origin, parsing only URLs not spelled with it', () => {
    const urls = Array.from({ length: 1000 }, (_, i) => `${origin}/page/1/${i}?bytes=8`)
    const parse = vi.spyOn(URL, 'parse')
    try {
      expect(checkFetchInput({ urls })).toBe(origin)
      expect(parse).toHaveBeenCalledTimes(1)
      parse.mockClear()
      expect(checkFetchInput({ urls: [...urls, 'http://127.0.0.1:41234/../x'] })).toBe(origin)
      expect(checkFetchInput({ urls: ['HTTP://127.0.0.1:41234/x', ...urls] })).toBe(origin)
      expect(parse).toHaveBeenCalledTimes(2)
      expect(checkFetchInput({ urls: [] })).toBeUndefined()
    } finally {
      parse.mockRestore()
    }
  })

  it('names the first bad URL, a non-loopback host or a second origin in a TypeError', () => {
    const holey = new Array<string>(3)
    holey[0] = `${origin}/a`
    holey[2] = `${origin}/b`
    const bad: [unknown, RegExp][] = [
      [{ urls: [`${origin}/a`, 'nope'] }, /input\.urls\[1\] to be an absolute http URL/],
      [{ urls: ['ftp://127.0.0.1/x'] }, /input\.urls\[0\] to be an absolute http URL/],
      [{ urls: ['httpx://127.0.0.1/x'] }, /input\.urls\[0\] to be an absolute http URL/],
      [{ urls: [`${origin}/a`, 7] }, /input\.urls\[1\]/],
      [{ urls: ['http://10.0.0.1/x'] }, /loopback.*input\.urls\[0\]/],
      [
        { urls: [`${origin}/a`, 'http://127.0.0.1:1/a'] },
        /every URL on one origin.*input\.urls\[1\]/,
      ],
      // A hole is not a URL.
      [{ urls: holey }, /input\.urls\[1\]/],
      [{ urls: 'x' }, /input\.urls/],
      [null, /input/],
    ]
    for (const [input, message] of bad) {
      expect(() => checkFetchInput(input), JSON.stringify(input)).toThrow(TypeError)
      expect(() => checkFetchInput(input)).toThrow(message)
    }
  })
})
