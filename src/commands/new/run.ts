/** `dmreport new`: a thin layer over newMonth(). */
import { commandCache } from "../shared/cache.js";
import { hasErrors } from "../../core/diagnostics.js";
import { requireSourceRoot } from "../../load/index.js";
import { formatDiagnostics, useColor } from "../../reporters/compact.js";
import { newMonth } from "../../monthly/new-month.js";
import { printable } from "../../reporters/printable.js";

export function runNew(flags: { month: string; wbs?: string[]; source: string }): void {
  const root = requireSourceRoot(flags.source, "dmreport new", "point --source at one");
  const result = newMonth(root, { month: flags.month, wbs: flags.wbs, cache: commandCache() });
  process.stderr.write(formatDiagnostics(result.diagnostics, { root, cwd: process.cwd(), color: useColor(process.stderr) }));
  if (hasErrors(result.diagnostics)) {
    process.stderr.write("nothing was created: fix the errors above first\n");
    process.exitCode = 1;
    return;
  }
  const lines = [
    ...result.created.map((file) => `created ${printable(file)}`),
    ...result.kept.map((file) => `kept    ${printable(file)} (already there)`),
  ];
  process.stdout.write(`${lines.join("\n")}\n`);
}
