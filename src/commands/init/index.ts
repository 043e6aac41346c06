/** `dmreport init`: options and help; the work is in run.ts, loaded only when it runs. It is a thin layer over initSource(). */
import { Argument, type Command } from "commander";
import { REPOSITORY, VERSION } from "../../core/package-root.js";
import { monthOption } from "../shared/options.js";

export function registerInit(program: Command): void {
  program
    .command("init")
    .description("Start a report source that builds and lints clean at once")
    .addArgument(new Argument("[folder]", "where to create it").default(".", "the current folder"))
    .option("-m, --month <YYYY-MM>", "the first month (default: this month)", monthOption)
    .option("--force", "add the missing files to a folder that is not empty (no file is ever overwritten)")
    .option(
      "--action <owner/repo@ref>",
      `the dmreport GitHub Action the CI workflow uses, where your organisation keeps dmreport (default: ${REPOSITORY}@v${VERSION})`,
    )
    .addHelpText("after", "\nExample:\n  $ dmreport init status-report && cd status-report && dmreport build\n")
    .action(async (folder: string, flags: { month?: string; force?: boolean; action?: string }) =>
      (await import("./run.js")).runInit(folder, flags),
    );
}
