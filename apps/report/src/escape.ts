/**
 * HTML with every interpolated value escaped. A results file is data from
 * outside: a contestant titled `<img src=x onerror=alert(1)>` must render as
 * text. Only values wrapped by `trusted` (markup this app generated itself,
 * like a chart's SVG or another `html` fragment) pass through unescaped.
 */

const TRUSTED = Symbol('trusted')

/** Markup that is already safe. */
export interface Trusted {
  readonly [TRUSTED]: string
}

/** Marks markup this app generated as safe to insert. */
export function trusted(markup: string): Trusted {
  return { [TRUSTED]: markup }
}

const entities: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
}

/** Escapes text for HTML content and double- or single-quoted attributes. */
export function escapeHtml(text: string): string {
  return text.replaceAll(/[&<>"']/g, (c) => entities[c] ?? c)
}

type Value = string | number | boolean | null | undefined | Trusted | readonly Value[]

function render(value: Value): string {
  if (value === null || value === undefined || value === false) return ''
  if (Array.isArray(value)) return value.map(render).join('')
  if (typeof value === 'object' && TRUSTED in value) return (value as Trusted)[TRUSTED]
  return escapeHtml(String(value))
}

/** A template literal tag: the literal parts are markup, every `${value}` is escaped. */
export function html(strings: TemplateStringsArray, ...values: Value[]): Trusted {
  let out = strings[0] ?? ''
  values.forEach((value, i) => {
    out += render(value) + (strings[i + 1] ?? '')
  })
  return trusted(out)
}

/** The markup of a fragment. */
export function markup(fragment: Trusted): string {
  return fragment[TRUSTED]
}

/** JSON safe to place inside a `<script type="application/json">`: no `<` can close the element. */
export function jsonForScript(data: unknown): string {
  return JSON.stringify(data)
    .replaceAll('<', '\\u003c')
    .replaceAll('\u2028', '\\u2028')
    .replaceAll('\u2029', '\\u2029')
}
