/**
 * Input validation shared by every public entry of Arena. A user or programmer
 * mistake throws at once, as a `TypeError` that names the field, the accepted
 * range and the value received, so nobody has to read a stack trace to fix it.
 */

/** Renders a received value for an error message: short, and never a stack. */
export function describeValue(value: unknown): string {
  if (typeof value === 'string')
    return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value)
  if (typeof value === 'number' || typeof value === 'boolean' || value == null) return String(value)
  if (typeof value === 'bigint') return `${value}n`
  if (Array.isArray(value)) return `an array of ${value.length}`
  return typeof value
}

/**
 * Checks that `value` is an integer in `[min, max]` and returns it.
 * @throws TypeError `Expected <name> to be an integer from <min> to <max>, got <value>`
 */
export function expectInteger(
  name: string,
  value: unknown,
  min: number,
  max: number = Number.MAX_SAFE_INTEGER,
): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `from ${min} and up` : `from ${min} to ${max}`
    throw new TypeError(`Expected ${name} to be an integer ${range}, got ${describeValue(value)}`)
  }
  return value
}

/**
 * Checks that `value` is a finite number in `[min, max]` and returns it.
 * @throws TypeError naming the field, the range and the value received
 */
export function expectNumber(name: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    throw new TypeError(
      `Expected ${name} to be a number from ${min} to ${max}, got ${describeValue(value)}`,
    )
  }
  return value
}

/**
 * Checks that `value` is one of `accepted` and returns it.
 * @throws TypeError listing every accepted value
 */
export function expectOneOf<const T extends string>(
  name: string,
  value: unknown,
  accepted: readonly T[],
): T {
  if (typeof value !== 'string' || !(accepted as readonly string[]).includes(value)) {
    throw new TypeError(
      `Expected ${name} to be one of ${accepted.map((a) => `"${a}"`).join(', ')}, got ${describeValue(value)}`,
    )
  }
  return value as T
}

/**
 * Checks that `value` is an array and returns it.
 * @throws TypeError naming the field and what was received instead
 */
export function expectArray(name: string, value: unknown, minLength = 0): readonly unknown[] {
  if (!Array.isArray(value) || value.length < minLength) {
    throw new TypeError(
      `Expected ${name} to be an array of at least ${minLength} item(s), got ${describeValue(value)}`,
    )
  }
  return value
}

/**
 * Checks that `value` is a plain object and returns it.
 * @throws TypeError naming the field
 */
export function expectObject(name: string, value: unknown): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new TypeError(`Expected ${name} to be an object, got ${describeValue(value)}`)
  }
  return value as Record<string, unknown>
}
