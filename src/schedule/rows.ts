/** Turn a schedule export's rows into milestones of the report's tree, saying why each other row is left out. */
import { diagnostic, hasErrors, type Diagnostic } from "../core/diagnostics.js";
import type { Config, ScheduleField, ScheduleImport, WbsElement, WbsTree } from "../core/model.js";
import { mapScheduleCode } from "../core/wbs.js";
import type { ExportRow } from "./export-rows.js";

/** One milestone as the export gives it. */
export interface ExportedMilestone {
  id: string;
  title: string;
  /** The printed code of the tree element it maps to. */
  wbs: string;
  /** The export's WBS id after the prefix is removed. */
  scheduleWbs: string;
  /** Whether that id is the element's own code (or differs from it only by `wbsLeading`), not a deeper or mapped one. */
  sameElement?: boolean;
  /** The baseline due date; undefined when the export gives none (a forecast export). */
  due?: string;
  /** Null: the export has the column but no date (cleared); undefined: no such column (kept). */
  forecast?: string | null;
  completed?: string | null;
  predecessors?: string[];
  successors?: string[];
  /** From the level column (or activity code), when the export has one and the row a number in it. */
  level?: number;
}

/** What an export gives: its milestones, and the ids of rows it marks deleted. */
export interface ExportedSchedule {
  milestones: ExportedMilestone[];
  /** Ids of rows marked deleted (`delete_record_flag`): the schedule removed them. */
  deleted: string[];
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
  else if ((match = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?:\s+\d{1,2}:\d{2}(?::\d{2})?\s*(?:[AP]M)?)?$/i.exec(value)))
    [month, day, year] = [+match[1]!, +match[2]!, +match[3]!];
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

/** More than this share of the rows with an id falling outside the tree stops the import: the settings are wrong, not the rows. */
const MOST_OUTSIDE = 0.5;

/** The element of the tree a schedule code (after the prefix) belongs to: the tree's own, else the configured map's. */
export function scheduleElement(
  wbs: WbsTree,
  code: string,
  settings: Pick<ScheduleImport, "wbsLeading" | "wbsMap">,
): WbsElement | undefined {
  const inTree = mapScheduleCode(wbs, code, settings.wbsLeading);
  // The map is asked first for codes it names, so that `02C.00` goes where it says, not to an element `02C` might be.
  const mapped = settings.wbsMap
    .filter((entry) => code === entry.code || code.startsWith(`${entry.code}.`))
    .sort((a, b) => b.code.length - a.code.length)[0];
  if (mapped && (!inTree || mapped.code.length >= inTree.code.length)) return wbs.find(mapped.element) ?? inTree;
  return inTree;
}

/** Whether the schedule's `code` names `element` itself, in either form `leading` allows. */
function sameElement(wbs: WbsTree, code: string, element: WbsElement, leading: string): boolean {
  const forms = [code];
  if (leading) forms.push(code.startsWith(leading) ? code.slice(leading.length) : leading + code);
  return forms.some((form) => wbs.find(form) === element);
}

/**
 * The milestones the export's rows give; each row left out is a warning with its line and reason.
 * Without a due-date column the export is a forecast: it updates the milestones `known` (the
 * register's ids) and adds none, unless `settings.baseline` makes its finish the due date.
 */
