/** `dmreport lint`: a thin layer over the library's lint(). */
import { InvalidArgumentError, Option, type Command } from "commander";
import { VERSION } from "../../build.js";
import { useColor } from "../../format/compact.js";
import { formatLint, LINT_FORMATS, shownDiagnostics, type LintFormat } from "../../format/lint.js";
import { lint, type LintResult } from "../../lint.js";
import { applyFixes } from "../../write/fix.js";
import * as messages from "./messages.js";

interface LintFlags {
  format: LintFormat;
  quiet?: boolean;
  maxWarnings?: number;
  fix?: boolean;
}

/** Add the lint command to `program`; its action sets process.exitCode. */
export function registerLint(program: Command): void {
  program
    .command("lint")
    .description(messages.description)
    .argument("[files...]", "files to check (default: the whole source around the current folder)")
    .addOption(new Option("-f, --format <format>", "how to report").choices(LINT_FORMATS).default("stylish"))
    .option("-q, --quiet", "report errors only")
    .option("--max-warnings <n>", "exit 1 when there are more warnings than this", wholeNumber)
    .option("--fix", "fix what is safe to fix mechanically, then report what is left")
    .addHelpText("after", messages.examples)
    .action((files: string[], flags: LintFlags) => {
      const cwd = process.cwd();
      let result = lint({ files, cwd });
      if (flags.fix) {
        const fixes = result.sources.flatMap((source) => source.diagnostics.filter((found) => found.fix));
        const changed = result.sources.flatMap((source) => applyFixes(source.root, source.diagnostics));
        if (changed.length) {
          if (flags.format === "stylish") process.stderr.write(messages.fixed(fixes.length, changed.length));
          result = lint({ files, cwd });
        }
      }
      report(result, flags, cwd);
    });
}

function report(result: LintResult, flags: LintFlags, cwd: string): void {
  const all = shownDiagnostics(result.sources, cwd);
  const shown = flags.quiet ? all.filter((found) => found.severity === "error") : all;
  process.stdout.write(formatLint(flags.format, shown, { color: useColor(process.stdout), version: VERSION }));
  const errors = all.filter((found) => found.severity === "error").length;
  const warnings = all.length - errors;
  process.exitCode = errors > 0 || (flags.maxWarnings !== undefined && warnings > flags.maxWarnings) ? 1 : 0;
}

function wholeNumber(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError("it must be a whole number, 0 or more");
  return Number(value);
}
