/** `dmreport status`: options and help; the work is in run.ts, loaded only when it runs. It is a thin layer over monthStatus(). */
import { Option, type Command } from "commander";
import { monthOption } from "../shared/options.js";

export function registerStatus(program: Command): void {
  program
    .command("status")
    .description("Show who has written this month's fragments, and which due milestones have no status")
    .option("-m, --month <YYYY-MM>", "the month (default: the latest month folder)", monthOption)
    .addOption(new Option("-s, --source <folder>", "a folder of the report source").default(".", "the current folder"))
    .addOption(new Option("-f, --format <format>", "how to report").choices(["table", "json"]).default("table"))
    .option("--strict", "exit 1 while anything is missing, empty or placeholder only (for a CI job before the deadline)")
    .action(async (flags: { month?: string; source: string; format: "table" | "json"; strict?: boolean }) =>
      (await import("./run.js")).runStatus(flags),
    );
}
