// A realistic schedule export: 420 rows, WBS ids 1 to 3 levels deeper than the tree and without
// its leading `1.`, two months with different prefixes and columns (CSV, then a workbook).
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import * as XLSX from "@e965/xlsx";
import { describe, expect, it } from "vitest";
import { build } from "../src/build.js";
import { exampleCopy, runCli, tempFolder } from "./helpers.js";
import { ID_FORMS } from "./schedule-fixtures.js";

// Elements of the example tree as the schedule writes them (no leading `1.`), and deeper.
const CODES = [
  "02C.03.01",
  "02C.04.06",
  "02C.05.01",
  "02C.06.01.01",
  "02C.06.02.03",
  "02C.07",
  "02C.07.08",
  "02C.08.03.01",
  "02C.09",
  "02C.01",
];
const ROWS = 420;
const OUTSIDE = new Set([17, 101, 250, 333]); // WBS not under the tree

interface Row {
  id: string;
  wbs: string;
  title: string;
  due: string;
  forecast: string;
  completed: string;
  succ: string;
}

function rows(slipEvery: number, days: number): Row[] {
  const date = (base: string, plus: number) => new Date(Date.parse(`${base}T00:00:00Z`) + plus * 86_400_000).toISOString().slice(0, 10);
  return Array.from({ length: ROWS }, (_, i) => {
    const deeper = [".01", ".02.01", ".01.03.02"][i % 3]!;
    const wbs = OUTSIDE.has(i) ? "02C.99.01" : CODES[i % CODES.length]! + deeper;
    const due = date("2017-06-30", (i * 7) % 500);
    const forecast = date(due, 30 + (i % slipEvery === 0 ? days : 0));
    return {
      id: ID_FORMS[i % ID_FORMS.length]!(i),
      wbs,
      title: `Schedule milestone ${i}`,
      due,
      forecast,
      completed: i % 50 === 7 ? date(due, 3) : "",
      succ: i % 40 === 0 ? ID_FORMS[(i + 1) % ID_FORMS.length]!(i + 1) : "",
    };
  });
}

const us = (iso: string) => (iso ? `${+iso.slice(5, 7)}/${+iso.slice(8, 10)}/${iso.slice(0, 4)} 5:00:00 PM` : "");

