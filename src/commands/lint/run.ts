/** `dmreport lint`: a thin layer over the library's lint(). */
import { userCacheFolder } from "../../load/index.js";
import { useColor } from "../../format/compact.js";
import { formatLint, shownDiagnostics } from "../../format/lint.js";
import { lint, type LintResult } from "../../lint.js";
import { VERSION } from "../../package-root.js";
import { applyFixes } from "../../write/fix.js";
import type { LintFlags } from "./index.js";
import * as messages from "./messages.js";

export function runLint(files: string[], flags: LintFlags): void {
  const cwd = process.cwd();
  const cache = userCacheFolder();
  let result = lint({ files, cwd, cache });
  if (flags.fix) {
    const fixes = result.sources.flatMap((source) => source.diagnostics.filter((found) => found.fix));
    const changed = result.sources.flatMap((source) => applyFixes(source.root, source.diagnostics));
    if (changed.length) {
      if (flags.format === "stylish") process.stderr.write(messages.fixed(fixes.length, changed.length));
      result = lint({ files, cwd, cache });
    }
  }
  report(result, flags, cwd);
}

function report(result: LintResult, flags: LintFlags, cwd: string): void {
  const all = shownDiagnostics(result.sources, cwd);
  const shown = flags.quiet ? all.filter((found) => found.severity === "error") : all;
  process.stdout.write(formatLint(flags.format, shown, { color: useColor(process.stdout), version: VERSION }));
  const errors = all.filter((found) => found.severity === "error").length;
  const warnings = all.length - errors;
  process.exitCode = errors > 0 || (flags.maxWarnings !== undefined && warnings > flags.maxWarnings) ? 1 : 0;
}
