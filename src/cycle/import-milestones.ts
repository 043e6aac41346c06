/** Bring a scheduling tool's CSV export (Primavera and the like) into the milestone register. */
import { existsSync, readFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { parse } from "csv-parse/sync";
import { isMap, isSeq, parseDocument, YAMLMap, type Document } from "yaml";
import { diagnostic, hasErrors, type Diagnostic } from "../diagnostics.js";
import { SOURCE_FILES } from "../load/index.js";
import { checkedProject } from "../project.js";
import type { Project } from "../model.js";
import { writeOutputs } from "../write/index.js";

export interface ImportMilestonesResult {
  diagnostics: Diagnostic[];
  added: string[];
  updated: string[];
  unchanged: string[];
  /** Whether milestones.yaml was written. */
  written: boolean;
}

const MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

/**
 * A date as schedule exports write it, as YYYY-MM-DD: ISO (`2021-02-16`, with or without a
 * time), US (`2/16/2021 8:00:00 AM`) or `16-Feb-21`. Undefined when it is none of these or
 * not a real date.
 */
export function scheduleDate(text: string): string | undefined {
  const value = text.trim();
  let year: number, month: number, day: number;
  let match: RegExpExecArray | null;
  if ((match = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ][\d:.]+Z?)?$/.exec(value))) [year, month, day] = [+match[1]!, +match[2]!, +match[3]!];
  else if ((match = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?:\s+\d{1,2}:\d{2}(?::\d{2})?\s*(?:[AP]M)?)?$/i.exec(value))) [month, day, year] = [+match[1]!, +match[2]!, +match[3]!];
  else if ((match = /^(\d{1,2})-([A-Za-z]{3})-(\d{2}|\d{4})$/.exec(value))) {
    [day, month, year] = [+match[1]!, MONTHS.indexOf(match[2]!.toLowerCase()) + 1, +match[3]!];
    if (year < 100) year += 2000;
  } else return undefined;
  const date = new Date(Date.UTC(year, month - 1, day));
  if (month < 1 || date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return undefined;
  return `${year}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}

interface ImportedMilestone {
  id: string;
  title: string;
  wbs: string;
  due: string;
  /** Null: the export has the column but no date (cleared); undefined: no such column (kept). */
  forecast?: string | null;
  completed?: string | null;
}

/** Import `csvPath` into the register of the source at `root`. */
export function importMilestones(root: string, csvPath: string): ImportMilestonesResult {
  const result: ImportMilestonesResult = { diagnostics: [], added: [], updated: [], unchanged: [], written: false };
  const { project, errors } = checkedProject(root, { months: [] });
  if (!project) {
    result.diagnostics = errors;
    return result;
  }
  const shown = csvPath;
  const rows = readRows(csvPath, shown, result.diagnostics);
  if (!rows) return result;
  const imported = usableRows(rows, project, shown, result.diagnostics);
  if (hasErrors(result.diagnostics)) return result;

  const registerPath = join(root, SOURCE_FILES.milestones);
  const document = existsSync(registerPath)
    ? parseDocument(readFileSync(registerPath, "utf8").replace(/^\uFEFF/, ""), { schema: "core" })
    : parseDocument("# The milestone register, kept up to date by dmreport import-milestones.\nmilestones: []\n", { schema: "core" });
  mergeIntoRegister(document, imported, result);
  if (result.added.length || result.updated.length) {
    writeOutputs(dirname(registerPath), [{ name: basename(registerPath), content: document.toString({ lineWidth: 0, flowCollectionPadding: true }) }]);
    result.written = true;
  }
  return result;
}

interface Row {
  line: number;
  cells: string[];
}

function readRows(csvPath: string, shown: string, diagnostics: Diagnostic[]): Row[] | undefined {
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(readFileSync(csvPath), { bom: true, relax_column_count: true, skip_empty_lines: true, info: true, trim: true }) as unknown as typeof records;
  } catch (error) {
    const line = (error as { lines?: number }).lines ?? 1;
    diagnostics.push(diagnostic(shown, { line, column: 1 }, "import-csv", `the export is not readable CSV: ${(error as Error).message}`));
    return undefined;
  }
  return records.map(({ record, info }) => ({ line: info.lines, cells: record }));
}

/** The rows that make milestones; the others are reported with their row's line. */
function usableRows(rows: Row[], project: Project, shown: string, diagnostics: Diagnostic[]): ImportedMilestone[] {
  const settings = project.config.milestones.import;
  const [header, ...data] = rows;
  if (!header) {
    diagnostics.push(diagnostic(shown, { line: 1, column: 1 }, "import-csv", "the export is empty"));
    return [];
  }
  const index = (name: string) => header.cells.findIndex((cell) => cell.toLowerCase() === name.toLowerCase());
  const columns = Object.fromEntries(Object.entries(settings.columns).map(([field, name]) => [field, index(name)])) as Record<keyof typeof settings.columns, number>;
  for (const field of ["id", "title", "wbs", "due"] as const) {
    if (columns[field] < 0)
      diagnostics.push(diagnostic(shown, { line: header.line, column: 1 }, "import-csv",
        `the export has no column \`${settings.columns[field]}\` for the milestone ${field} (milestones.import.columns.${field} in dmreport.yaml); its columns are: ${header.cells.join(", ")}`));
  }
  if (hasErrors(diagnostics)) return [];

  const cell = (row: Row, field: keyof typeof columns) => (columns[field] >= 0 ? (row.cells[columns[field]] ?? "").trim() : "");
  // Primavera writes a second header row of display names: text where dates belong.
  const dateFields = (["due", "completed"] as const).filter((field) => columns[field] >= 0);
  if (data[0] && dateFields.every((field) => cell(data[0]!, field) !== "" && !scheduleDate(cell(data[0]!, field)))) data.shift();

  const seen = new Set<string>();
  const milestones: ImportedMilestone[] = [];
  const skip = (row: Row, why: string) =>
    diagnostics.push(diagnostic(shown, { line: row.line, column: 1 }, "import-row", `row ${row.line} is left out: ${why}`));
  for (const row of data) {
    const id = cell(row, "id");
    if (!id) { skip(row, "it has no milestone id"); continue; }
    if (/^(y|yes|true|1)$/i.test(cell(row, "deleted"))) { skip(row, `${id} is marked deleted in the export`); continue; }
    if (!project.config.milestones.idPatterns.some((pattern) => pattern.test(id))) { skip(row, `\`${id}\` does not match milestones.idPattern`); continue; }
    if (seen.has(id)) { skip(row, `${id} appears earlier in the export`); continue; }
    const wbsText = cell(row, "wbs");
    const code = wbsText.startsWith(settings.wbsPrefix) ? wbsText.slice(settings.wbsPrefix.length) : wbsText;
    const element = project.wbs.find(code);
    if (!element) { skip(row, `WBS \`${wbsText}\` is not in wbs.yaml${settings.wbsPrefix ? ` (after removing \`${settings.wbsPrefix}\`)` : ""}`); continue; }
    const due = scheduleDate(cell(row, "due"));
    if (!due) { skip(row, `its baseline finish \`${cell(row, "due")}\` is not a date`); continue; }
    const title = cell(row, "title");
    if (!title) { skip(row, `${id} has no name`); continue; }
    seen.add(id);
    const dated = (field: "forecast" | "completed") => (columns[field] < 0 ? undefined : cell(row, field) ? scheduleDate(cell(row, field)) ?? null : null);
    const forecast = dated("forecast");
    const completed = dated("completed");
    for (const [field, value] of [["forecast", forecast], ["completed", completed]] as const)
      if (cell(row, field) && !value)
        diagnostics.push(diagnostic(shown, { line: row.line, column: 1 }, "import-row", `row ${row.line}: the ${field} date \`${cell(row, field)}\` is not a date and is left out`));
    const complete = settings.completedStatus.some((status) => status.toLowerCase() === cell(row, "status").toLowerCase());
    milestones.push({ id, title, wbs: element.code, due, forecast, completed: completed ?? (complete && forecast ? forecast : completed) });
  }
  return milestones;
}

