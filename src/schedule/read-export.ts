/** Read a schedule export (CSV, or an Excel workbook's first sheet) into rows of text cells with their line numbers. */
import { readFileSync } from "node:fs";
import { parse } from "csv-parse/sync";
import { diagnostic, type Diagnostic } from "../diagnostics.js";

export interface ExportRow {
  /** The row's line in the CSV file, or its row number in the sheet. */
  line: number;
  /** Each cell as text; dates of a workbook are written YYYY-MM-DD. */
  cells: string[];
}

const WORKBOOK = /\.(xlsx|xlsm|xls)$/i;

/** The rows of the export at `path` (shown as `shown`), or undefined with a diagnostic when it cannot be read. */
export async function readExport(path: string, shown: string, diagnostics: Diagnostic[]): Promise<ExportRow[] | undefined> {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    diagnostics.push(diagnostic(shown, { line: 1, column: 1 }, "import-csv", `the export cannot be read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`));
    return undefined;
  }
  return WORKBOOK.test(path) ? readWorkbook(bytes, shown, diagnostics) : readCsv(bytes, shown, diagnostics);
}

function readCsv(bytes: Buffer, shown: string, diagnostics: Diagnostic[]): ExportRow[] | undefined {
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(bytes, { bom: true, relax_column_count: true, skip_empty_lines: true, info: true, trim: true }) as unknown as typeof records;
  } catch (error) {
    const line = (error as { lines?: number }).lines ?? 1;
    diagnostics.push(diagnostic(shown, { line, column: 1 }, "import-csv", `the export is not readable CSV: ${(error as Error).message}`));
    return undefined;
  }
  return records.map(({ record, info }) => ({ line: info.lines, cells: record }));
}

/**
 * The first sheet of a workbook (.xlsx as P6 writes it, or an older .xls), read with SheetJS.
 * Date cells are serial numbers in a date format: they are written YYYY-MM-DD from the serial
 * itself, so that no time zone moves a date.
 */
async function readWorkbook(bytes: Buffer, shown: string, diagnostics: Diagnostic[]): Promise<ExportRow[] | undefined> {
  // Loaded only for workbooks: it is large, and most exports are CSV.
  const XLSX = await import("@e965/xlsx");
  let sheet;
  try {
    const book = XLSX.read(bytes, { type: "buffer", cellDates: false, cellNF: true, cellFormula: false, cellHTML: false });
    const name = book.SheetNames[0];
    sheet = name === undefined ? undefined : book.Sheets[name];
  } catch (error) {
    diagnostics.push(diagnostic(shown, { line: 1, column: 1 }, "import-csv", `the export is not a readable workbook: ${(error as Error).message}`));
    return undefined;
  }
  if (!sheet || !sheet["!ref"]) return [];
  const range = XLSX.utils.decode_range(sheet["!ref"]);
  const rows: ExportRow[] = [];
  for (let row = range.s.r; row <= range.e.r; row++) {
    const cells: string[] = [];
    for (let column = range.s.c; column <= range.e.c; column++) {
      const cell = sheet[XLSX.utils.encode_cell({ r: row, c: column })];
      cells.push(cell ? cellText(cell, XLSX.SSF) : "");
    }
    if (cells.some((text) => text !== "")) rows.push({ line: row + 1, cells });
  }
  return rows;
}

function cellText(cell: { t: string; v?: unknown; w?: string; z?: unknown }, SSF: { is_date(format: string | number): boolean; parse_date_code(value: number): { y: number; m: number; d: number } }): string {
  if (cell.t === "n" && typeof cell.v === "number" && cell.z !== undefined && SSF.is_date(cell.z as string)) {
    const { y, m, d } = SSF.parse_date_code(cell.v);
    return `${y}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
  }
  if (cell.t === "d" && cell.v instanceof Date) return cell.v.toISOString().slice(0, 10);
  return String(cell.v ?? cell.w ?? "").trim();
}
