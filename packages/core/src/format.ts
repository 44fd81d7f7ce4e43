/**
 * The one number formatter of the project: the harness's summary, the
 * report and the profiles' labels all print numbers and sizes through it,
 * with `Intl.NumberFormat` in English, so `1 MiB` reads the same everywhere.
 */

const formatters = new Map<string, Intl.NumberFormat>()

function formatter(digits: number, minimum: number): Intl.NumberFormat {
  const key = `${digits}/${minimum}`
  let f = formatters.get(key)
  if (!f) {
    f = new Intl.NumberFormat('en-US', {
      maximumFractionDigits: digits,
      minimumFractionDigits: minimum,
    })
    formatters.set(key, f)
  }
  return f
}

/** `x` with exactly `digits` decimals and thousands separators: `12,345.68`. */
export function formatNumber(x: number, digits = 0): string {
  return formatter(digits, digits).format(x)
}

/** `x` with at most `digits` significant decimals dropped when zero: `2`, `0.5`, `1,024`. */
export function formatCompact(x: number, digits = 2): string {
  return formatter(digits, 0).format(x)
}

/** A byte size in binary units, whole where it divides: `64 B`, `64 KiB`, `1 MiB`, `1.5 MiB`. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB'] as const
  let value = bytes
  let unit = 0
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024
    unit++
  }
  return `${formatCompact(value, 1)} ${units[unit]}`
}

/** A size as a compact id fragment: `64`, `64k`, `1m` (stable: it keys point ids). */
export function bytesId(bytes: number): string {
  if (bytes >= 1 << 20 && bytes % (1 << 20) === 0) return `${bytes >> 20}m`
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes >> 10}k`
  return `${bytes}`
}
