/**
 * The code section: a workload chosen from a list (the page's script shows
 * one at a time; without it, all are shown), then its contestants lined up by
 * role — a table with one row per role (limit, deadline, cancellation,
 * workers) and one column per contestant, holding the lines that play it —
 * and under it each contestant's whole file in a column of its own, wrapped
 * rather than scrolled sideways, every line tagged with its roles' letters.
 */
import { type CodeLine, type CodeView, ROLE_WORDS, ROLES, type Role } from './code.ts'
import { html, type Trusted } from './escape.ts'

/** Lines of one role shown per contestant before the rest are counted. */
const ROLE_LINES = 5
const letter = (role: Role) => role.charAt(0).toUpperCase()

function roleCell(lines: readonly CodeLine[], role: Role): Trusted {
  const mine = lines.filter((l) => l.roles.includes(role))
  if (mine.length === 0) return html`<td class="none">—</td>`
  const more = mine.length - ROLE_LINES
  return html`<td>${mine.slice(0, ROLE_LINES).map((l) => html`<code class="role-line"><span class="ln">${l.number}</span> ${l.text.trim()}</code>`)}${more > 0 ? html`<span class="note">and ${more} more line${more === 1 ? '' : 's'}</span>` : ''}</td>`
}

function source(lines: readonly CodeLine[]): Trusted {
  return html`${lines.map(
    (l) =>
      html`<span class="line${l.roles.map((r) => ` role-${r}`).join('')}"><span class="ln" aria-hidden="true">${l.number}</span><span class="tags">${l.roles.map(letter).join('')}</span>${l.text}</span>`,
  )}`
}

function workloadCode(v: CodeView): Trusted {
  const w = v.workload
  return html`<div class="code-set" data-code-workload="${w.id}"><h3>${w.title}${w.sourceFile ? html` <span class="note">— ${w.sourceFile}</span>` : ''}</h3>
<div class="scroll" tabindex="0" role="region" aria-label="${w.title}: each contestant's lines by role"><table class="roles"><thead><tr><th scope="col">role</th>${v.entries.map((e) => html`<th scope="col">${e.title}</th>`)}</tr></thead><tbody>${ROLES.map(
    (role) =>
      html`<tr class="role-${role}"><th scope="row"><span class="tags">${letter(role)}</span> ${ROLE_WORDS[role].title}</th>${v.entries.map((e) => roleCell(e.marked, role))}</tr>`,
  )}</tbody></table></div>
<div class="code">${v.entries.map(
    (e) =>
      html`<figure data-impl-code="${e.implementation}"><figcaption>${e.title} — ${e.lines} lines of code</figcaption><pre tabindex="0" aria-label="${e.title}, ${w.sourceFile}"><code>${source(e.marked)}</code></pre></figure>`,
  )}</div></div>`
}

/** Each contestant's source of the chosen workload, side by side and by role. */
export function codeSection(views: readonly CodeView[]): Trusted {
  if (views.length === 0)
    return html`<section id="code"><h2>The code, side by side</h2><p class="note">No contestant that ran shipped a source file.</p></section>`
  return html`<section id="code"><h2>The code, side by side</h2><p class="note">Each contestant's orchestration code for the workload, as it ran; line counts leave out blank lines, comments and imports. Lines are given their role by keywords (limit: <code>concurrency</code>, <code>mergeMap</code>, lanes…; deadline: <code>timeout</code>, <code>deadline</code>; cancellation: <code>signal</code>, <code>abort</code>, <code>interrupt</code>…; workers: <code>Worker</code>, <code>parallelism</code>, <code>pool</code>…) and tagged with its letter.</p>
<label class="picker">Workload <select id="code-workload">${views.map((v) => html`<option value="${v.workload.id}">${v.workload.title}</option>`)}</select></label>
${views.map(workloadCode)}</section>`
}
