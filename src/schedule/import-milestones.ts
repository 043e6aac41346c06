/**
 * Bring a schedule export (Primavera P6 CSV, Excel or XER; MS Project XML) into the milestone
 * register, dated from the month it is of, and keep it as that month's snapshot.
 */
import { readFileSync } from "node:fs";
import { basename } from "node:path";
import picomatch from "picomatch";
import { parse as parseYaml, parseDocument } from "yaml";
import { parse as parseCsv } from "csv-parse/sync";
import { diagnostic, hasErrors, type Diagnostic } from "../core/diagnostics.js";
import { checkNotStopped, UsageError } from "../core/errors.js";
import { DEFAULT_LIMITS, limitsOf, loadSource, SOURCE_FILES } from "../load/index.js";
import { SourceFiles } from "../load/source-files.js";
import type { Config, Project, ScheduleImport } from "../core/model.js";
import { decodeExport, readExport } from "./read-export.js";
import { flowEntry, updateRegister, yamlScalar, type Annotation } from "./register-update.js";
import { exportedMilestones, type ExportedMilestone, type ExportedSchedule } from "./rows.js";
import { TimeLimitError, withinTimeLimit } from "../core/time-limit.js";
import { DEFAULT_MILESTONE_ID } from "../validate/config.js";
import { validateSource } from "../validate/index.js";
import { writeSourceFiles } from "../write/source.js";
import { schemaLine } from "../monthly/schemas.js";

export { scheduleDate } from "./rows.js";

export interface ImportMilestonesOptions {
  /** YYYY-MM: the month the export is of. What it changes is dated from it, and it is kept as `schedule/YYYY-MM.yaml`. */
  month?: string;
  /** How the export is named in diagnostics (the path given on the command line). */
  shown?: string;
  /** The export's finish is the baseline: it sets due dates and adds milestones (`--baseline`). */
  baseline?: boolean;
  /** A profile of `milestones.import.profiles` to read the export with (`--profile`). */
  profile?: string;
  /** The export's text encoding (`--encoding`). */
  encoding?: string;
  /** A file of local facts by milestone id: level, note, description (`--annotations`, CSV or YAML). */
  annotations?: string;
  /** The export holds some of the schedule only: milestones missing from it are not ended (`--partial`). */
  partial?: boolean;
  /** Aborted (SIGINT, SIGTERM) to stop the import with nothing written. */
  signal?: AbortSignal;
}

export interface ImportMilestonesResult {
  diagnostics: Diagnostic[];
  added: string[];
  updated: string[];
  unchanged: string[];
  /** Milestones the schedule no longer has, ended the month before (`until`). */
  ended: string[];
  /** Whether milestones.yaml was written. */
  written: boolean;
  /** The snapshot written, relative to the source root. */
  snapshot?: string;
  /** The milestones of the snapshot, when a partial export was added to the month's earlier one. */
  snapshotRows?: number;
  /** Rows of the export that became milestones. */
  imported: number;
  /** The profile the export was read with, when one was. */
  profile?: string;
}

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

/** More than this share of the last export's milestones missing from this one stops the import: a partial export, most likely. */
const MOST_MISSING = 0.5;

