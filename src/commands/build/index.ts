/** `dmreport build`: options and help; the work is in run.ts, loaded only when it runs. */
import type { Command } from "commander";
import * as messages from "./messages.js";
import type { BuildFlags } from "./run.js";

export function registerBuild(program: Command): void {
  program
    .command("build")
    .description(messages.description)
    .argument("[source]", "a folder of the report source (default: the current folder)")
    .option("-m, --month <YYYY-MM>", "the month to build (default: the latest month folder)")
    .option("-a, --all", "build every month of the source, and an index page")
    .option("-f, --format <formats>", "comma-separated output formats: md, html, print, pdf (default: output.formats of dmreport.yaml)")
    .option("-o, --out <folder>", "where to write the report (default: build/ in the source)")
    .option("--fresh", "build everything anew, using nothing kept from earlier builds")
    .addHelpText("after", messages.examples)
    .action(async (source: string | undefined, flags: BuildFlags) => (await import("./run.js")).runBuild(source, flags));
}
