/**
 * Read MS Project's XML (MSPDI) with a streaming parser (saxes): each Task becomes a row with
 * the column names of MS Project's own CSV export (`Unique ID`, `ID`, `Name`, `WBS`, `Outline
 * Number`, `Milestone`, `Finish`, `Baseline Finish`, `Actual Finish`, `% Complete`), one column
 * per custom field, named by its alias (`Milestone ID`, `Milestone Level`) and by its field name
 * (`Text1`), and each task's predecessor links as its row's predecessors. Summary tasks are left out.
 */
import { SaxesParser } from "saxes";
import { diagnostic, type Diagnostic } from "../core/diagnostics.js";
import type { ExportLimits, ExportRow } from "./export-rows.js";

/** A task's fields as the XML gives them, by element name. */
interface Task {
  line: number;
  fields: Map<string, string>;
  custom: Map<string, string>;
  baselineFinish?: string;
  predecessors: string[];
}

const COLUMNS: [string, string][] = [
  ["Unique ID", "UID"],
  ["ID", "ID"],
  ["Name", "Name"],
  ["WBS", "WBS"],
  ["Outline Number", "OutlineNumber"],
  ["Milestone", "Milestone"],
  ["Start", "Start"],
  ["Finish", "Finish"],
  ["Actual Finish", "ActualFinish"],
  ["% Complete", "PercentComplete"],
];

/** Stops the parse: the export has more tasks than dmreport reads. */
class TooMany extends Error {}

/** The rows of an MSPDI export, or undefined with a diagnostic when it is not one. */
export function readMspdi(text: string, shown: string, diagnostics: Diagnostic[], limits: ExportLimits): ExportRow[] | undefined {
  const parser = new SaxesParser({ position: true });
  const path: string[] = [];
  const tasks: Task[] = [];
  /** Custom fields: their FieldID, and their alias or name. */
  const fieldNames = new Map<string, string[]>();
  let task: Task | undefined;
  let definition: Map<string, string> | undefined;
  let custom: Map<string, string> | undefined;
  let baseline: Map<string, string> | undefined;
  let link: Map<string, string> | undefined;
  let textOf = "";
  let root: string | undefined;
  parser.on("opentag", (tag) => {
    const name = tag.name.slice(tag.name.indexOf(":") + 1);
    root ??= name;
    path.push(name);
    textOf = "";
    const parent = path[path.length - 2];
    if (name === "Task" && parent === "Tasks") task = { line: parser.line, fields: new Map(), custom: new Map(), predecessors: [] };
    else if (name === "ExtendedAttribute" && parent === "ExtendedAttributes") definition = new Map();
    else if (name === "ExtendedAttribute" && task) custom = new Map();
    else if (name === "Baseline" && task) baseline = new Map();
    else if (name === "PredecessorLink" && task) link = new Map();
  });
  parser.on("text", (text) => (textOf += text));
  parser.on("cdata", (text) => (textOf += text));
  parser.on("closetag", (tag) => {
    const name = tag.name.slice(tag.name.indexOf(":") + 1);
    path.pop();
    const value = textOf.trim();
    textOf = "";
    if (definition && name !== "ExtendedAttribute") definition.set(name, value);
    else if (definition) {
      const names = [definition.get("Alias"), definition.get("FieldName")].filter((text): text is string => Boolean(text));
      if (definition.get("FieldID")) fieldNames.set(definition.get("FieldID")!, names);
      definition = undefined;
    } else if (custom && name !== "ExtendedAttribute") custom.set(name, value);
    else if (custom && task) {
      const id = custom.get("FieldID");
      if (id) task.custom.set(id, custom.get("Value") ?? "");
      custom = undefined;
    } else if (baseline && name !== "Baseline") baseline.set(name, value);
    else if (baseline && task) {
      if ((baseline.get("Number") ?? "0") === "0" && baseline.get("Finish")) task.baselineFinish = baseline.get("Finish");
      baseline = undefined;
    } else if (link && name !== "PredecessorLink") link.set(name, value);
    else if (link && task) {
      const before = link.get("PredecessorUID");
      if (before) task.predecessors.push(before);
      link = undefined;
    } else if (task && name === "Task") {
      // Summary tasks (the project's own, UID 0, and each outline level's) roll up others: never a milestone.
      if (task.fields.get("Summary") !== "1") tasks.push(task);
      if (tasks.length > limits.rows)
        throw new TooMany(`the export has more than ${limits.rows} tasks, more than dmreport reads: export the milestones only`);
      task = undefined;
    } else if (task && path[path.length - 1] === "Task") task.fields.set(name, value);
  });
  try {
    parser.write(text).close();
  } catch (error) {
    if (error instanceof TooMany)
      diagnostics.push(diagnostic(shown, { line: parser.line || 1, column: 1 }, "import-limits", error.message));
    else
      diagnostics.push(
        diagnostic(
          shown,
          { line: parser.line || 1, column: 1 },
          "import-csv",
          `the export is not readable XML: ${(error as Error).message.split("\n")[0]}`,
        ),
      );
    return undefined;
  }
  if (root !== "Project") {
    diagnostics.push(
      diagnostic(
        shown,
        { line: 1, column: 1 },
        "import-csv",
        `the export is not MS Project XML (MSPDI): its root element is ${root ? `<${root}>` : "missing"}, not <Project>`,
      ),
    );
    return undefined;
  }
  // Columns for the custom fields some task has a value in.
  const used = new Set(tasks.flatMap((each) => [...each.custom.keys()]));
  const customIds = [...fieldNames.keys()].filter((id) => used.has(id));
  const width = COLUMNS.length + 1 + customIds.reduce((sum, id) => sum + fieldNames.get(id)!.length, 0);
  if (width > limits.columns || tasks.length * width > limits.cells) {
    diagnostics.push(
      diagnostic(
        shown,
        { line: 1, column: 1 },
        "import-limits",
        `the tasks carry ${customIds.length} custom fields, which for ${tasks.length} tasks is more than dmreport reads (${limits.cells} cells): export the milestones only, with the fields the report uses`,
      ),
    );
    return undefined;
  }
  const customColumns = customIds.flatMap((id) => fieldNames.get(id)!);
  const header = [...COLUMNS.map(([column]) => column), "Baseline Finish", ...customColumns];
  const rows: ExportRow[] = [{ line: 1, cells: header }];
  const byUid = new Map<string, ExportRow>();
  for (const each of tasks) {
    const row: ExportRow = {
      line: each.line,
      cells: [
        ...COLUMNS.map(([, element]) => each.fields.get(element) ?? ""),
        each.baselineFinish ?? each.fields.get("BaselineFinish") ?? "",
        // A custom field is its own column under each of its names.
        ...customIds.flatMap((id) => fieldNames.get(id)!.map(() => each.custom.get(id) ?? "")),
      ],
    };
    byUid.set(each.fields.get("UID") ?? "", row);
    rows.push(row);
  }
  tasks.forEach((each, index) => {
    const before = each.predecessors.map((uid) => byUid.get(uid)).filter((row): row is ExportRow => row !== undefined);
    if (before.length) rows[index + 1]!.predecessors = before;
  });
  return rows;
}