/** Import the export at `exportPath` into the register of the source at `root`. */
export async function importMilestones(
  root: string,
  exportPath: string,
  options: ImportMilestonesOptions = {},
): Promise<ImportMilestonesResult> {
  if (options.month !== undefined && !MONTH.test(options.month))
    throw new UsageError(`--month must be a month like 2018-01, got ${options.month}`);
  const result: ImportMilestonesResult = { diagnostics: [], added: [], updated: [], unchanged: [], ended: [], written: false, imported: 0 };
  const { source, diagnostics: loadProblems } = loadSource(root, { months: [] });
  const { project, diagnostics: problems } = validateSource(source);
  const errors = [...loadProblems, ...problems].filter((found) => found.severity === "error");
  if (!project || errors.length) {
    result.diagnostics = errors;
    return result;
  }
  const shown = options.shown ?? exportPath;
  // A month published, or one after it, shows what the schedule said then: an import for it would change a filed report.
  const filed = options.month ? [...(project.published?.months.keys() ?? [])].filter((month) => month >= options.month!).sort() : [];
  if (filed.length) {
    const last = [...project.published!.months.keys()].sort().pop()!;
    result.diagnostics.push(
      diagnostic(
        shown,
        { line: 1, column: 1 },
        "import-published",
        `${filed.join(", ")} ${filed.length === 1 ? "is" : "are"} published (published.yaml), so an export imported for ${options.month} would change what ${filed.length === 1 ? "it shows" : "they show"}: import the schedule for a month after ${last}; nothing was written`,
      ),
    );
    return result;
  }
  // Dated imports record each month's schedule: one without a month would rewrite every month's
  // facts, and one for a month before the latest export would rewrite what that export recorded.
  const latest = project.schedule
    .map((snapshot) => snapshot.month)
    .sort()
    .pop();
  const published = [...(project.published?.months.keys() ?? [])].sort();
  if (!options.month && (latest || published.length)) {
    result.diagnostics.push(
      diagnostic(
        shown,
        { line: 1, column: 1 },
        "import-order",
        `this source records each month's schedule (${latest ? `schedule/${latest}.yaml` : `${published.pop()} is published`}), and an import without --month would change the milestones of every month, filed ones included: give the month the export is of (--month YYYY-MM); nothing was written`,
      ),
    );
    return result;
  }
  if (options.month && latest && options.month < latest) {
    result.diagnostics.push(
      diagnostic(
        shown,
        { line: 1, column: 1 },
        "import-order",
        `the source has the schedule of ${latest} already (schedule/${latest}.yaml), and an export of ${options.month} imported after it would change what that import recorded: import the months in order (a later month's export again after this one, if the register is restored to before it); nothing was written`,
      ),
    );
    return result;
  }
  const settings = importSettings(project, exportPath, options);
  if (settings.name) result.profile = settings.name;
  const rows = await readExport(exportPath, shown, result.diagnostics, { encoding: options.encoding ?? settings.encoding });
  if (!rows) return result;
  await checkNotStopped(options.signal);

  const registerIds = new Set(project.register.map((milestone) => milestone.id));
  let exported: ExportedSchedule;
  try {
    exported = withinTimeLimit(() =>
      exportedMilestones(rows, project.config, settings, project.wbs, registerIds, shown, result.diagnostics),
    );
  } catch (error) {
    if (!(error instanceof TimeLimitError)) throw error;
    result.diagnostics.push(
      diagnostic(
        shown,
        { line: 1, column: 1 },
        "time-limit",
        `mapping the export's rows took more than ${error.limitMs / 1000} s and was stopped${patterns(project.config, settings)}`,
      ),
    );
    return result;
  }
  if (hasErrors(result.diagnostics)) return result;
  const annotations = options.annotations ? readAnnotations(options.annotations, result.diagnostics) : undefined;
  if (hasErrors(result.diagnostics)) return result;
  const imported = exported.milestones;
  result.imported = imported.length;
  await checkNotStopped(options.signal);

  // What the schedule no longer has: in the last export before this month's, or marked deleted.
  const removed = options.month && !options.partial ? removedSince(project, options.month, exported) : new Set<string>();
  // Against the month's own earlier export when there is one (this one corrects it), else the month before's.
  const previous = options.month ? project.schedule.filter((snapshot) => snapshot.month <= options.month!).pop() : undefined;
  if (previous && removed.size > previous.rows.size * MOST_MISSING) {
    result.diagnostics.push(
      diagnostic(
        shown,
        { line: 1, column: 1 },
        "import-removals",
        `${removed.size} of the ${previous.rows.size} milestones of the ${previous.month} export are not in this one, which would end them from ${options.month}: if this export holds part of the schedule only, import it with --partial (nothing ends); nothing was written`,
      ),
    );
    return result;
  }

  const files = new SourceFiles(root);
  const register = files.readText(SOURCE_FILES.milestones);
  if ("refusal" in register && !register.refusal.missing) throw new UsageError(register.refusal.message);
  const bom = "text" in register && register.text.startsWith("\uFEFF") ? "\uFEFF" : "";
  const registerText =
    "text" in register
      ? register.text.slice(bom.length)
      : "# The milestone register, kept up to date by dmreport import-milestones.\nmilestones: []\n";
  const updated = updateRegister(registerText, parseDocument(registerText, { schema: "core" }), imported, {
    month: options.month,
    removed,
    annotations,
    wbs: project.wbs,
  });
  Object.assign(result, updated.changes);
  const outputs: { name: string; content: string }[] = [];
  if (updated.text !== registerText) {
    // The register is edited as text: what does not read back as the entries meant is never written.
    if (updated.problem) {
      result.diagnostics.push(
        diagnostic(
          SOURCE_FILES.milestones,
          { line: 1, column: 1 },
          "import-register",
          `milestones.yaml is written in a way the import could not edit in place (${updated.problem}): write each milestone as a \`- { id: ..., ... }\` line of a block list, then import again; nothing was written`,
        ),
      );
      return result;
    }
    outputs.push({ name: SOURCE_FILES.milestones, content: bom + updated.text });
  }
  if (options.month) {
    const file = `${SOURCE_FILES.schedule}/${options.month}.yaml`;
    // Where the source keeps dmreport's schemas, editors check the snapshot against its own.
    const modeline = "real" in files.locate(`${SOURCE_FILES.schemaCopies}/schedule.schema.json`) ? schemaLine(file) : undefined;
    // A partial export adds to the month's snapshot: the milestones it lacks keep their month's forecasts.
    const kept = options.partial ? snapshotRows(files, file) : undefined;
    let rows: readonly SnapshotRow[] = imported;
    let exportName = basename(exportPath);
    if (kept?.rows.length) {
      const fresh = new Map(imported.map((milestone) => [milestone.id, milestone]));
      const earlier = new Set(kept.rows.map((row) => row.id));
      rows = [...kept.rows.map((row) => fresh.get(row.id) ?? row), ...imported.filter((milestone) => !earlier.has(milestone.id))];
      exportName = `${kept.exportName}, then ${exportName} (partial)`;
      result.snapshotRows = rows.length;
    }
    outputs.push({ name: file, content: snapshotText(options.month, exportName, rows, modeline) });
  }
  // What the source could not read back is not written: every file within the source's limits.
  const limits = source.config ? limitsOf(source.config) : DEFAULT_LIMITS;
  for (const output of outputs) {
    const size = Buffer.byteLength(output.content);
    if (size > limits.fileBytes) {
      result.diagnostics.push(
        diagnostic(
          shown,
          { line: 1, column: 1 },
          "import-limits",
          `${output.name} would be ${(size / 1048576).toFixed(1)} MiB, more than the ${(limits.fileBytes / 1048576).toFixed(1)} MiB dmreport reads (limits.fileBytes in dmreport.yaml), so every later command would refuse it: export the milestones only, or raise limits.fileBytes; nothing was written`,
        ),
      );
      return result;
    }
  }
  await checkNotStopped(options.signal);
  writeSourceFiles(files, outputs);
  result.written = outputs.some((output) => output.name === SOURCE_FILES.milestones);
  if (options.month) result.snapshot = `${SOURCE_FILES.schedule}/${options.month}.yaml`;
  return result;
}

