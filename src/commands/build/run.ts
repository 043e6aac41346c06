/** `dmreport build`: a thin layer over the library's build(). */
import { relative } from "node:path";
import { build } from "../../build.js";
import { hasErrors } from "../../diagnostics.js";
import { formatDiagnostics, useColor } from "../../format/compact.js";
import type { BuildFlags } from "./index.js";
import * as messages from "./messages.js";

export async function runBuild(source: string | undefined, flags: BuildFlags): Promise<void> {
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
}
