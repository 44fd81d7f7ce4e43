/**
 * Progress: a live bar with ETA on a terminal (cli-progress), plain
 * one-line-per-run logs otherwise (CI).
 */
import { Presets, SingleBar } from 'cli-progress'
import type { Progress } from './rounds.ts'

/** A bar with ETA; notes go above it. */
export function barProgress(): Progress {
  const bar = new SingleBar(
    {
      format: ' {bar} {value}/{total} runs · ETA {eta_formatted} · {line}',
      hideCursor: true,
      etaBuffer: 20,
    },
    Presets.shades_classic,
  )
  let started = false
  return {
    start: (total) => {
      bar.start(total, 0, { line: '' })
      started = true
    },
    tick: (done, total, line) => {
      bar.setTotal(total)
      bar.update(done, { line: line.length > 70 ? `${line.slice(0, 67)}...` : line })
    },
    note: (line) => (started ? bar.update({ line }) : console.error(line)),
    stop: () => {
      if (started) bar.stop()
    },
  }
}

/** One line per run, for logs and CI. */
export function lineProgress(
  write: (line: string) => void = (line) => console.error(line),
): Progress {
  return {
    start: (total) => write(`running about ${total} cell runs`),
    tick: (done, total, line) => write(`[${done}/${total}] ${line}`),
    note: write,
    stop: () => {},
  }
}