export function exportedMilestones(
  rows: ExportRow[],
  config: Config,
  settings: ScheduleImport,
  wbs: WbsTree,
  known: ReadonlySet<string>,
  shown: string,
  diagnostics: Diagnostic[],
): ExportedSchedule {
  const empty: ExportedSchedule = { milestones: [], deleted: [] };
  const [header, second, ...rest] = rows;
  if (!header) {
    diagnostics.push(diagnostic(shown, { line: 1, column: 1 }, "import-csv", "the export is empty: it has no header row"));
    return empty;
  }
  // Primavera writes field names, then a row of display names; other exports only display names.
  const lowered = (row: ExportRow | undefined) =>
    new Map(row ? row.cells.map((cell, index) => [cell.trim().toLowerCase(), index] as const).reverse() : []);
  const [first, display] = [lowered(header), lowered(second)];
  const find = (names: string[]) => {
    for (const headerRow of [first, display])
      for (const name of names) {
        const index = headerRow.get(name.toLowerCase());
        if (index !== undefined) return index;
      }
    return -1;
  };
  const fields = Object.keys(settings.columns) as ScheduleField[];
  const columns = Object.fromEntries(fields.map((field) => [field, find(settings.columns[field])])) as Record<ScheduleField, number>;
  // A baseline export's finish is its due date; one with neither column has no date at all.
  const dueColumn = settings.baseline ? (columns.due >= 0 ? columns.due : columns.forecast) : columns.due;
  const required: ScheduleField[] = settings.baseline && dueColumn < 0 ? ["id", "title", "wbs", "due"] : ["id", "title", "wbs"];
  for (const field of required) {
    if (columns[field] < 0) {
      const names = (field === "due" ? [...settings.columns.due, ...settings.columns.forecast] : settings.columns[field])
        .map((name) => `\`${name}\``)
        .join(" or ");
      diagnostics.push(
        diagnostic(
          shown,
          { line: header.line, column: 1 },
          "import-csv",
          `the export has no column ${names} for the milestone ${field} (milestones.import.columns.${field} in dmreport.yaml); its columns are: ${header.cells.join(", ")}`,
        ),
      );
    }
  }
  if (hasErrors(diagnostics)) return empty;
  const forecastOnly = dueColumn < 0;

  const cell = (row: ExportRow, index: number) => (index >= 0 ? (row.cells[index] ?? "").trim() : "");
  const data = second ? [second, ...rest] : [];
  // A second header row has a name of the id column where the id is (P6's display names).
  if (second && settings.columns.id.some((name) => name.toLowerCase() === cell(second, columns.id).toLowerCase())) data.shift();

  // XER and MSPDI link rows to rows: each link is the other row's id, and successors are the links read backwards.
  const linked = data.some((row) => row.predecessors);
  const successorsOf = new Map<ExportRow, ExportRow[]>();
  if (linked)
    for (const row of data)
      for (const before of row.predecessors ?? []) successorsOf.set(before, [...(successorsOf.get(before) ?? []), row]);
  const linkIds = (rowsLinked: ExportRow[] | undefined) => (rowsLinked ?? []).map((other) => cell(other, columns.id)).filter(Boolean);

  const seen = new Set<string>();
  const result: ExportedSchedule = { milestones: [], deleted: [] };
  const outside: { row: ExportRow; wbs: string; code: string; prefix: string; diagnostic: number }[] = [];
  let withId = 0;
  const skip = (row: ExportRow, why: string) =>
    diagnostics.push(diagnostic(shown, { line: row.line, column: 1 }, "import-row", `row ${row.line} is left out: ${why}`));
  const elementOf = new Map<string, WbsElement | undefined>();
  for (const row of data) {
    const id = cell(row, columns.id);
    if (!id) {
      skip(row, "it has no milestone id");
      continue;
    }
    withId++;
    if (/^(y|yes|true|1)$/i.test(cell(row, columns.deleted))) {
      result.deleted.push(id);
      skip(row, `${id} is marked deleted in the export`);
      continue;
    }
    if (!config.milestones.idPatterns.some((pattern) => pattern.test(id))) {
      skip(row, `\`${id}\` does not match milestones.idPattern`);
      continue;
    }
    if (seen.has(id)) {
      skip(row, `${id} appears earlier in the export`);
      continue;
    }
    const wbsText = cell(row, columns.wbs);
    const prefix = settings.wbsPrefix?.exec(wbsText)?.[0] ?? "";
    const code = wbsText.slice(prefix.length);
    if (code && !elementOf.has(code)) elementOf.set(code, scheduleElement(wbs, code, settings));
    const element = code ? elementOf.get(code) : undefined;
    if (!element) {
      if (wbsText) outside.push({ row, wbs: wbsText, code, prefix, diagnostic: diagnostics.length });
      const hint =
        settings.wbsPrefix && !prefix
          ? ` (it does not start with the prefix /${settings.wbsPrefixText ?? settings.wbsPrefix.source}/)`
          : prefix
            ? ` (after removing \`${prefix}\`)`
            : "";
      skip(row, wbsText ? `WBS \`${wbsText}\` is not under any element of wbs.yaml${hint}` : `${id} has no WBS id`);
      continue;
    }
    const title = cell(row, columns.title);
    if (!title) {
      skip(row, `${id} has no name`);
      continue;
    }
    let due: string | undefined;
    if (!forecastOnly) {
      due = scheduleDate(cell(row, dueColumn));
      if (!due) {
        skip(row, `its ${settings.baseline ? "finish" : "baseline finish"} \`${cell(row, dueColumn)}\` is not a date`);
        continue;
      }
    } else if (!known.has(id)) {
      skip(
        row,
        `${id} is not in the register, and this export has no baseline finish to give it a due date: import a baseline export, or this one with --baseline to take its finish as the due date`,
      );
      continue;
    }
    seen.add(id);
    const dated = (field: "forecast" | "completed") =>
      columns[field] < 0 ? undefined : cell(row, columns[field]) ? (scheduleDate(cell(row, columns[field])) ?? null) : null;
    // A baseline export's finish is the plan, not a forecast.
    const forecast = settings.baseline && dueColumn === columns.forecast ? undefined : dated("forecast");
    const completed = dated("completed");
    for (const [field, value] of [
      ["forecast", forecast],
      ["completed", completed],
    ] as const)
      if (cell(row, columns[field]) && !value && !(field === "forecast" && forecast === undefined))
        diagnostics.push(
          diagnostic(
            shown,
            { line: row.line, column: 1 },
            "import-row",
            `row ${row.line}: the ${field} date \`${cell(row, columns[field])}\` is not a date and is left out`,
          ),
        );
    const complete = settings.completedStatus.some((status) => status.toLowerCase() === cell(row, columns.status).toLowerCase());
    const links = (field: "predecessors" | "successors") =>
      linked
        ? linkIds(field === "predecessors" ? row.predecessors : successorsOf.get(row))
        : columns[field] < 0
          ? undefined
          : idList(cell(row, columns[field]));
    const levelText = cell(row, columns.level);
    const level = /^\d$/.test(levelText) ? Number(levelText) : /^(?:level|l)\s*(\d)$/i.exec(levelText)?.[1];
    if (levelText && level === undefined)
      diagnostics.push(
        diagnostic(
          shown,
          { line: row.line, column: 1 },
          "import-row",
          `row ${row.line}: the level \`${levelText}\` is not a number from 0 to 9 and is left out`,
        ),
      );
    result.milestones.push({
      id,
      title,
      wbs: element.code,
      scheduleWbs: code,
      sameElement: sameElement(wbs, code, element, settings.wbsLeading),
      ...(due !== undefined && { due }),
      forecast,
      completed: completed ?? (complete && forecast ? forecast : completed),
      predecessors: links("predecessors"),
      successors: links("successors"),
      ...(level !== undefined && { level: Number(level) }),
    });
  }
  if (withId && outside.length > withId * MOST_OUTSIDE) {
    // One finding says it for all of them: the rows' own warnings would bury it.
    const said = new Set(outside.map((row) => row.diagnostic));
    const kept = diagnostics.filter((_, index) => !said.has(index));
    diagnostics.length = 0;
    diagnostics.push(...kept);
    diagnostics.push(
      diagnostic(
        shown,
        { line: header.line, column: 1 },
        "import-unmapped",
        `${outside.length} of the ${withId} rows have a WBS id under no element of wbs.yaml, so the export's WBS ids are not the tree's as dmreport.yaml reads them, and nothing is imported: ${suggestMapping(outside, wbs, settings)}`,
      ),
    );
    return empty;
  }
  return result;
}

