/**
 * Read Primavera P6's native export (XER): tab-separated tables, each opened by `%T NAME`, its
 * fields named by `%F` and its records given by `%R`. The activities (TASK) become rows with the
 * field names of P6's CSV export, so that one column mapping reads both:
 *
 * - `wbs_id`: the WBS code, the short names of PROJWBS from the project node down (`LSST ME
 *   18-04.02C.03.01`), where the table itself has only a number;
 * - `base_end_date`: the planned finish (`target_end_date`), the plan the export carries;
 * - `end_date`: the finish, as P6 shows it: the actual finish once there is one, else the
 *   remaining or early finish;
 * - `act_end_date`, `status_code`, `task_code`, `task_name` as they are;
 * - one column per activity code type (ACTVTYPE, ACTVCODE, TASKACTV), named by the type and
 *   holding the code's short name (a milestone level);
 * - the links of TASKPRED, as each row's predecessors.
 */
import { diagnostic, type Diagnostic } from "../core/diagnostics.js";
import type { ExportLimits, ExportRow } from "./export-rows.js";

/** More levels than any work breakdown has: a deeper PROJWBS chain is not one. */
const DEEPEST_WBS = 64;

interface Table {
  fields: string[];
  records: { line: number; values: string[] }[];
  line: number;
}

