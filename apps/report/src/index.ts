/** @arena/report: the view model, the charts and the page builder, for tests and tools. */

export type { Answer } from './answers.ts'
export { answerFor, answers } from './answers.ts'
export type { BreakEvenData, BreakEvenRow } from './break-even-data.ts'
export { breakEvenData } from './break-even-data.ts'
export { buildReport, loadResults } from './build.ts'
export { contestantTitle, okCells, variantLabel, variantOf, workloadsOf } from './cells.ts'
export type { Central } from './central.ts'
export { centralPoint, isLimited, nameOf, variantNames } from './central.ts'
export type { ChartData, ChartRow } from './chart-data.ts'
export { chartData, MIN_LINE_POINTS } from './chart-data.ts'
export type { ChartMark } from './chart-marks.ts'
export type { ChartView, CurveInput } from './charts.ts'
export { charts, curveSpec } from './charts.ts'
export type { CodeLine, CodeView, Role } from './code.ts'
export { codeLines, codeViews, markRoles, ROLE_WORDS, ROLES } from './code.ts'
export type { ComparisonRow } from './compare.ts'
export { compareRuns } from './compare.ts'
export { escapeHtml, html, jsonForScript, markup, trusted } from './escape.ts'
export type { Factor } from './factors.ts'
export type { OverviewData, OverviewRow, OverviewView } from './overview-chart.ts'
export { overviewData, overviewSpec, overviews } from './overview-chart.ts'
export type { Drawn } from './page.ts'
export { contentSecurityPolicy, renderPage } from './page.ts'
export type { RatioView } from './ratios.ts'
export {
  rateRatioBetween,
  ratioBetween,
  ratioText,
  ratioTone,
  ratioView,
  significanceWording,
} from './ratios.ts'
export type { RobustnessView } from './robustness-chart.ts'
export { robustness } from './robustness-chart.ts'
export type { RowView } from './rows.ts'
export { baselineChoices, tableRows } from './rows.ts'
export type { SpeedupView } from './speedups.ts'
export { speedups } from './speedups.ts'
export type { VerdictView } from './verdicts.ts'
export { verdictFor, verdicts } from './verdicts.ts'
export { warnings } from './warnings.ts'
