/** What every reader of a schedule export gives (rows of text cells with their lines), within the same limits. */

export interface ExportRow {
  /** The row's line in the file, or its row number in the sheet. */
  line: number;
  /** Each cell as text; dates of a workbook are written YYYY-MM-DD. */
  cells: string[];
  /** Rows an XER or MSPDI export names as this one's predecessors (their own links, not a column of ids). */
  predecessors?: ExportRow[];
}

/** What an export may be, at most: past these, it is refused with what to do. */
export const EXPORT_LIMITS = {
  /** The file as it is on disk. */
  fileBytes: 512 * 1024 * 1024,
  /** A workbook part (the sheet, its shared strings) once inflated. */
  partBytes: 512 * 1024 * 1024,
  rows: 1_000_000,
  columns: 1024,
  /** Rows times columns: what a file of few bytes may ask for (a column for each of a thousand code types, in every row). */
  cells: 20_000_000,
};

/** The limits an export reader checks before it builds its rows. */
export type ExportLimits = typeof EXPORT_LIMITS;