/** What can make mapping rows slow that the source wrote: its patterns, when it has any. */
function patterns(config: Config, settings: ScheduleImport): string {
  const ownIdPattern = config.milestones.idPatterns.some((pattern) => pattern.source !== DEFAULT_MILESTONE_ID);
  const written = [ownIdPattern ? "`milestones.idPattern`" : "", settings.wbsPrefix ? "`milestones.import.wbsPrefix`" : ""].filter(Boolean);
  if (!written.length) return ": the export is larger than dmreport can map in that time; export the milestones only";
  return `: ${written.join(" or ")} in dmreport.yaml can take exponential time on some text, as a repetition inside a repetition does (\`(a+)+\`); write it so that text can match it one way only, or export the milestones only`;
}

/**
 * The settings the export is read with: the profile named, or the first whose `match` its file
 * name matches, over the import's own; `--baseline` on top.
 */
function importSettings(project: Project, exportPath: string, options: ImportMilestonesOptions): ScheduleImport & { name?: string } {
  const { profiles, ...base } = project.config.milestones.import;
  let chosen: (ScheduleImport & { name?: string }) | undefined;
  if (options.profile !== undefined) {
    chosen = profiles.find((profile) => profile.name === options.profile);
    if (!chosen)
      throw new UsageError(
        `--profile ${options.profile} is not a profile of milestones.import.profiles in dmreport.yaml${profiles.length ? ` (it has ${profiles.map((profile) => profile.name).join(", ")})` : " (it has none)"}`,
      );
  } else
    chosen = profiles.find(
      (profile) => profile.match !== undefined && picomatch.isMatch(basename(exportPath), profile.match, { nocase: true }),
    );
  const settings = chosen ?? base;
  return options.baseline ? { ...settings, baseline: true } : settings;
}

/** The ids the schedule no longer has in `month`: in the last export before it and not in this one, or marked deleted in this one. */
function removedSince(project: Project, month: string, exported: ExportedSchedule): Set<string> {
  const now = new Set(exported.milestones.map((milestone) => milestone.id));
  const previous = project.schedule.filter((snapshot) => snapshot.month < month).pop();
  // The month's own export imported before (this one corrects it): what it added and this one lacks goes too.
  const same = project.schedule.find((snapshot) => snapshot.month === month);
  const removed = new Set<string>(exported.deleted.filter((id) => !now.has(id)));
  for (const id of [...(previous?.rows.keys() ?? []), ...(same?.rows.keys() ?? [])]) if (!now.has(id)) removed.add(id);
  return removed;
}