/** The rows of an XER export, or undefined with a diagnostic when it is not one. */
export function readXer(text: string, shown: string, diagnostics: Diagnostic[], limits: ExportLimits): ExportRow[] | undefined {
  const tables = new Map<string, Table>();
  let current: Table | undefined;
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, index) => {
    const cells = raw.split("\t");
    const mark = cells[0];
    if (mark === "%T") {
      current = { fields: [], records: [], line: index + 1 };
      tables.set(cells[1]?.trim() ?? "", current);
    } else if (mark === "%F" && current) current.fields = cells.slice(1).map((field) => field.trim());
    else if (mark === "%R" && current) current.records.push({ line: index + 1, values: cells.slice(1) });
  });
  const tasks = tables.get("TASK");
  if (!lines[0]?.startsWith("ERMHDR") || !tasks) {
    diagnostics.push(
      diagnostic(
        shown,
        { line: 1, column: 1 },
        "import-csv",
        "the export is not a Primavera P6 XER file: it has no ERMHDR line or no TASK table",
      ),
    );
    return undefined;
  }
  const field = (table: Table | undefined, name: string) => table?.fields.indexOf(name) ?? -1;
  const value = (table: Table | undefined, record: { values: string[] }, name: string) => {
    const at = field(table, name);
    return at >= 0 ? (record.values[at] ?? "").trim() : "";
  };

  // WBS codes: each node's short name after its parent's, from the project node down.
  const wbsTable = tables.get("PROJWBS");
  const nodes = new Map<string, { parent: string; name: string }>();
  for (const record of wbsTable?.records ?? [])
    nodes.set(value(wbsTable, record, "wbs_id"), {
      parent: value(wbsTable, record, "parent_wbs_id"),
      name: value(wbsTable, record, "wbs_short_name"),
    });
  // Each node's code once, from the nearest node above it whose code is known: linear in the tree.
  // A chain deeper than any work breakdown is never built: its codes would grow with its depth squared.
  const codes = new Map<string, { code: string; depth: number }>();
  let tooDeep: string | undefined;
  const codeOf = (id: string): string => {
    const path: string[] = [];
    const seen = new Set<string>();
    let at = id;
    while (!codes.has(at) && nodes.has(at) && !seen.has(at) && path.length <= DEEPEST_WBS) {
      seen.add(at);
      path.push(at);
      at = nodes.get(at)!.parent;
    }
    const above = codes.get(at) ?? { code: "", depth: 0 };
    if (path.length > DEEPEST_WBS || above.depth + path.length > DEEPEST_WBS) {
      tooDeep ??= id;
      return "";
    }
    let { code, depth } = above;
    for (let index = path.length - 1; index >= 0; index--) {
      const name = nodes.get(path[index]!)!.name;
      code = code ? `${code}.${name}` : name;
      depth++;
      codes.set(path[index]!, { code, depth });
    }
    return codes.get(id)?.code ?? "";
  };

  // Activity codes: type names as columns, each activity's code short name in them.
  const types = tables.get("ACTVTYPE");
  const typeNames = new Map(
    (types?.records ?? []).map((record) => [value(types, record, "actv_code_type_id"), value(types, record, "actv_code_type")]),
  );
  const codeTable = tables.get("ACTVCODE");
  const activityCodes = new Map(
    (codeTable?.records ?? []).map((record) => [
      value(codeTable, record, "actv_code_id"),
      { type: value(codeTable, record, "actv_code_type_id"), name: value(codeTable, record, "short_name") },
    ]),
  );
  const assigned = tables.get("TASKACTV");
  const codesOfTask = new Map<string, Map<string, string>>();
  for (const record of assigned?.records ?? []) {
    const code = activityCodes.get(value(assigned, record, "actv_code_id"));
    const type = typeNames.get(code?.type ?? value(assigned, record, "actv_code_type_id"));
    if (!code || !type) continue;
    const task = value(assigned, record, "task_id");
    codesOfTask.set(task, (codesOfTask.get(task) ?? new Map()).set(type, code.name));
  }
  // Columns for the code types some activity has: a type no activity uses says nothing.
  const used = new Set([...codesOfTask.values()].flatMap((assignedTypes) => [...assignedTypes.keys()]));
  const typeColumns = [...new Set(typeNames.values())].filter((type) => used.has(type));
  const width = 7 + typeColumns.length;
  const refuse = (message: string) => {
    diagnostics.push(diagnostic(shown, { line: tasks.line, column: 1 }, "import-limits", message));
    return undefined;
  };
  if (tasks.records.length > limits.rows)
    return refuse(
      `the TASK table has ${tasks.records.length} activities, more than the ${limits.rows} dmreport reads: export the milestones only`,
    );
  if (width > limits.columns || tasks.records.length * width > limits.cells)
    return refuse(
      `the activities carry ${typeColumns.length} activity code types, which for ${tasks.records.length} activities is more than dmreport reads (${limits.cells} cells): export the milestones only, with the code types the report uses`,
    );

  const header = ["task_code", "task_name", "wbs_id", "status_code", "base_end_date", "end_date", "act_end_date", ...typeColumns];
  const rows: ExportRow[] = [{ line: tasks.line, cells: header }];
  const byTask = new Map<string, ExportRow>();
  for (const record of tasks.records) {
    const task = value(tasks, record, "task_id");
    const actual = value(tasks, record, "act_end_date");
    const finish =
      actual || value(tasks, record, "reend_date") || value(tasks, record, "early_end_date") || value(tasks, record, "target_end_date");
    const activity = codesOfTask.get(task);
    const row: ExportRow = {
      line: record.line,
      cells: [
        value(tasks, record, "task_code"),
        value(tasks, record, "task_name"),
        codeOf(value(tasks, record, "wbs_id")),
        value(tasks, record, "status_code"),
        value(tasks, record, "target_end_date"),
        finish,
        actual,
        ...typeColumns.map((type) => activity?.get(type) ?? ""),
      ],
    };
    byTask.set(task, row);
    rows.push(row);
  }
  if (tooDeep !== undefined)
    return refuse(
      `the PROJWBS node ${tooDeep} is more than ${DEEPEST_WBS} levels deep, deeper than any work breakdown: the export's parent_wbs_id links are not a tree`,
    );
  const links = tables.get("TASKPRED");
  for (const record of links?.records ?? []) {
    const row = byTask.get(value(links, record, "task_id"));
    const before = byTask.get(value(links, record, "pred_task_id"));
    if (row && before) row.predecessors = [...(row.predecessors ?? []), before];
  }
  return rows;
}
