/** `dmreport schemas`: options and help; the work is in run.ts, loaded only when it runs. It is a thin layer over writeSchemaCopies(). */
import { Option, type Command } from "commander";

export function registerSchemas(program: Command): void {
  program
    .command("schemas")
    .description("Copy (or refresh) dmreport's JSON Schemas into the source's .dmreport/schemas/, for editors on every clone")
    .addOption(new Option("-s, --source <folder>", "a folder of the report source").default(".", "the current folder"))
    .addHelpText(
      "after",
      [
        "",
        "The YAML files of a source made by dmreport init point at these copies (# yaml-language-server: $schema=...).",
        "Run it after upgrading dmreport, then commit the copies; lint warns while they differ.",
        "",
        "Example:",
        "  $ dmreport schemas && git add .dmreport/schemas",
        "",
      ].join("\n"),
    )
    .action(async (flags: { source: string }) => (await import("./run.js")).runSchemas(flags));
}
