/** `dmreport import`: a thin layer over importReport(). */
import { existsSync } from "node:fs";
import { relative, resolve } from "node:path";
import type { Command } from "commander";
import { UsageError } from "../../build.js";
import { hasErrors } from "../../diagnostics.js";
import { formatDiagnostics, useColor } from "../../format/compact.js";
import { importReport } from "../../import/write-source.js";
import { monthOption } from "../options.js";

export function registerImport(program: Command): void {
  program
    .command("import")
    .description("Split an existing Markdown monthly report into a report source (or a month of one)")
    .argument("<report>", "the Markdown report")
    .requiredOption("-m, --month <YYYY-MM>", "the month the report covers", monthOption)
    .option("-i, --into <folder>", "a new folder, or an existing source to add the month to (default: the current folder)", ".")
    .addHelpText(
      "after",
      "\nExamples:\n  $ dmreport import old-reports/2017-12.md --month 2017-12 --into dm-report\n  $ dmreport import old-reports/2018-01.md --month 2018-01 --into dm-report\n\nText it cannot place goes to import-leftover-YYYY-MM.md in the source, and is listed.\n",
    )
    .action((reportFile: string, flags: { month: string; into: string }) => {
      if (!existsSync(reportFile)) throw new UsageError(`${reportFile} does not exist`);
      const into = resolve(flags.into);
      const result = importReport(resolve(reportFile), reportFile, { month: flags.month, into });
      const cwd = process.cwd();
      const color = useColor(process.stderr);
      const aboutReport = result.diagnostics.filter((found) => found.file === reportFile);
      process.stderr.write(formatDiagnostics(aboutReport, { root: cwd, cwd, color }));
      process.stderr.write(formatDiagnostics(result.diagnostics.filter((found) => found.file !== reportFile), { root: result.root, cwd, color }));
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
    });
}
