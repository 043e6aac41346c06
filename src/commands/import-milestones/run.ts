/** `dmreport import-milestones`: a thin layer over importMilestones(). */
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { UsageError } from "../../errors.js";
import { importMilestones } from "../../cycle/import-milestones.js";
import { hasErrors } from "../../diagnostics.js";
import { formatDiagnostics, useColor } from "../../format/compact.js";
import { findSourceRoot } from "../../load/index.js";

export async function runImportMilestones(exportFile: string, flags: { source: string; month?: string }): Promise<void> {
  const root = findSourceRoot(flags.source);
  if (!root) throw new UsageError(`no dmreport.yaml found in ${flags.source} or any folder above it`);
  if (!existsSync(exportFile)) throw new UsageError(`${exportFile} does not exist`);
  const result = await importMilestones(root, resolve(exportFile), { month: flags.month });
  const cwd = process.cwd();
  // Diagnostics about the export name it as given; those about the source, relative to it.
  const aboutExport = result.diagnostics.filter((found) => found.file === resolve(exportFile));
  const aboutSource = result.diagnostics.filter((found) => found.file !== resolve(exportFile));
  const color = useColor(process.stderr);
  process.stderr.write(formatDiagnostics(aboutSource, { root, cwd, color }));
  process.stderr.write(formatDiagnostics(aboutExport.map((found) => ({ ...found, file: exportFile })), { root: cwd, cwd, color }));
  if (hasErrors(result.diagnostics)) {
    process.stderr.write("the register was not changed\n");
    process.exitCode = 1;
    return;
  }
  const counts = `${result.added.length} added, ${result.updated.length} updated, ${result.unchanged.length} unchanged`;
  process.stdout.write(`milestones.yaml: ${counts}${result.written ? "" : " (not rewritten)"}\n`);
  if (result.snapshot) process.stdout.write(`${result.snapshot}: ${result.imported} milestone${result.imported === 1 ? "" : "s"} of the export kept for ${flags.month}\n`);
}
