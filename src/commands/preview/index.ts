/** `dmreport preview`: options and help; the work is in run.ts, loaded only when it runs. It is a thin layer over startPreview(). */
import { InvalidArgumentError, Option, type Command } from "commander";
import { monthOption } from "../shared/options.js";
import type { PreviewFlags } from "./run.js";

/** The port the preview listens on unless told otherwise. */
export const DEFAULT_PORT = 8017;

export function registerPreview(program: Command): void {
  program
    .command("preview")
    .description("Serve the month's report on this machine and update it as you save the source (live reload, error overlay)")
    .argument("[source]", "a folder in the report source (default: the current folder)")
    .option("-m, --month <YYYY-MM>", "the month to show (default: the latest, following new months)", monthOption)
    .option("-a, --all", "every month and the milestone dashboard")
    .addOption(
      new Option("-p, --port <n>", "the port, on 127.0.0.1 only")
        .argParser(port)
        .default(DEFAULT_PORT, `${DEFAULT_PORT}; 0 for any free port`),
    )
    .option("-o, --open", "open the page in the default browser")
    .addHelpText(
      "after",
      [
        "",
        "The server answers on 127.0.0.1 only and serves the report's pages alone. Saving a fragment, the",
        "config, the WBS tree, the register, a template or a schedule snapshot rebuilds the report, and every",
        "open page reloads where it was. While the source has errors, the last report that built is shown",
        "under a list of them. Ctrl-C stops it.",
        "",
        "Example:",
        "  $ dmreport preview --month 2017-12 --open",
        "",
      ].join("\n"),
    )
    .action(async (source: string | undefined, flags: PreviewFlags) => (await import("./run.js")).runPreview(source, flags));
}

function port(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) > 65535) throw new InvalidArgumentError("it must be a port number, 0 to 65535");
  return Number(value);
}
