import { Readable } from 'node:stream'
import { setImmediate as nextTurn, setTimeout as sleep } from 'node:timers/promises'
import { describe, expect, it } from 'vitest'
import { mapUnordered } from '../src/map-unordered.ts'

const items = (n: number) => Array.from({ length: n }, (_, i) => i)

/** A map function whose item 0 waits for `release`, every other item for one turn of the loop. */
function slowHead() {
  const head = Promise.withResolvers<void>()
  const started: number[] = []
  let inFlight = 0
  let peak = 0
  const fn = async (item: number) => {
    started.push(item)
    peak = Math.max(peak, ++inFlight)
    await (item === 0 ? head.promise : nextTurn())
    inFlight--
    return item
  }
  return { fn, started, peak: () => peak, release: () => head.resolve() }
}

/** Waits until `count()` has not changed for a few turns of the loop. */
async function quiet(count: () => number) {
  for (let last = -1; last !== count(); ) {
    last = count()
    await sleep(20)
  }
}

describe('the ordered map and the unordered one behind a slow item', () => {
  it("Node's map starts nothing more once 2 × concurrency − 1 items wait behind a slow head", async () => {
    const { fn, started, release } = slowHead()
    const mapped = Readable.from(items(40)).map(fn, { concurrency: 4 }).toArray()
    await quiet(() => started.length)
    expect(started.length).toBe(2 * 4 - 1)
    release()
    expect(await mapped).toEqual(items(40))
  })

  it('mapUnordered keeps every other slot busy and finishes everything behind the slow head', async () => {
    const { fn, started, peak, release } = slowHead()
    const mapped = mapUnordered(Readable.from(items(40)), fn, { concurrency: 4 }).toArray()
    await quiet(() => started.length)
    expect(started.length).toBe(40)
    expect(peak()).toBe(4)
    release()
    const results = await mapped
    expect(results.at(-1), 'the slow head comes out last').toBe(0)
    expect([...results].sort((a, b) => a - b)).toEqual(items(40))
  })
})

describe('mapUnordered', () => {
  it('never has more than concurrency calls in flight, reaches it, and yields each result once', async () => {
    let inFlight = 0
    let peak = 0
    const results = await mapUnordered(
      Readable.from(items(200)),
      async (item: number) => {
        peak = Math.max(peak, ++inFlight)
        await sleep(item % 7)
        inFlight--
        return item * 2
      },
      { concurrency: 9 },
    ).toArray()
    expect(peak).toBe(9)
    expect([...results].sort((a, b) => a - b)).toEqual(items(200).map((i) => i * 2))
  })

  it('calls fn in input order, whatever order the results come out in', async () => {
    const called: string[] = []
    const results = await mapUnordered(
      Readable.from(['c', 'a', 'b']),
      async (s: string) => {
        called.push(s)
        await sleep(s === 'c' ? 30 : 1)
        return s.toUpperCase()
      },
      { concurrency: 3 },
    ).toArray()
    expect(called).toEqual(['c', 'a', 'b'])
    expect(results.at(-1), 'the slow first item came out last').toBe('C')
  })

  it('starts nothing after an abort and ends once the calls in flight have answered', async () => {
    const controller = new AbortController()
    const started: number[] = []
    const results = mapUnordered(
      Readable.from(items(100)),
      async (item: number) => {
        started.push(item)
        if (item === 10) controller.abort()
        await sleep(5)
        return item
      },
      { concurrency: 3, signal: controller.signal },
    ).toArray()
    const answered = await results
    expect(started.length).toBeLessThanOrEqual(10 + 3)
    expect([...answered].sort((a, b) => a - b)).toEqual([...started].sort((a, b) => a - b))
  })

  it('errors the stream with what the function rejected with', async () => {
    const failing = mapUnordered(
      Readable.from(items(10)),
      async (item: number) => {
        if (item === 3) throw new Error('item 3 broke')
        return item
      },
      { concurrency: 2 },
    )
    await expect(failing.toArray()).rejects.toThrow('item 3 broke')
  })
})