/** How many rows outside the tree a suggestion is made from, and the longest WBS id it looks into. */
const SAMPLE_ROWS = 2000;
const LONGEST_WBS = 200;

/**
 * What to write in dmreport.yaml so that rows outside the tree map to it: the prefix whose
 * removal maps most of them, and the codes left above the tree's elements, found from the rows.
 */
function suggestMapping(outside: { wbs: string }[], wbs: WbsTree, settings: ScheduleImport): string {
  // For each row, the shortest front part whose removal leaves a code of the tree.
  const prefixes = new Map<string, number>();
  const unmapped = new Map<string, number>();
  // A sample says it: the first rows, and no WBS id longer than any real one (each suffix is looked up).
  for (const { wbs: text } of outside.slice(0, SAMPLE_ROWS)) {
    if (text.length > LONGEST_WBS) continue;
    let found: string | undefined;
    for (let at = 0; at < text.length && found === undefined; at++) {
      if (at > 0 && !/[.\s\-_/]/.test(text[at - 1]!)) continue;
      if (mapScheduleCode(wbs, text.slice(at), settings.wbsLeading)) found = text.slice(0, at);
    }
    if (found !== undefined) prefixes.set(found, (prefixes.get(found) ?? 0) + 1);
    else unmapped.set(text, (unmapped.get(text) ?? 0) + 1);
  }
  const [prefix, count] = [...prefixes].sort((a, b) => b[1] - a[1])[0] ?? [];
  const advice: string[] = [];
  if (prefix !== undefined && count) {
    // The prefix as a regular expression: its digits may change from export to export.
    const pattern = prefix.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(/\d+/g, (digits) => `\\d{${digits.length}}`);
    // A prefix already set maps the earlier exports: the suggestion keeps it, so that they still import.
    const current = settings.wbsPrefixText ?? settings.wbsPrefix?.source;
    const both = current && current !== pattern ? `(?:${current}|${pattern})` : pattern;
    advice.push(
      `\`milestones.import.wbsPrefix: '${both}'\` would map ${count} of them (it removes \`${prefix}\`${both !== pattern ? ", and still what the prefix set now removes" : ""})`,
    );
  }
  // Codes no prefix maps: above the tree's chapters (the subsystem's own level), most rows first.
  const codes = [...unmapped].sort((a, b) => b[1] - a[1]).slice(0, 3);
  if (codes.length)
    advice.push(
      `\`milestones.import.wbsMap\` places codes the tree has no element for, such as ${codes.map(([code, rows]) => `\`${code}\` (${rows} row${rows === 1 ? "" : "s"})`).join(", ")}, under an element of wbs.yaml`,
    );
  return advice.length ? `${advice.join("; ")}` : "check milestones.import.wbsPrefix and wbsLeading against the export's WBS column";
}
