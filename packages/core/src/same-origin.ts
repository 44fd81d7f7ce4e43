/**
 * Same-origin request targets without a URL parse per request. A fetch run
 * sends thousands of URLs that all spell their origin the same way, so the
 * HTTP client and the input check recognise that spelling by its prefix and
 * parse only a URL that does not start with it, or whose path the WHATWG
 * parser would rewrite — so the request line is always the one `new URL`
 * would give, and a URL on another origin never gets through.
 */

/**
 * A request target the URL parser leaves exactly as written: only characters
 * it never percent-encodes in a path or a query, no `\` (read as `/`), no
 * `#` (a fragment is never sent), no tab or newline (dropped), no segment
 * starting with `.` and no `%2e` (dot segments, spelled either way, are
 * resolved away), no `?` at the very end (an empty query has an empty
 * `search`). Anything else is parsed: a refusal here costs a parse, never a
 * wrong request.
 */
const plainTarget = /^\/(?:[\w\-~!$&()*+,;=:@/?]|(?<!\/)\.|%(?!2e))*(?<!\?)$/i

/**
 * True when `url` starts with `origin` (as `URL.origin` spells it) followed
 * by `/`: whatever follows is a path on that origin, as the parser reads it.
 */
export function startsWithOrigin(url: string, origin: string): boolean {
  return url.startsWith(origin) && url.charCodeAt(origin.length) === 0x2f
}

/**
 * The request target (path and query) of `url` if it is on `origin`, or
 * `undefined` if it is not (or is not a URL). Equal to `pathname + search`
 * of `new URL(url)`, which it builds only when the spelling alone cannot
 * tell.
 */
export function sameOriginTarget(url: string, origin: string): string | undefined {
  if (startsWithOrigin(url, origin)) {
    const target = url.slice(origin.length)
    if (plainTarget.test(target)) return target
  }
  const parsed = URL.parse(url)
  return parsed !== null && parsed.origin === origin ? parsed.pathname + parsed.search : undefined
}
