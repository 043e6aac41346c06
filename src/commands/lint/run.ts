/** `dmreport lint`: a thin layer over the library's lint(). */
import { commandCache } from "../shared/cache.js";
import { formatLint, shownDiagnostics } from "../../reporters/lint.js";
import { lint, type LintResult } from "../../lint.js";
import { VERSION } from "../../core/package-root.js";
import { applyFixes } from "../../write/fix.js";
import type { CliContext, CommandOutput } from "../shared/output.js";
import * as messages from "./messages.js";
import type { LintFormat } from "../../reporters/lint-formats.js";

export interface LintFlags {
  format: LintFormat;
  quiet?: boolean;
  maxWarnings?: number;
  fix?: boolean;
  /** False with --no-error-on-unmatched-pattern: a path that names no source file is left out without an error. */
  errorOnUnmatchedPattern: boolean;
}

export function runLint(files: string[], flags: LintFlags, context: CliContext): void {
  const cwd = context.cwd ?? process.cwd();
  const options = { files, cwd, cache: commandCache(), memos: context.memos };
  let result = lint(options);
  if (flags.fix) {
    const fixes = result.sources.flatMap((source) => source.diagnostics.filter((found) => found.fix));
    const changed = result.sources.flatMap((source) => applyFixes(source.root, source.diagnostics));
    if (changed.length) {
      if (flags.format === "stylish") context.output.err(messages.fixed(fixes.length, changed.length));
      result = lint(options);
    }
  }
  report(result, flags, cwd, context.output);
}

function report(result: LintResult, flags: LintFlags, cwd: string, output: CommandOutput): void {
  const all = shownDiagnostics(result.sources, cwd);
  const shown = flags.quiet ? all.filter((found) => found.severity === "error") : all;
  const unmatched = flags.errorOnUnmatchedPattern ? result.unmatched.map((path) => ({ path: path.given, reason: path.reason })) : [];
  output.out(
    formatLint(flags.format, shown, {
      color: output.color,
      version: VERSION,
      unmatched,
      ...(output.columns && { columns: output.columns }),
    }),
  );
  const errors = all.filter((found) => found.severity === "error").length;
  const warnings = all.length - errors;
  process.exitCode = errors > 0 || (flags.maxWarnings !== undefined && warnings > flags.maxWarnings) ? 1 : 0;
  // A path that names nothing checks nothing: a typo in a CI step must not pass as clean.
  if (result.unmatched.length && flags.errorOnUnmatchedPattern) {
    for (const path of result.unmatched) output.err(messages.unmatched(path.reason));
    process.exitCode = 2;
  }
}
