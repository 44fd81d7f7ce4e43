import { expect, it } from 'vitest'
import { startWorld } from '../src/world.ts'

it('hands over the world as the kit describes it, and keeps the exit listener children.ts tracks it by', async () => {
  const world = await startWorld()
  try {
    expect(world.ready).toEqual({
      origin: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/),
      host: '127.0.0.1',
      open: expect.any(Array),
      filtered: expect.any(Array),
      lowPorts: { open: expect.any(Array), filtered: expect.any(Array) },
    })
    expect(world.ready.filtered.length).toBeGreaterThan(0)
    // startWorld's own exit listener is gone; the tracker's stays, so killAll still reaches the world.
    expect(world.process.listenerCount('exit')).toBe(1)
  } finally {
    await world.close()
  }
  expect(world.process.exitCode).toBe(0)
})
