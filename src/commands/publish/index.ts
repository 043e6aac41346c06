/** `dmreport publish`: options and help; the work is in run.ts, loaded only when it runs. */
import type { Command } from "commander";

export interface PublishFlags {
  month: string;
}

export function registerPublish(program: Command): void {
  program
    .command("publish")
    .description("Record a month as published: later builds must reproduce its outputs byte for byte, or stop")
    .argument("[source]", "a folder of the report source (default: the current folder)")
    .requiredOption("-m, --month <YYYY-MM>", "the month filed with the agencies")
    .addHelpText(
      "after",
      `
The month is built in every text format (md, html, print; the PDF is printed from print) and a
digest of each output is written to published.yaml in the source: commit it. From then on, a
build (of the month, or --all) whose output for it would differ stops with exit status 1, naming
the file and the first line that differs. Publishing the month again accepts its new output.

Examples:
  dmreport publish --month 2017-12
  git add published.yaml && git commit -m "Publish the December 2017 report"`,
    )
    .action(async (source: string | undefined, flags: PublishFlags) => (await import("./run.js")).runPublish(source, flags));
}
