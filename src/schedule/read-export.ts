/**
 * Read a schedule export into rows of text cells with their line numbers: CSV, an Excel
 * workbook's first sheet (.xlsx, .xls), Primavera P6's XER, or MS Project's XML (MSPDI). Each is
 * read within limits (file size, inflated size, rows, columns) and in its own encoding, named when
 * it is not UTF-8; what cannot be read is a diagnostic with a position, never a hang.
 */
import { readFileSync, statSync } from "node:fs";
import { parse } from "csv-parse/sync";
import { unzipSync, zipSync } from "fflate";
import iconv from "iconv-lite";
import { diagnostic, type Diagnostic } from "../core/diagnostics.js";
import { megabytes } from "../load/source-files.js";
import { readMspdi } from "./mspdi.js";
import { readXer } from "./xer.js";
import { EXPORT_LIMITS, type ExportRow } from "./export-rows.js";

const WORKBOOK = /\.(xlsx|xlsm)$/i;
const OLD_WORKBOOK = /\.xls$/i;

export interface ReadOptions {
  /** The export's text encoding when it is not UTF-8 (`--encoding`, `milestones.import.encoding`). */
  encoding?: string;
}

/** The rows of the export at `path` (shown as `shown`), or undefined with a diagnostic when it cannot be read. */
export async function readExport(
  path: string,
  shown: string,
  diagnostics: Diagnostic[],
  options: ReadOptions = {},
): Promise<ExportRow[] | undefined> {
  const refuse = (message: string, line = 1) => {
    diagnostics.push(diagnostic(shown, { line, column: 1 }, "import-csv", message));
    return undefined;
  };
  let bytes: Buffer;
  try {
    const size = statSync(path).size;
    if (size > EXPORT_LIMITS.fileBytes)
      return refuse(
        `the export is ${megabytes(size)}, more than the ${megabytes(EXPORT_LIMITS.fileBytes)} dmreport reads: export the milestones only`,
      );
    bytes = readFileSync(path);
  } catch (error) {
    return refuse(`the export cannot be read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  let rows: ExportRow[] | undefined;
  if (WORKBOOK.test(path)) rows = await readWorkbook(firstSheetOnly(bytes, refuse), shown, diagnostics);
  else if (OLD_WORKBOOK.test(path)) rows = await readWorkbook(bytes, shown, diagnostics);
  else {
    const text = decodeExport(bytes, options.encoding, refuse);
    if (text === undefined) return undefined;
    rows = /\.xer$/i.test(path)
      ? readXer(text, shown, diagnostics, EXPORT_LIMITS)
      : /\.xml$/i.test(path)
        ? readMspdi(text, shown, diagnostics, EXPORT_LIMITS)
        : readCsv(text, shown, diagnostics);
  }
  if (!rows) return undefined;
  if (rows.length > EXPORT_LIMITS.rows)
    return refuse(`the export has ${rows.length} rows, more than the ${EXPORT_LIMITS.rows} dmreport reads: export the milestones only`);
  const wide = rows.find((row) => row.cells.length > EXPORT_LIMITS.columns);
  if (wide)
    return refuse(`row ${wide.line} has ${wide.cells.length} columns, more than the ${EXPORT_LIMITS.columns} dmreport reads`, wide.line);
  return rows;
}

/**
 * The export's bytes as text: UTF-8 (a byte order mark dropped), UTF-16 with its mark, or the
 * encoding given. Bytes that are not UTF-8 and no encoding given: refused, with the encoding they
 * look like and the line of the first such byte, rather than read with U+FFFD in place of letters.
 */
export function decodeExport(
  bytes: Uint8Array,
  encoding: string | undefined,
  refuse: (message: string, line?: number) => undefined,
): string | undefined {
  if (encoding) {
    // iconv-lite rather than TextDecoder: Node's decodes windows-1252 as Latin-1, making the
    // dashes and quotes of Windows exports (0x80 to 0x9F) invisible control characters.
    if (!iconv.encodingExists(encoding)) return refuse(`the export cannot be read as ${encoding}: dmreport does not know that encoding`);
    return iconv.decode(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), encoding);
  }
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder("utf-16le").decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder("utf-16be").decode(bytes.subarray(2));
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes).replace(/^\uFEFF/, "");
  } catch {
    // Where the first byte that is not UTF-8 stands, and what it would be in the usual Windows encoding.
    let at = 0;
    for (let index = 0; index < bytes.length; ) {
      const width = utf8Width(bytes, index);
      if (!width) {
        at = index;
        break;
      }
      index += width;
    }
    const line = bytes.subarray(0, at).filter((byte) => byte === 0x0a).length + 1;
    // The field (between separators) the byte is in, at most 40 bytes each side of it.
    const separator = (index: number) => /[,;\t\r\n"]/.test(String.fromCharCode(bytes[index]!));
    let start = at;
    while (start > 0 && start > at - 40 && !separator(start - 1)) start--;
    let end = at + 1;
    while (end < bytes.length && end < at + 40 && !separator(end)) end++;
    const lineText = iconv.decode(Buffer.from(bytes.subarray(start, end)), "windows-1252");
    return refuse(
      `the export is not UTF-8 text: line ${line} has the byte 0x${bytes[at]!.toString(16).padStart(2, "0")}, which in Windows-1252 (the usual encoding of exports made on Windows) reads "${lineText}"; give its encoding (--encoding windows-1252, or milestones.import.encoding in dmreport.yaml), or save it as UTF-8`,
      line,
    );
  }
}

/** The length of the UTF-8 sequence at `index`, or 0 when it is not one. */
function utf8Width(bytes: Uint8Array, index: number): number {
  const first = bytes[index]!;
  const width =
    first < 0x80 ? 1 : first >= 0xc2 && first < 0xe0 ? 2 : first >= 0xe0 && first < 0xf0 ? 3 : first >= 0xf0 && first < 0xf5 ? 4 : 0;
  for (let next = 1; next < width; next++) if (((bytes[index + next] ?? 0) & 0xc0) !== 0x80) return 0;
  return width;
}

function readCsv(text: string, shown: string, diagnostics: Diagnostic[]): ExportRow[] | undefined {
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, { relax_column_count: true, skip_empty_lines: true, info: true, trim: true }) as unknown as typeof records;
  } catch (error) {
    const line = (error as { lines?: number }).lines ?? 1;
    diagnostics.push(diagnostic(shown, { line, column: 1 }, "import-csv", `the export is not readable CSV: ${(error as Error).message}`));
    return undefined;
  }
  return records.map(({ record, info }) => ({ line: info.lines, cells: record }));
}

/**
 * A workbook (.xlsx) with its first sheet only, and what that sheet needs: the other sheets are
 * never inflated (a workbook of a few MB may hold sheets of GB), and each part kept is refused
 * past EXPORT_LIMITS.partBytes, as its size is declared and as it inflates.
 */
function firstSheetOnly(bytes: Uint8Array, refuse: (message: string) => undefined): Uint8Array | undefined {
  const parts = (wanted: (name: string) => boolean) => {
    let tooLarge: string | undefined;
    const files = unzipSync(bytes, {
      filter: (file) => {
        if (!wanted(file.name)) return false;
        if (file.originalSize > EXPORT_LIMITS.partBytes) tooLarge = `${file.name} (${megabytes(file.originalSize)})`;
        return !tooLarge;
      },
    });
    return { files, tooLarge };
  };
  try {
    const book = parts((name) => /^(\[Content_Types\]\.xml|_rels\/\.rels|xl\/workbook\.xml|xl\/_rels\/workbook\.xml\.rels)$/.test(name));
    const workbook = new TextDecoder().decode(book.files["xl/workbook.xml"] ?? new Uint8Array());
    const relations = new TextDecoder().decode(book.files["xl/_rels/workbook.xml.rels"] ?? new Uint8Array());
    // The first sheet of the book, and the part its relation names (attributes in either order).
    const firstSheet = /<(?:\w+:)?sheet\b[^>]*\br:id="([^"]+)"/.exec(workbook)?.[1]?.replace(/[^\w-]/g, "");
    const relation = firstSheet
      ? [...relations.matchAll(/<Relationship\b[^>]*>/g)].map((match) => match[0]).find((tag) => tag.includes(`Id="${firstSheet}"`))
      : undefined;
    const target = relation ? /\bTarget="([^"]+)"/.exec(relation)?.[1] : undefined;
    const sheetPath = target ? (target.startsWith("/") ? target.slice(1) : `xl/${target}`) : "xl/worksheets/sheet1.xml";
    // Every part but the other sheets (and what only they use): the styles, strings and metadata SheetJS reads.
    const otherSheet = (name: string) =>
      /^xl\/(worksheets|chartsheets|drawings|charts|media|pivotTables|pivotCache|externalLinks)\//.test(name) && name !== sheetPath;
    const kept = parts((name) => !otherSheet(name));
    // Keep the book's own description of its parts, without the parts left out.
    const files = { ...book.files, ...kept.files };
    for (const [name, part] of Object.entries(files))
      if (part.length > EXPORT_LIMITS.partBytes)
        return refuse(`the workbook's part ${name} inflates past the ${megabytes(EXPORT_LIMITS.partBytes)} dmreport reads`);
    return zipSync(files, { level: 0 });
  } catch (error) {
    return refuse(`the export is not a readable workbook: ${(error as Error).message}`);
  }
}

/**
 * The first sheet of a workbook (.xlsx as P6 writes it, or an older .xls), read with SheetJS.
 * Date cells are serial numbers in a date format: they are written YYYY-MM-DD from the serial
 * itself, so that no time zone moves a date. Only the cells the sheet has are read, whatever
 * range its `<dimension>` claims.
 */
async function readWorkbook(bytes: Uint8Array | undefined, shown: string, diagnostics: Diagnostic[]): Promise<ExportRow[] | undefined> {
  if (!bytes) return undefined;
  // Loaded only for workbooks: it is large, and most exports are CSV.
  const XLSX = await import("@e965/xlsx");
  let sheet: import("@e965/xlsx").WorkSheet | undefined;
  try {
    const book = XLSX.read(bytes, {
      type: "buffer",
      cellDates: false,
      cellNF: true,
      cellFormula: false,
      cellHTML: false,
      dense: true,
      sheets: 0,
      sheetRows: EXPORT_LIMITS.rows + 1,
    });
    const name = book.SheetNames[0];
    sheet = name === undefined ? undefined : book.Sheets[name];
  } catch (error) {
    diagnostics.push(
      diagnostic(shown, { line: 1, column: 1 }, "import-csv", `the export is not a readable workbook: ${(error as Error).message}`),
    );
    return undefined;
  }
  const data = (sheet as { "!data"?: ({ t: string; v?: unknown; w?: string; z?: unknown } | undefined)[][] } | undefined)?.["!data"] ?? [];
  const rows: ExportRow[] = [];
  data.forEach((row, index) => {
    if (!row) return;
    if (row.length > EXPORT_LIMITS.columns) {
      rows.push({ line: index + 1, cells: new Array<string>(row.length).fill("") });
      return;
    }
    const cells = Array.from(row, (cell) => (cell ? cellText(cell, XLSX.SSF) : ""));
    if (cells.some((text) => text !== "")) rows.push({ line: index + 1, cells });
  });
  return rows;
}

function cellText(
  cell: { t: string; v?: unknown; w?: string; z?: unknown },
  SSF: { is_date(format: string | number): boolean; parse_date_code(value: number): { y: number; m: number; d: number } },
): string {
  if (cell.t === "n" && typeof cell.v === "number" && cell.z !== undefined && SSF.is_date(cell.z as string)) {
    const { y, m, d } = SSF.parse_date_code(cell.v);
    return `${y}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
  }
  if (cell.t === "d" && cell.v instanceof Date) return cell.v.toISOString().slice(0, 10);
  return String(cell.v ?? cell.w ?? "").trim();
}
