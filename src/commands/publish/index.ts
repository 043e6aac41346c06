/** `dmreport publish`: options and help; the work is in run.ts, loaded only when it runs. */
import type { Command } from "commander";
import type { PublishFlags } from "./run.js";

export function registerPublish(program: Command): void {
  program
    .command("publish")
    .description("Record a month as published: later builds must reproduce its outputs byte for byte, or stop")
    .argument("[source]", "a folder of the report source (default: the current folder)")
    .requiredOption("-m, --month <YYYY-MM>", "the month filed with the agencies (required)")
    .addHelpText(
      "after",
      `
The month is built in every text format (md, html, print; the PDF is printed from print). A line
per output (its digest, the day, the dmreport version) is written to published.yaml, and where
each output's lines differ and which files the month read to .dmreport/published/YYYY-MM.yaml:
commit both. From then on, a build of the month in any format, build --all, lint of the whole
source and lint of a file the month read stop with exit status 1 when an output would differ,
naming the output, the first line that differs and the file that changed. Publishing the month
again accepts its new output.

Examples:
  dmreport publish --month 2017-12
  git add published.yaml .dmreport/published && git commit -m "Publish the December 2017 report"`,
    )
    .action(async (source: string | undefined, flags: PublishFlags) => (await import("./run.js")).runPublish(source, flags));
}