/**
 * The annotations file: CSV with columns `id` and any of `level`, `note`, `description`, or YAML
 * mapping each id to them. Its problems are diagnostics at their line.
 */
function readAnnotations(path: string, diagnostics: Diagnostic[]): Map<string, Annotation> {
  const annotations = new Map<string, Annotation>();
  const refuse = (message: string, line = 1) => {
    diagnostics.push(diagnostic(path, { line, column: 1 }, "import-annotations", message));
    return undefined;
  };
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    refuse(`the annotations file cannot be read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    return annotations;
  }
  const text = decodeExport(bytes, undefined, refuse);
  if (text === undefined) return annotations;
  const add = (id: string, raw: Record<string, unknown>, line: number) => {
    const level = raw.level === undefined || raw.level === "" ? undefined : Number(raw.level);
    if (level !== undefined && !(Number.isInteger(level) && level >= 0 && level <= 9))
      refuse(`the level of ${id}, \`${String(raw.level)}\`, is not a whole number from 0 to 9`, line);
    const note = typeof raw.note === "string" && raw.note.trim() ? raw.note.trim() : undefined;
    const description = typeof raw.description === "string" && raw.description.trim() ? raw.description.trim() : undefined;
    annotations.set(id, {
      ...(level !== undefined && Number.isInteger(level) && level >= 0 && level <= 9 && { level }),
      ...(note && { note }),
      ...(description && { description }),
    });
  };
  if (/\.ya?ml$/i.test(path)) {
    let value: unknown;
    try {
      value = parseYaml(text, { schema: "core" });
    } catch (error) {
      refuse(`the annotations file is not readable YAML: ${(error as Error).message.split("\n")[0]}`);
      return annotations;
    }
    if (!value || typeof value !== "object" || Array.isArray(value)) {
      refuse("the annotations file must map each milestone id to its level, note and description");
      return annotations;
    }
    for (const [id, raw] of Object.entries(value as Record<string, unknown>))
      add(id, raw && typeof raw === "object" ? (raw as Record<string, unknown>) : {}, 1);
    return annotations;
  }
  let records: { record: Record<string, string>; info: { lines: number } }[];
  try {
    records = parseCsv(text, {
      columns: (header: string[]) => header.map((name) => name.trim().toLowerCase()),
      skip_empty_lines: true,
      trim: true,
      info: true,
      relax_column_count: true,
    }) as unknown as typeof records;
  } catch (error) {
    refuse(`the annotations file is not readable CSV: ${(error as Error).message}`);
    return annotations;
  }
  for (const { record, info } of records) {
    if (!record.id) refuse(`row ${info.lines} has no milestone id (a column \`id\`)`, info.lines);
    else add(record.id, record, info.lines);
  }
  return annotations;
}

/** One line of a month's snapshot. */
type SnapshotRow = Pick<ExportedMilestone, "id" | "scheduleWbs" | "due" | "forecast" | "completed">;

/** The rows of the month's snapshot the source has, and the export it names; undefined when there is none. */
function snapshotRows(files: SourceFiles, file: string): { rows: SnapshotRow[]; exportName: string } | undefined {
  const read = files.readText(file);
  if ("refusal" in read) {
    if (read.refusal.missing) return undefined;
    throw new UsageError(read.refusal.message);
  }
  // The source's checks have read it already: its rows are well formed.
  const snapshot = parseYaml(read.text, { schema: "core" }) as { export?: string; milestones?: Record<string, string>[] };
  const rows = (snapshot.milestones ?? []).map((row) => ({
    id: row.id!,
    scheduleWbs: row.wbs!,
    due: row.due,
    forecast: row.forecast,
    completed: row.completed,
  }));
  return { rows, exportName: snapshot.export ?? "an earlier export" };
}

/** The month's snapshot: what every build needs of the export to know that month's forecasts; one line per milestone. */
function snapshotText(month: string, exportName: string, milestones: readonly SnapshotRow[], modeline: string | undefined): string {
  const lines = [
    ...(modeline ? [modeline] : []),
    `# The schedule export of ${month}, kept by dmreport import-milestones --month ${month}.`,
    "# Each build reads it for that month's forecasts and completions; do not edit it by hand.",
    `month: ${month}`,
    `export: ${yamlScalar(exportName)}`,
    milestones.length ? "milestones:" : "milestones: []",
    ...milestones.map((milestone) => {
      const values: [string, string][] = [
        ["id", milestone.id],
        ["wbs", milestone.scheduleWbs],
      ];
      for (const field of ["due", "forecast", "completed"] as const) {
        const value = milestone[field];
        if (value) values.push([field, value]);
      }
      return `  - ${flowEntry(values)}`;
    }),
  ];
  return `${lines.join("\n")}\n`;
}
