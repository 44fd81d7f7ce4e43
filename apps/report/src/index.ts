/** @arena/report: the view model and the page builder, for tests and tools. */

export { buildReport, loadResults } from './build.ts'
export type { ChartView } from './charts.ts'
export { charts } from './charts.ts'
export { escapeHtml, html, jsonForScript, markup, trusted } from './escape.ts'
export { contentSecurityPolicy, renderPage } from './page.ts'
export type { ComparisonRow, RatioView, RowView, VerdictView } from './view-model.ts'
export {
  baselineChoices,
  codeLines,
  compareRuns,
  lessonFor,
  ratioText,
  ratioTone,
  ratioView,
  significanceWording,
  tableRows,
  verdictFor,
  verdicts,
  warnings,
  workloadTitles,
} from './view-model.ts'
