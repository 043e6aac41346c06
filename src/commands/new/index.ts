/** `dmreport new`: a thin layer over newMonth(). */
import type { Command } from "commander";
import { UsageError } from "../../build.js";
import { hasErrors } from "../../diagnostics.js";
import { findSourceRoot } from "../../load/index.js";
import { formatDiagnostics, useColor } from "../../format/compact.js";
import { newMonth } from "../../cycle/new-month.js";
import { monthOption } from "../options.js";

export function registerNew(program: Command): void {
  program
    .command("new")
    .description("Open a month: a fragment for every WBS element, with last month's plans and open milestones in view")
    .requiredOption("-m, --month <YYYY-MM>", "the month to open", monthOption)
    .option("-w, --wbs <codes...>", "only these WBS elements")
    .option("-s, --source <folder>", "a folder of the report source (default: the current folder)", ".")
    .addHelpText("after", "\nExamples:\n  $ dmreport new --month 2018-01\n  $ dmreport new --month 2018-01 --wbs 02C.03.01 02C.03.02\n\nExisting files are never overwritten.\n")
    .action((flags: { month: string; wbs?: string[]; source: string }) => {
      const root = findSourceRoot(flags.source);
      if (!root) throw new UsageError(`no dmreport.yaml found in ${flags.source} or any folder above it`);
      const result = newMonth(root, { month: flags.month, wbs: flags.wbs });
      process.stderr.write(formatDiagnostics(result.diagnostics, { root, cwd: process.cwd(), color: useColor(process.stderr) }));
      if (hasErrors(result.diagnostics)) {
        process.stderr.write("nothing was created: fix the errors above first\n");
        process.exitCode = 1;
        return;
      }
      const lines = [...result.created.map((file) => `created ${file}`), ...result.kept.map((file) => `kept    ${file} (already there)`)];
      process.stdout.write(`${lines.join("\n")}\n`);
    });
}