describe("schedule exports as they come", () => {
  it("imports every row under the tree from a P6 CSV and an .xlsx of another month, and keeps both months' snapshots", async () => {
    const source = exampleCopy("lsst-dm");
    // Here December is a month still being written: an import for a published month is refused.
    rmSync(join(source, "published.yaml"));
    rmSync(join(source, ".dmreport", "published"), { recursive: true });
    const folder = tempFolder();
    // December: P6 field names and display names, prefix LSST ME 17-12., US dates with times.
    const december = rows(10, 0);
    const csv = [
      "task_code,status_code,wbs_id,task_name,base_end_date,end_date,act_end_date,succ_list",
      "Activity ID,Activity Status,WBS Code,Activity Name,BL Project Finish,Finish,Actual Finish,Successors",
      ...december.map((row, i) =>
        [
          row.id,
          row.completed ? "TK_Complete" : "TK_NotStart",
          `${i === 55 ? "" : "LSST ME 17-12."}${row.wbs}`,
          `"${row.title}"`,
          us(row.due),
          us(row.forecast),
          us(row.completed),
          `"${row.succ}"`,
        ].join(","),
      ),
    ];
    writeFileSync(join(folder, "p6-2017-12.csv"), `\uFEFF${csv.join("\r\n")}\r\n`);
    const first = runCli(["import-milestones", join(folder, "p6-2017-12.csv"), "--month", "2017-12"], source);
    const leftOut = first.stderr.split("\n").filter((line) => line.includes("[import-row]"));
    // Four rows fall outside the tree; row 58 has no prefix, and its code alone finds its element.
    expect(leftOut).toHaveLength(4);
    for (const i of OUTSIDE)
      expect(first.stderr).toContain(
        `:${i + 3}:1: warning: row ${i + 3} is left out: WBS \`LSST ME 17-12.02C.99.01\` is not under any element of wbs.yaml (after removing \`LSST ME 17-12.\`) [import-row]`,
      );
    expect(first.stdout).toBe(
      `milestones.yaml: ${ROWS - 4} added, 0 updated, 0 unchanged\nschedule/2017-12.yaml: ${ROWS - 4} milestones of the export kept for 2017-12\n`,
    );
    expect(first.status).toBe(0);

    const register = readFileSync(join(source, "milestones.yaml"), "utf8");
    // Mapped to the deepest element of the tree, keeping the schedule's own id; successors kept.
    // Dated from the month imported; forecasts are the month's snapshot's, not the register's.
    expect(register).toContain(
      "- { id: DMTC-7400-2000, title: Schedule milestone 0, wbs: 02C.03.01, scheduleWbs: 02C.03.01.01, due: 2017-06-30, successors: [ T&SC-1100-1001 ], from: 2017-12 }",
    );
    expect(register).toContain("id: T&SC-1100-1001, title: Schedule milestone 1, wbs: 02C.04.06, scheduleWbs: 02C.04.06.02.01,");
    expect(register).toContain("id: CAMM6005, title: Schedule milestone 5, wbs: 1.02C.07, scheduleWbs: 02C.07.01.03.02,");
    expect(register).toContain(`id: ${december[55]!.id}, title: Schedule milestone 55, wbs: 1.02C.07, scheduleWbs: 02C.07.02.01,`);
    expect(register).toContain("id: CAMM6013, title: Schedule milestone 13, wbs: 02C.06.01.01, scheduleWbs: 02C.06.01.01.02.01,");

    // January: display names only, no actual finish column, prefix LSST BL 18-01., an .xlsx with date cells.
    const january = rows(10, 45);
    const sheet = XLSX.utils.aoa_to_sheet([
      ["Activity ID", "WBS Code", "Activity Name", "BL Project Finish", "Finish", "Successors"],
      ...january.map((row) => [
        row.id,
        `LSST BL 18-01.${row.wbs}`,
        row.title,
        new Date(`${row.due}T00:00:00Z`),
        new Date(`${row.forecast}T00:00:00Z`),
        row.succ,
      ]),
    ]);
    const book = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(book, sheet, "TASK");
    writeFileSync(join(folder, "p6-2018-01.xlsx"), XLSX.write(book, { type: "buffer", bookType: "xlsx" }) as Buffer);
    const second = runCli(["import-milestones", join(folder, "p6-2018-01.xlsx"), "--month", "2018-01"], source);
    // Rows of a sheet are numbered as the spreadsheet shows them.
    expect(
      second.stderr
        .split("\n")
        .filter((line) => line.includes("[import-row]"))
        .map((line) => line.replace(/^.*p6-2018-01\.xlsx:/, "")),
    ).toEqual(
      [...OUTSIDE].map(
        (i) =>
          `${i + 2}:1: warning: row ${i + 2} is left out: WBS \`LSST BL 18-01.02C.99.01\` is not under any element of wbs.yaml (after removing \`LSST BL 18-01.\`) [import-row]`,
      ),
    );
    // Only forecasts moved, and those are the month's snapshot's: the register is as it was.
    expect(second.stdout).toBe(
      "milestones.yaml: 0 added, 0 updated, 416 unchanged (not rewritten)\nschedule/2018-01.yaml: 416 milestones of the export kept for 2018-01\n",
    );
    expect(readFileSync(join(source, "schedule/2018-01.yaml"), "utf8")).toContain(
      "- { id: DMTC-7400-2000, wbs: 02C.03.01.01, due: 2017-06-30, forecast: 2017-09-13 }",
    );

    // January's report knows each month's forecasts from the snapshots alone: slips from the schedule.
    const result = await build({ source, month: "2018-01", formats: ["md"], write: false });
    expect(result.diagnostics.filter((found) => found.severity === "error")).toEqual([]);
    const slipped = result.tree!.milestoneChanges!.slipped;
    expect(slipped.length).toBeGreaterThan(30);
    expect(slipped.find((change) => change.id === "LSST-1503")).toBeUndefined();
    expect(slipped.every((change) => change.days === 45 || change.id === "DLP-472" || change.id === "DM-DRP-32")).toBe(true);
    // Owed statuses are warnings: the build goes on.
    expect(result.diagnostics.some((found) => found.rule === "milestone-owed")).toBe(true);
  });
});

describe("older exports", () => {
  it("reads an .xls workbook (BIFF8) as P6 and MS Project wrote them, rows numbered as the sheet shows them", () => {
    const source = exampleCopy("lsst-dm");
    // A source that does not date its imports: nothing published.
    rmSync(join(source, "published.yaml"));
    rmSync(join(source, ".dmreport", "published"), { recursive: true });
    const sheet = XLSX.utils.aoa_to_sheet([
      ["Activity ID", "WBS Code", "Activity Name", "BL Project Finish", "Finish", "Predecessors"],
      [
        "A4369.9",
        "LSST ME 18-02.02C.08.03.01.02",
        "Fiber acceptance, second pair",
        new Date("2018-03-30T00:00:00Z"),
        new Date("2018-05-15T00:00:00Z"),
        "DMTC-8000-0818: FS, DMTC-7400-2130",
      ],
      ["COMC-0641-9999", "LSST ME 18-02.03A.01", "Commissioning camera milestone", new Date("2018-04-30T00:00:00Z"), "", ""],
    ]);
    const book = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(book, sheet, "TASK");
    const path = join(tempFolder(), "p6-2018-02.xls");
    writeFileSync(path, XLSX.write(book, { type: "buffer", bookType: "biff8" }) as Buffer);
    const run = runCli(["import-milestones", path], source);
    expect(run.stdout).toBe("milestones.yaml: 1 added, 0 updated, 0 unchanged\n");
    expect(run.stderr.replace(/^.*p6-2018-02\.xls:/, "")).toBe(
      "3:1: warning: row 3 is left out: WBS `LSST ME 18-02.03A.01` is not under any element of wbs.yaml (after removing `LSST ME 18-02.`) [import-row]\n1 warning\n",
    );
    expect(readFileSync(join(source, "milestones.yaml"), "utf8")).toContain(
      '- { id: A4369.9, title: "Fiber acceptance, second pair", wbs: 02C.08.03.01, scheduleWbs: 02C.08.03.01.02, due: 2018-03-30, forecast: 2018-05-15, predecessors: [ DMTC-8000-0818, DMTC-7400-2130 ] }',
    );
  });
});
