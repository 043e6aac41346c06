/** `dmreport import-milestones`: a thin layer over importMilestones(). */
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { UsageError } from "../../core/errors.js";
import { importMilestones } from "../../schedule/import-milestones.js";
import { hasErrors } from "../../core/diagnostics.js";
import { formatDiagnostics, useColor } from "../../reporters/compact.js";
import { printable } from "../../reporters/printable.js";
import { requireSourceRoot } from "../../load/index.js";
import { stopSignal } from "../shared/stop.js";

export interface ImportMilestonesFlags {
  source: string;
  month?: string;
  baseline?: boolean;
  profile?: string;
  encoding?: string;
  annotations?: string;
  partial?: boolean;
}

export async function runImportMilestones(exportFile: string, flags: ImportMilestonesFlags): Promise<void> {
  const root = requireSourceRoot(flags.source, "dmreport import-milestones", "point --source at one");
  for (const given of [exportFile, flags.annotations])
    if (given !== undefined && !existsSync(given)) throw new UsageError(`${given} does not exist`);
  const result = await importMilestones(root, resolve(exportFile), {
    month: flags.month,
    baseline: flags.baseline,
    profile: flags.profile,
    encoding: flags.encoding,
    annotations: flags.annotations && resolve(flags.annotations),
    partial: flags.partial,
    signal: stopSignal,
  });
  const cwd = process.cwd();
  // Diagnostics about the export (or the annotations) name it as given; those about the source, relative to it.
  const given = new Map([
    [resolve(exportFile), exportFile],
    ...(flags.annotations ? [[resolve(flags.annotations), flags.annotations] as [string, string]] : []),
  ]);
  const aboutFiles = result.diagnostics
    .filter((found) => given.has(found.file))
    .map((found) => ({ ...found, file: given.get(found.file)! }));
  const aboutSource = result.diagnostics.filter((found) => !given.has(found.file));
  const color = useColor(process.stderr);
  process.stderr.write(formatDiagnostics(aboutSource, { root, cwd, color }));
  process.stderr.write(formatDiagnostics(aboutFiles, { root: cwd, cwd, color }));
  if (hasErrors(result.diagnostics)) {
    process.stderr.write("the register was not changed\n");
    process.exitCode = 1;
    return;
  }
  const ended = result.ended.length ? `, ${result.ended.length} ended (no longer in the schedule)` : "";
  const counts = `${result.added.length} added, ${result.updated.length} updated, ${result.unchanged.length} unchanged${ended}`;
  const profile = result.profile ? ` (read with profile ${printable(result.profile)})` : "";
  process.stdout.write(`milestones.yaml: ${counts}${result.written ? "" : " (not rewritten)"}${profile}\n`);
  const milestones = (count: number) => `${count} milestone${count === 1 ? "" : "s"}`;
  if (result.snapshot)
    process.stdout.write(
      result.snapshotRows !== undefined
        ? `${result.snapshot}: ${milestones(result.imported)} of the partial export added to the month's earlier export (${milestones(result.snapshotRows)} in all)\n`
        : `${result.snapshot}: ${milestones(result.imported)} of the export kept for ${flags.month}\n`,
    );
}
