/** `dmreport import`: options and help; the work is in run.ts, loaded only when it runs. It is a thin layer over importReport(). */
import { Option, type Command } from "commander";
import { monthOption } from "../shared/options.js";

export function registerImport(program: Command): void {
  program
    .command("import")
    .description("Split an existing Markdown monthly report into a report source (or a month of one)")
    .argument("<report>", "the Markdown report")
    .requiredOption("-m, --month <YYYY-MM>", "the month the report covers (required)", monthOption)
    .addOption(
      new Option("-i, --into <folder>", "a new folder, or an existing source to add the month to").default(".", "the current folder"),
    )
    .addHelpText(
      "after",
      [
        "",
        "Examples:",
        "  $ dmreport import old-reports/2017-12.md --month 2017-12 --into dm-report",
        "  $ dmreport import old-reports/2018-01.md --month 2018-01 --into dm-report",
        "",
        "Text it cannot place goes to import-leftover-YYYY-MM.md in the source, and is listed.",
        "",
      ].join("\n"),
    )
    .action(async (reportFile: string, flags: { month: string; into: string }) => (await import("./run.js")).runImport(reportFile, flags));
}