/** Update the register document: schedule fields replaced, local fields (level, note) kept. */
function mergeIntoRegister(document: Document.Parsed, imported: ImportedMilestone[], result: ImportMilestonesResult): void {
  let list = document.get("milestones", true);
  if (!isSeq(list)) {
    document.set("milestones", document.createNode([]));
    list = document.get("milestones", true);
  }
  if (!isSeq(list)) return;
  const flow = list.items.length > 0 && isMap(list.items[0]) && (list.items[0] as YAMLMap).flow === true;
  for (const milestone of imported) {
    const existing = list.items.find((item) => isMap(item) && String(item.get("id")) === milestone.id) as YAMLMap | undefined;
    const fields: [keyof ImportedMilestone, string | null | undefined][] = [
      ["title", milestone.title],
      ["wbs", milestone.wbs],
      ["due", milestone.due],
      ["forecast", milestone.forecast],
      ["completed", milestone.completed],
    ];
    if (!existing) {
      const node = document.createNode(Object.fromEntries([["id", milestone.id], ...fields.filter(([, value]) => typeof value === "string")]), { flow });
      list.items.push(node);
      result.added.push(milestone.id);
      continue;
    }
    let changed = false;
    for (const [key, value] of fields) {
      const current = existing.get(key);
      if (value === undefined) continue; // the export has no such column: keep what the register says
      if (value === null) {
        // A schedule date the export no longer gives is removed; local fields are never touched.
        if (current !== undefined) {
          existing.delete(key);
          changed = true;
        }
      } else if (String(current) !== value) {
        existing.set(key, value);
        changed = true;
      }
    }
    (changed ? result.updated : result.unchanged).push(milestone.id);
  }
}
