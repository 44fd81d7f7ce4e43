import { describe, expect, it } from 'vitest'
import { checkRunOptions } from '../src/options.ts'
import { expectInteger, expectOneOf } from '../src/validate.ts'

describe('validation', () => {
  it('names the field, the accepted range and the value received', () => {
    expect(() => expectInteger('concurrency', 0, 1)).toThrow(
      new TypeError('Expected concurrency to be an integer from 1 and up, got 0'),
    )
    expect(() => expectInteger('port', 70000, 1, 65535)).toThrow(
      'Expected port to be an integer from 1 to 65535, got 70000',
    )
    expect(() => expectInteger('n', '3', 1)).toThrow('got "3"')
    expect(() => expectOneOf('kind', 'fast', ['idiomatic', 'tuned'])).toThrow(
      'Expected kind to be one of "idiomatic", "tuned", got "fast"',
    )
  })

  it('accepts valid run options and rejects each bad field by name', () => {
    const good = { concurrency: 4, parallelism: 0, timeoutMs: 100 }
    expect(checkRunOptions(good)).toBe(good)
    expect(() => checkRunOptions({ ...good, concurrency: 1.5 })).toThrow(/options\.concurrency/)
    expect(() => checkRunOptions({ ...good, parallelism: -1 })).toThrow(
      /options\.parallelism.*from 0/,
    )
    expect(() => checkRunOptions({ ...good, timeoutMs: 0 })).toThrow(/options\.timeoutMs/)
    expect(() => checkRunOptions({ ...good, signal: 'stop' })).toThrow(/AbortSignal/)
    expect(() => checkRunOptions(null)).toThrow(/options to be an object/)
  })
})

describe('the toolchain', () => {
  it('runs on the Node 24 the project installs, not the machine’s own', () => {
    expect(process.versions.node.split('.')[0]).toBe('24')
  })
})
