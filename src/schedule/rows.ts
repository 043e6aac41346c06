/** Turn a schedule export's rows into milestones of the report's tree, saying why each other row is left out. */
import { diagnostic, hasErrors, type Diagnostic } from "../diagnostics.js";
import type { Config, ScheduleField, WbsTree } from "../model.js";
import { mapScheduleCode } from "../wbs.js";
import type { ExportRow } from "./read-export.js";

/** One milestone as the export gives it. */
export interface ExportedMilestone {
  id: string;
  title: string;
  /** The printed code of the tree element it maps to. */
  wbs: string;
  /** The export's WBS id after the prefix is removed. */
  scheduleWbs: string;
  due: string;
  /** Null: the export has the column but no date (cleared); undefined: no such column (kept). */
  forecast?: string | null;
  completed?: string | null;
  predecessors?: string[];
  successors?: string[];
}

const MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

/**
 * A date as schedule exports write it, as YYYY-MM-DD: ISO (`2021-02-16`, with or without a
 * time), US (`2/16/2021 8:00:00 AM`) or `16-Feb-21`, with P6's `A` (actual) or `*` (constrained)
 * marks after it. Undefined when it is none of these or not a real date.
 */
export function scheduleDate(text: string): string | undefined {
  const value = text.trim().replace(/\s*[A*]$/, "");
  let year: number, month: number, day: number;
  let match: RegExpExecArray | null;
  if ((match = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ][\d:.]+Z?)?$/.exec(value))) [year, month, day] = [+match[1]!, +match[2]!, +match[3]!];
  else if ((match = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?:\s+\d{1,2}:\d{2}(?::\d{2})?\s*(?:[AP]M)?)?$/i.exec(value))) [month, day, year] = [+match[1]!, +match[2]!, +match[3]!];
  else if ((match = /^(\d{1,2})-([A-Za-z]{3})-(\d{2}|\d{4})(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?$/.exec(value))) {
    [day, month, year] = [+match[1]!, MONTHS.indexOf(match[2]!.toLowerCase()) + 1, +match[3]!];
    if (year < 100) year += 2000;
  } else return undefined;
  const date = new Date(Date.UTC(year, month - 1, day));
  if (month < 1 || date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return undefined;
  return `${year}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}

/** The ids of a predecessor or successor list: `A1000, A1010: FS` or `A1000;A1010`, relationship types dropped. */
function idList(text: string): string[] {
  return text
    .split(/[,;\n]+/)
    .map((item) => item.trim().split(/[:\s]/)[0]!)
    .filter(Boolean);
}

/** The milestones the export's rows give; each row left out is a warning with its line and reason. */
export function exportedMilestones(rows: ExportRow[], config: Config, wbs: WbsTree, shown: string, diagnostics: Diagnostic[]): ExportedMilestone[] {
  const settings = config.milestones.import;
  const [header, second, ...rest] = rows;
  if (!header) {
    diagnostics.push(diagnostic(shown, { line: 1, column: 1 }, "import-csv", "the export is empty"));
    return [];
  }
  // Primavera writes field names, then a row of display names; other exports only display names.
  const find = (row: ExportRow | undefined, names: string[]) => {
    for (const name of names) {
      const index = row ? row.cells.findIndex((cell) => cell.trim().toLowerCase() === name.toLowerCase()) : -1;
      if (index >= 0) return index;
    }
    return -1;
  };
  const fields = Object.keys(settings.columns) as ScheduleField[];
  const columns = Object.fromEntries(
    fields.map((field) => {
      const first = find(header, settings.columns[field]);
      return [field, first >= 0 ? first : find(second, settings.columns[field])];
    }),
  ) as Record<ScheduleField, number>;
  for (const field of ["id", "title", "wbs", "due"] as const) {
    if (columns[field] < 0)
      diagnostics.push(diagnostic(shown, { line: header.line, column: 1 }, "import-csv",
        `the export has no column ${settings.columns[field].map((name) => `\`${name}\``).join(" or ")} for the milestone ${field} (milestones.import.columns.${field} in dmreport.yaml); its columns are: ${header.cells.join(", ")}`));
  }
  if (hasErrors(diagnostics)) return [];

  const cell = (row: ExportRow, field: ScheduleField) => (columns[field] >= 0 ? (row.cells[columns[field]] ?? "").trim() : "");
  const data = second ? [second, ...rest] : [];
  // A second header row has the text of a header where the due date belongs.
  if (second && cell(second, "due") !== "" && !scheduleDate(cell(second, "due"))) data.shift();

  const seen = new Set<string>();
  const milestones: ExportedMilestone[] = [];
  const skip = (row: ExportRow, why: string) =>
    diagnostics.push(diagnostic(shown, { line: row.line, column: 1 }, "import-row", `row ${row.line} is left out: ${why}`));
  for (const row of data) {
    const id = cell(row, "id");
    if (!id) { skip(row, "it has no milestone id"); continue; }
    if (/^(y|yes|true|1)$/i.test(cell(row, "deleted"))) { skip(row, `${id} is marked deleted in the export`); continue; }
    if (!config.milestones.idPatterns.some((pattern) => pattern.test(id))) { skip(row, `\`${id}\` does not match milestones.idPattern`); continue; }
    if (seen.has(id)) { skip(row, `${id} appears earlier in the export`); continue; }
    const wbsText = cell(row, "wbs");
    const prefix = settings.wbsPrefix?.exec(wbsText)?.[0] ?? "";
    const code = wbsText.slice(prefix.length);
    const element = code ? mapScheduleCode(wbs, code, settings.wbsLeading) : undefined;
    if (!element) {
      const hint = settings.wbsPrefix && !prefix ? ` (it does not start with the prefix /${settings.wbsPrefix.source.slice(4, -1)}/)` : prefix ? ` (after removing \`${prefix}\`)` : "";
      skip(row, wbsText ? `WBS \`${wbsText}\` is not under any element of wbs.yaml${hint}` : `${id} has no WBS id`);
      continue;
    }
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
    const links = (field: "predecessors" | "successors") => (columns[field] < 0 ? undefined : idList(cell(row, field)));
    milestones.push({
      id,
      title,
      wbs: element.code,
      scheduleWbs: code,
      due,
      forecast,
      completed: completed ?? (complete && forecast ? forecast : completed),
      predecessors: links("predecessors"),
      successors: links("successors"),
    });
  }
  return milestones;
}
