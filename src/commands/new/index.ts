/** `dmreport new`: options and help; the work is in run.ts, loaded only when it runs. It is a thin layer over newMonth(). */
import { Option, type Command } from "commander";
import { monthOption } from "../shared/options.js";

export function registerNew(program: Command): void {
  program
    .command("new")
    .description("Open a month: a fragment for every WBS element, with last month's plans and open milestones in view")
    .requiredOption("-m, --month <YYYY-MM>", "the month to open (required)", monthOption)
    .option("-w, --wbs <codes...>", "only the fragments of these WBS elements (no report part)")
    .addOption(new Option("-s, --source <folder>", "a folder of the report source").default(".", "the current folder"))
    .addHelpText(
      "after",
      [
        "",
        "Examples:",
        "  $ dmreport new --month 2018-01",
        "  $ dmreport new --month 2018-01 --wbs 02C.03.01 02C.03.02",
        "",
        "Existing files are never overwritten.",
        "",
      ].join("\n"),
    )
    .action(async (flags: { month: string; wbs?: string[]; source: string }) => (await import("./run.js")).runNew(flags));
}
