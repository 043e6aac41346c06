/** `dmreport build`: a thin layer over the library's build(). */
import { relative } from "node:path";
import type { Command } from "commander";
import { build } from "../../build.js";
import { hasErrors } from "../../diagnostics.js";
import { formatDiagnostics, useColor } from "../../format/compact.js";
import * as messages from "./messages.js";

interface BuildFlags {
  month?: string;
  format?: string;
  out?: string;
}

/** Add the build command to `program`; its action sets process.exitCode. */
export function registerBuild(program: Command): void {
  program
    .command("build")
    .description(messages.description)
    .argument("[source]", "a folder of the report source (default: the current folder)")
    .option("-m, --month <YYYY-MM>", "the month to build (default: the latest month folder)")
    .option("-f, --format <formats>", "comma-separated output formats: md, html, print, pdf (default: output.formats of dmreport.yaml)")
    .option("-o, --out <folder>", "where to write the report (default: build/ in the source)")
    .addHelpText("after", messages.examples)
    .action(async (source: string | undefined, flags: BuildFlags) => {
      const started = performance.now();
      const result = await build({ source, month: flags.month, formats: flags.format?.split(","), out: flags.out });
      const cwd = process.cwd();
      process.stderr.write(formatDiagnostics(result.diagnostics, { root: result.root, cwd, color: useColor(process.stderr) }));
      if (hasErrors(result.diagnostics)) {
        process.stderr.write(messages.failed);
        process.exitCode = 1;
        return;
      }
      const shown = result.written.map((file) => relative(cwd, file) || file);
      process.stdout.write(messages.built(shown, result.month!, performance.now() - started));
    });
}
