/** `dmreport init`: a thin layer over initSource(). */
import { relative, resolve } from "node:path";
import type { Command } from "commander";
import { initSource } from "../../cycle/init.js";
import { monthOption } from "../options.js";

export function registerInit(program: Command): void {
  program
    .command("init")
    .description("Start a report source that builds and lints clean at once")
    .argument("[folder]", "where to create it (default: the current folder)", ".")
    .option("-m, --month <YYYY-MM>", "the first month (default: this month)", monthOption)
    .option("--force", "add the missing files to a folder that is not empty (no file is ever overwritten)")
    .addHelpText("after", "\nExample:\n  $ dmreport init status-report && cd status-report && dmreport build\n")
    .action((folder: string, flags: { month?: string; force?: boolean }) => {
      const target = resolve(folder);
      const { created, kept } = initSource(target, { month: flags.month, force: flags.force });
      const shown = relative(process.cwd(), target) || ".";
      const lines = [...created.map((file) => `created ${file}`), ...kept.map((file) => `kept    ${file} (already there)`)];
      lines.push("", `Next: dmreport build ${shown}    then, in its git repository: pre-commit install`);
      process.stdout.write(`${lines.join("\n")}\n`);
    });
}
