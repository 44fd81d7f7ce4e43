/**
 * The detail sections other than the results tables, each collapsed behind
 * its summary: the verdict against the baseline, the speed-up over no
 * concurrency, the robustness outcomes, the comparison with another run and
 * the environment. Each takes its view and returns escaped markup (see
 * escape.ts).
 */
import { formatBytes, type Results } from '@arena/core'
import type { ComparisonRow } from './compare.ts'
import { html, type Trusted, trusted } from './escape.ts'
import { num } from './page-tables.ts'
import type { RobustnessView } from './robustness-chart.ts'
import type { SpeedupView } from './speedups.ts'
import type { VerdictView } from './verdicts.ts'

/** The verdict: per workload, the stored lesson and the stored ratios against the baseline. */
export function verdictSection(results: Results, list: readonly VerdictView[]): Trusted {
  return html`<details id="verdict" class="detail"><summary>Verdict per workload against the baseline ${results.baseline}</summary><p class="note">Each workload's lesson as the harness drew it from this run, then each idiomatic variant against the baseline <strong>${results.baseline}</strong>, from the stored ratios of verified speed cells (significant where the 95% interval excludes 1); tuned variants are in the tables.</p>
<div class="scroll" tabindex="0" role="region" aria-label="Verdict per workload"><table class="verdict"><thead><tr><th scope="col">work</th><th scope="col">verdict</th></tr></thead><tbody>${list.map(
    (v) =>
      html`<tr data-workload="${v.workload}"><td>${v.title}</td><td>${v.lesson ? html`<p class="lesson">${v.lesson}</p>` : ''}<ul class="comparisons">${v.comparisons.map((c) => html`<li>${c}</li>`)}</ul>${v.failed > 0 ? html`<p class="note">${v.failed} cell(s) of this workload failed; the tables give the reasons.</p>` : ''}</td></tr>`,
  )}</tbody></table></div></details>`
}

/** The speed-up over the no-concurrency reference, when one ran. */
export function speedupSection(view: SpeedupView | undefined): Trusted | '' {
  if (!view) return ''
  return html`<details id="speedups" class="detail"><summary>Speed-up over no concurrency (${view.reference})</summary><p class="note">How many times the throughput of <strong>${view.referenceTitle}</strong> (${view.reference}: one item at a time, hashing on the event loop) each variant reaches on the same point, with its 95% interval — the course's "before" picture.</p>${view.workloads.map(
    (w) =>
      html`<section data-workload="${w.workload}"><h3>${w.title}</h3><div class="scroll" tabindex="0" role="region" aria-label="${w.title}: speed-up over no concurrency"><table class="speedups"><thead><tr><th scope="col">variant</th>${w.points.map((p) => html`<th scope="col" title="${p.label}">${p.id}</th>`)}</tr></thead><tbody>${w.rows.map(
        (r) =>
          html`<tr data-impl="${r.variantKey.split('/')[0]}" data-kind="${r.kind}"><td>${r.variantTitle}<br><span class="note">${r.variantKey}</span>${r.kind === 'tuned' ? html` <span class="tuned">tuned</span>` : ''}</td>${w.points.map(
            (p) => {
              const ratio = r.ratios[p.id]
              return ratio
                ? html`<td class="num tone-${ratio.tone}">${ratio.marked}</td>`
                : html`<td class="num">–</td>`
            },
          )}</tr>`,
      )}</tbody></table></div></section>`,
  )}</details>`
}

/** The machine, software and run. */
export function environmentSection(results: Results): Trusted {
  const e = results.environment
  const entries: [string, string][] = [
    ['Node / V8', `${e.node} / ${e.v8}`],
    ...(e.runtime
      ? [
          [
            'Runtime',
            `children on ${e.runtime.name} ${e.runtime.version}${e.runtime.world ? `; the mock world on ${e.runtime.world.name} ${e.runtime.world.version}${e.runtime.world.fallback ? ` (${e.runtime.world.fallback})` : ''}` : ''}`,
          ] as [string, string],
        ]
      : []),
    ['CPU', `${e.cpuModel}, ${e.cores} cores`],
    ['Memory', formatBytes(e.memoryBytes)],
    ['OS', `${e.os}, kernel ${e.kernel}`],
    [
      'Versions',
      Object.entries(e.packages)
        .map(([k, v]) => `${k} ${v}`)
        .join(', '),
    ],
    ['Commit', `${e.gitCommit}${e.gitDirty ? ' (uncommitted changes)' : ''}`],
    ['Profile / seed', `${results.profile} / ${results.seed}`],
    ['Run', `${results.runId}: ${results.startedAt} → ${results.finishedAt}`],
    ['Baseline', results.baseline + (results.aa ? ` (A/A run of ${results.aa})` : '')],
  ]
  return html`<details id="environment" class="detail"><summary>Environment: ${e.cores} cores, Node ${e.node}, commit ${e.gitCommit.slice(0, 12)}</summary><dl class="env">${entries.map(([k, v]) => html`<dt>${k}</dt><dd>${v}</dd>`)}</dl></details>`
}

/** This run against another, cell by cell. */
export function comparisonSection(
  rows: readonly ComparisonRow[] | undefined,
  other: Results | undefined,
): Trusted | '' {
  if (!rows || !other) return ''
  return html`<details id="comparison" class="detail" open><summary>Compared with run ${other.runId}</summary><p class="note">Throughput of this run against the other, per verified speed cell present in both; significant only where the 95% interval of the ratio excludes 1.</p>
<div class="scroll table-box" tabindex="0" role="region" aria-label="Compared with run ${other.runId}"><table><thead><tr><th scope="col">cell</th><th scope="col">before items/s</th><th scope="col">now items/s</th><th scope="col">change</th></tr></thead><tbody>${rows.map(
    (r) =>
      html`<tr><td>${r.cellId}</td><td class="num">${num(r.before)}</td><td class="num">${num(r.after)}</td><td class="num tone-${r.ratio.tone}">${r.wording}</td></tr>`,
  )}</tbody></table></div></details>`
}

/** Robustness: per fault point, each variant's outcomes as a bar, then the table, collapsed. */
export function robustnessSection(
  views: readonly RobustnessView[],
  table: Trusted | '',
): Trusted | '' {
  if (views.length === 0 && table === '') return ''
  return html`<section id="robustness"><h2>Robustness: how every item ended under faults</h2><p class="note">Runs under injected faults prove that every item ends with exactly one outcome; they are outcomes, not speeds. Each bar is one variant's items by outcome, as its verified run tallied them.</p><div class="charts">${views.map(
    (v) =>
      html`<figure id="${v.id}" data-workload="${v.workload}" class="robustness-chart"><figcaption>${v.title}</figcaption>${trusted(v.svg)}${v.failed.length > 0 ? html`<ul class="marks">${v.failed.map((f) => html`<li>${f}</li>`)}</ul>` : ''}</figure>`,
  )}</div>${table}</section>`
}
