/** dmreport's library API: the stages of the pipeline and the build that composes them. */
export { build, UsageError, type BuildOptions, type BuildResult } from "./build.js";
export { diagnostic, hasErrors, sortDiagnostics, type Diagnostic, type Position, type Severity } from "./diagnostics.js";
export { formatDiagnostics } from "./format.js";
export { findSourceRoot, listMonths, loadSource, type LoadedSource } from "./load/index.js";
export { validateSource } from "./validate/index.js";
export { mergeReport, monthLabel, type ReportTree } from "./merge/index.js";
export { renderReport, FORMATS, type Format, type RenderedFile } from "./render/index.js";
export { writeOutputs, type OutputFile } from "./write/index.js";
export type * from "./model.js";
