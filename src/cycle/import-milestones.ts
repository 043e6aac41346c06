/** Bring a schedule export (Primavera P6, MS Project: CSV or Excel) into the milestone register, and keep it as the month's snapshot. */
import { basename } from "node:path";
import { Document, isMap, isSeq, parseDocument, YAMLMap } from "yaml";
import { diagnostic, hasErrors, type Diagnostic } from "../diagnostics.js";
import { TimeLimitError, withinTimeLimit } from "../time-limit.js";
import { UsageError } from "../errors.js";
import { SourceFiles, SOURCE_FILES } from "../load/index.js";
import { checkedProject } from "../project.js";
import { readExport } from "../schedule/read-export.js";
import { exportedMilestones, type ExportedMilestone } from "../schedule/rows.js";
import { writeSourceFiles } from "../write/source.js";
import { schemaLine } from "./schemas.js";

export { scheduleDate } from "../schedule/rows.js";

export interface ImportMilestonesOptions {
  /** YYYY-MM: also keep the export as `schedule/YYYY-MM.yaml`, the month's snapshot. */
  month?: string;
  /** How the export is named in diagnostics (the path given on the command line). */
  shown?: string;
}

export interface ImportMilestonesResult {
  diagnostics: Diagnostic[];
  added: string[];
  updated: string[];
  unchanged: string[];
  /** Whether milestones.yaml was written. */
  written: boolean;
  /** The snapshot written, relative to the source root. */
  snapshot?: string;
  /** Rows of the export that became milestones. */
  imported: number;
}

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

/** Import the export at `exportPath` into the register of the source at `root`. */
export async function importMilestones(root: string, exportPath: string, options: ImportMilestonesOptions = {}): Promise<ImportMilestonesResult> {
  if (options.month !== undefined && !MONTH.test(options.month)) throw new UsageError(`--month must be a month like 2018-01, got ${options.month}`);
  const result: ImportMilestonesResult = { diagnostics: [], added: [], updated: [], unchanged: [], written: false, imported: 0 };
  const { project, errors } = checkedProject(root, { months: [] });
  if (!project) {
    result.diagnostics = errors;
    return result;
  }
  const shown = options.shown ?? exportPath;
  const rows = await readExport(exportPath, shown, result.diagnostics);
  if (!rows) return result;
  let imported: ExportedMilestone[];
  try {
    imported = withinTimeLimit(() => exportedMilestones(rows, project.config, project.wbs, shown, result.diagnostics));
  } catch (error) {
    if (!(error instanceof TimeLimitError)) throw error;
    result.diagnostics.push(diagnostic(shown, { line: 1, column: 1 }, "time-limit",
      `reading the export took more than ${error.limitMs / 1000} s and was stopped: \`milestones.idPattern\` or \`milestones.import.wbsPrefix\` in dmreport.yaml can take exponential time on some text, as a repetition inside a repetition does (\`(a+)+\`); write it so that text can match it one way only`));
    return result;
  }
  if (hasErrors(result.diagnostics)) return result;
  result.imported = imported.length;

  const files = new SourceFiles(root);
  const register = files.readText(SOURCE_FILES.milestones);
  if ("refusal" in register && !register.refusal.missing) throw new UsageError(register.refusal.message);
  const document = "text" in register
    ? parseDocument(register.text.replace(/^\uFEFF/, ""), { schema: "core" })
    : parseDocument("# The milestone register, kept up to date by dmreport import-milestones.\nmilestones: []\n", { schema: "core" });
  mergeIntoRegister(document, imported, result);
  const outputs = [];
  if (result.added.length || result.updated.length) {
    outputs.push({ name: SOURCE_FILES.milestones, content: document.toString({ lineWidth: 0, flowCollectionPadding: true }) });
    result.written = true;
  }
  if (options.month) {
    result.snapshot = `${SOURCE_FILES.schedule}/${options.month}.yaml`;
    const file = `${SOURCE_FILES.schedule}/${options.month}.yaml`;
    // Where the source keeps dmreport's schemas, editors check the snapshot against its own.
    const modeline = "real" in files.locate(`${SOURCE_FILES.schemaCopies}/schedule.schema.json`) ? schemaLine(file) : undefined;
    outputs.push({ name: file, content: snapshotText(options.month, basename(exportPath), imported, modeline) });
  }
  writeSourceFiles(files, outputs);
  return result;
}

/** The month's snapshot: what every build needs of the export to know that month's forecasts. */
function snapshotText(month: string, exportName: string, milestones: ExportedMilestone[], modeline: string | undefined): string {
  const document = new Document({
    month,
    export: exportName,
    milestones: milestones.map((milestone) => ({
      id: milestone.id,
      wbs: milestone.scheduleWbs,
      due: milestone.due,
      ...(milestone.forecast && { forecast: milestone.forecast }),
      ...(milestone.completed && { completed: milestone.completed }),
    })),
  }, { schema: "core" });
  const list = document.get("milestones", true);
  if (isSeq(list)) for (const item of list.items) if (isMap(item)) item.flow = true;
  document.commentBefore = `${modeline ? `${modeline.slice(1)}\n` : ""} The schedule export of ${month}, kept by dmreport import-milestones --month ${month}.\n Each build reads it for that month's forecasts and completions; do not edit it by hand.`;
  return document.toString({ lineWidth: 0, flowCollectionPadding: true });
}

/** Update the register document: schedule fields replaced, local fields (level, note) kept. */
function mergeIntoRegister(document: Document.Parsed, imported: ExportedMilestone[], result: ImportMilestonesResult): void {
  let list = document.get("milestones", true);
  if (!isSeq(list)) {
    document.set("milestones", document.createNode([]));
    list = document.get("milestones", true);
  }
  if (!isSeq(list)) return;
  const flow = list.items.length > 0 && isMap(list.items[0]) && (list.items[0] as YAMLMap).flow === true;
  for (const milestone of imported) {
    const existing = list.items.find((item) => isMap(item) && String(item.get("id")) === milestone.id) as YAMLMap | undefined;
    const links = (ids: string[] | undefined) => (ids === undefined ? undefined : ids.length ? ids : null);
    const fields: [string, string | string[] | null | undefined][] = [
      ["title", milestone.title],
      ["wbs", milestone.wbs],
      // The schedule's own id is kept where it says more than the element the report groups by.
      ["scheduleWbs", milestone.scheduleWbs === milestone.wbs ? null : milestone.scheduleWbs],
      ["due", milestone.due],
      ["forecast", milestone.forecast],
      ["completed", milestone.completed],
      ["predecessors", links(milestone.predecessors)],
      ["successors", links(milestone.successors)],
    ];
    if (!existing) {
      const node = document.createNode(Object.fromEntries([["id", milestone.id], ...fields.filter(([, value]) => value !== null && value !== undefined)]), { flow });
      list.items.push(node);
      result.added.push(milestone.id);
      continue;
    }
    let changed = false;
    for (const [key, value] of fields) {
      const current = existing.get(key);
      if (value === undefined) continue; // the export has no such column: keep what the register says
      if (value === null) {
        // A schedule value the export no longer gives is removed; local fields are never touched.
        if (current !== undefined) {
          existing.delete(key);
          changed = true;
        }
      } else if (JSON.stringify(isSeq(current) ? current.toJSON() : current === undefined ? undefined : String(current)) !== JSON.stringify(value)) {
        existing.set(key, Array.isArray(value) ? document.createNode(value, { flow: true }) : value);
        changed = true;
      }
    }
    (changed ? result.updated : result.unchanged).push(milestone.id);
  }
}
