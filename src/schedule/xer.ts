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
import { diagnostic, type Diagnostic } from "../diagnostics.js";
import type { ExportRow } from "./read-export.js";

interface Table {
  fields: string[];
  records: { line: number; values: string[] }[];
  line: number;
}

/** The rows of an XER export, or undefined with a diagnostic when it is not one. */
export function readXer(text: string, shown: string, diagnostics: Diagnostic[]): ExportRow[] | undefined {
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
    diagnostics.push(diagnostic(shown, { line: 1, column: 1 }, "import-csv", "the export is not a Primavera P6 XER file: it has no ERMHDR line or no TASK table"));
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
    nodes.set(value(wbsTable, record, "wbs_id"), { parent: value(wbsTable, record, "parent_wbs_id"), name: value(wbsTable, record, "wbs_short_name") });
  const codes = new Map<string, string>();
  const codeOf = (id: string): string => {
    const known = codes.get(id);
    if (known !== undefined) return known;
    const names: string[] = [];
    const seen = new Set<string>();
    for (let node = nodes.get(id), at = id; node && !seen.has(at); at = node.parent, node = nodes.get(node.parent)) {
      seen.add(at);
      names.unshift(node.name);
    }
    const code = names.join(".");
    codes.set(id, code);
    return code;
  };

  // Activity codes: type names as columns, each activity's code short name in them.
  const types = tables.get("ACTVTYPE");
  const typeNames = new Map((types?.records ?? []).map((record) => [value(types, record, "actv_code_type_id"), value(types, record, "actv_code_type")]));
  const codeTable = tables.get("ACTVCODE");
  const activityCodes = new Map((codeTable?.records ?? []).map((record) => [value(codeTable, record, "actv_code_id"), { type: value(codeTable, record, "actv_code_type_id"), name: value(codeTable, record, "short_name") }]));
  const assigned = tables.get("TASKACTV");
  const codesOfTask = new Map<string, Map<string, string>>();
  for (const record of assigned?.records ?? []) {
    const code = activityCodes.get(value(assigned, record, "actv_code_id"));
    const type = typeNames.get(code?.type ?? value(assigned, record, "actv_code_type_id"));
    if (!code || !type) continue;
    const task = value(assigned, record, "task_id");
    codesOfTask.set(task, (codesOfTask.get(task) ?? new Map()).set(type, code.name));
  }
  const typeColumns = [...new Set(typeNames.values())];

  const header = ["task_code", "task_name", "wbs_id", "status_code", "base_end_date", "end_date", "act_end_date", ...typeColumns];
  const rows: ExportRow[] = [{ line: tasks.line, cells: header }];
  const byTask = new Map<string, ExportRow>();
  for (const record of tasks.records) {
    const task = value(tasks, record, "task_id");
    const actual = value(tasks, record, "act_end_date");
    const finish = actual || value(tasks, record, "reend_date") || value(tasks, record, "early_end_date") || value(tasks, record, "target_end_date");
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
  const links = tables.get("TASKPRED");
  for (const record of links?.records ?? []) {
    const row = byTask.get(value(links, record, "task_id"));
    const before = byTask.get(value(links, record, "pred_task_id"));
    if (row && before) row.predecessors = [...(row.predecessors ?? []), before];
  }
  return rows;
}
