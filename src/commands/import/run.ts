/** `dmreport import`: a thin layer over importReport(). */
import { existsSync } from "node:fs";
import { relative, resolve } from "node:path";
import { UsageError } from "../../core/errors.js";
import { hasErrors } from "../../core/diagnostics.js";
import { formatDiagnostics, useColor } from "../../reporters/compact.js";
import { importReport } from "../../import/write-source.js";

export function runImport(reportFile: string, flags: { month: string; into: string }): void {
  if (!existsSync(reportFile)) throw new UsageError(`${reportFile} does not exist`);
  const into = resolve(flags.into);
  const result = importReport(resolve(reportFile), reportFile, { month: flags.month, into });
  const cwd = process.cwd();
  const color = useColor(process.stderr);
  const aboutReport = result.diagnostics.filter((found) => found.file === reportFile);
  process.stderr.write(formatDiagnostics(aboutReport, { root: cwd, cwd, color }));
  process.stderr.write(
    formatDiagnostics(
      result.diagnostics.filter((found) => found.file !== reportFile),
      { root: result.root, cwd, color },
    ),
  );
  if (hasErrors(result.diagnostics)) {
    process.stderr.write("nothing was imported: fix the source's errors first\n");
    process.exitCode = 1;
    return;
  }
  const where = relative(cwd, result.root) || ".";
  const lines = [
    ...result.created.map((file) => `created ${file}`),
    ...result.kept.map((file) => `kept    ${file} (already there)`),
    "",
    `Next: dmreport build ${where} --month ${flags.month}`,
  ];
  process.stdout.write(`${lines.join("\n")}\n`);
}
