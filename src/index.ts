/** dmreport's library API: the stages of the pipeline and the build that composes them. */
export { build, FORMATS, UsageError, VERSION, type Format, type BuildOptions, type BuildResult } from "./build.js";
export { diagnostic, hasErrors, sortDiagnostics, type Diagnostic, type Position, type Severity } from "./diagnostics.js";
export { formatDiagnostics } from "./format/compact.js";
export { findSourceRoot, listMonths, loadSource, type LoadedSource } from "./load/index.js";
export { validateSource } from "./validate/index.js";
export { mergeReport, type ReportTree } from "./merge/index.js";
export { monthLabel } from "./calendar.js";
export { renderReport, TEXT_FORMATS, type TextFormat, type RenderedFile } from "./render/index.js";
export { writeOutputs, type OutputFile } from "./write/index.js";
export type * from "./model.js";
export { findBrowser, printPdf } from "./pdf/index.js";
export { lint, type LintOptions, type LintResult, type LintedSource } from "./lint.js";
export { formatLint, LINT_FORMATS, type LintFormat } from "./format/lint.js";
export { applyFixes } from "./write/fix.js";
export { RULES, type RuleId, type RuleInfo } from "./rules.js";
export { initSource, type InitOptions, type InitResult } from "./cycle/init.js";
export { newMonth, type NewMonthOptions, type NewMonthResult } from "./cycle/new-month.js";
export { monthStatus, type MonthStatus, type FragmentState } from "./cycle/status.js";
