// import-milestones: a Primavera-shaped export into the register, keeping local annotations.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import iconv from "iconv-lite";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { scheduleDate } from "../src/schedule/import-milestones.js";
import { exampleCopy, REPO, runCli, tempFolder } from "./helpers.js";
import { p6Csv, syntheticSchedule } from "./schedule-fixtures.js";

const HEADER = "task_code,status_code,wbs_id,task_name,pred_list,succ_list,start_date,base_end_date,act_end_date,delete_record_flag";
const DISPLAY =
  "Activity ID,Activity Status,WBS Code,Activity Name,Predecessors,Successors,Start,BL Project Finish,Actual Finish,Delete This Row";

function exportFile(rows: string[]): string {
  const path = join(tempFolder(), "p6.csv");
  writeFileSync(path, `\uFEFF${[HEADER, DISPLAY, ...rows].join("\r\n")}\r\n`);
  return path;
}

/**
 * The LSST example, whose config reads the project's P6 exports (prefix `LSST ME|BL YY-MM.`), as
 * a source that does not date its imports: nothing published, no month's schedule kept.
 */
function lsstWithPrefix(): string {
  const source = exampleCopy("lsst-dm");
  rmSync(join(source, "published.yaml"));
  rmSync(join(source, ".dmreport", "published"), { recursive: true });
  return source;
}

describe("scheduleDate", () => {
  it("reads the dates schedule exports write", () => {
    expect(scheduleDate("2/16/2021 8:00:00 AM")).toBe("2021-02-16");
    expect(scheduleDate("12/1/2017 5:00 PM")).toBe("2017-12-01");
    expect(scheduleDate("2021-02-16")).toBe("2021-02-16");
    expect(scheduleDate("2021-02-16T08:00:00")).toBe("2021-02-16");
    expect(scheduleDate("16-Feb-21")).toBe("2021-02-16");
    expect(scheduleDate("16-feb-2021")).toBe("2021-02-16");
  });

  it("refuses what is not a real date", () => {
    for (const text of ["2/30/2021", "13/45/2018", "31-Foo-21", "2021-13-01", "BL Project Finish", ""])
      expect(scheduleDate(text), text).toBeUndefined();
  });
});

describe("dmreport import-milestones", () => {
  it("updates the register from a Primavera export, reporting the rows it cannot use", () => {
    const source = lsstWithPrefix();
    const before = readFileSync(join(source, "milestones.yaml"), "utf8");
    const csv = exportFile([
      'DM-DRP-4,TK_Complete,LSST ME 18-02.02C.04.02,Calibration Product Generation in Support of Basic ISR,"DM-DRP-1, DM-DRP-2",,9/1/2017 8:00:00 AM,12/1/2017 5:00:00 PM,12/4/2017 5:00:00 PM,',
      'DM-DRP-40,TK_NotStart,LSST ME 18-02.02C.04.05,"Deblender, multi-band at scale",DM-DRP-18,,1/2/2018 8:00:00 AM,16-Jun-18,,',
      "DM-DRP-41,TK_NotStart,LSST ME 18-02.02C.99,Unknown element,,,,6/30/2018 5:00:00 PM,,",
      "DM-DRP-42,TK_NotStart,LSST ME 18-02.02C.04.05,Bad date,,,,13/45/2018 5:00:00 PM,,",
      "DM-DRP-6,TK_Active,LSST ME 18-02.02C.04.01,Camera Package Supporting the Auxiliary Telescope,,,,2017-12-01,,",
      "DM-DRP-99,TK_NotStart,LSST ME 18-02.02C.04.01,Old activity,,,,2017-12-01,,Y",
    ]);
    const run = runCli(["import-milestones", csv], source);
    expect(run.stdout).toBe("milestones.yaml: 1 added, 1 updated, 1 unchanged\n");
    expect(run.stderr.split("\n").map((line) => line.replace(/^.*p6\.csv:/, "p6.csv:"))).toEqual([
      "p6.csv:5:1: warning: row 5 is left out: WBS `LSST ME 18-02.02C.99` is not under any element of wbs.yaml (after removing `LSST ME 18-02.`) [import-row]",
      "p6.csv:6:1: warning: row 6 is left out: its baseline finish `13/45/2018 5:00:00 PM` is not a date [import-row]",
      "p6.csv:8:1: warning: row 8 is left out: DM-DRP-99 is marked deleted in the export [import-row]",
      "3 warnings",
      "",
    ]);
    expect(run.status).toBe(0);
    const after = readFileSync(join(source, "milestones.yaml"), "utf8");
    expect(after).toBe(
      before
        .replace(
          "  - { id: DM-DRP-4, title: Calibration Product Generation in Support of Basic ISR, level: 3, wbs: 02C.04.02, due: 2017-12-01 }",
          "  - { id: DM-DRP-4, title: Calibration Product Generation in Support of Basic ISR, level: 3, wbs: 02C.04.02, due: 2017-12-01, completed: 2017-12-04, predecessors: [ DM-DRP-1, DM-DRP-2 ] }",
        )
        .concat(
          '  - { id: DM-DRP-40, title: "Deblender, multi-band at scale", wbs: 02C.04.05, due: 2018-06-16, predecessors: [ DM-DRP-18 ] }\n',
        ),
    );
    expect(runCli(["lint", "--quiet"], source).status).toBe(0);
  });

  it("keeps local notes and levels when a newer export is imported", () => {
    const source = lsstWithPrefix();
    const register = join(source, "milestones.yaml");
    writeFileSync(
      register,
      readFileSync(register, "utf8").replace(
        "title: Global photometric fitting, level: 3,",
        "title: Global photometric fitting, level: 3, note: FGCM owns this,",
      ),
    );
    const csv = exportFile(["DM-DRP-16,TK_Active,LSST ME 18-02.02C.04.02,Global photometric fitting (FGCM),,,,12/1/2017 5:00:00 PM,,"]);
    expect(runCli(["import-milestones", csv], source).stdout).toBe("milestones.yaml: 0 added, 1 updated, 0 unchanged\n");
    expect(readFileSync(register, "utf8")).toContain(
      "  - { id: DM-DRP-16, title: Global photometric fitting (FGCM), level: 3, note: FGCM owns this, wbs: 02C.04.02, due: 2017-12-01 }",
    );
    const again = runCli(["import-milestones", csv], source);
    expect(again.stdout).toBe("milestones.yaml: 0 added, 0 updated, 1 unchanged (not rewritten)\n");
  });

  it("refuses an export without the mapped columns, changing nothing", () => {
    const source = lsstWithPrefix();
    const before = readFileSync(join(source, "milestones.yaml"), "utf8");
    const path = join(tempFolder(), "other.csv");
    writeFileSync(path, "Activity,Finish\nDM-DRP-4,2017-12-01\n");
    const run = runCli(["import-milestones", path], source);
    expect(run.stderr).toContain(
      "the export has no column `task_code` or `Activity ID` for the milestone id (milestones.import.columns.id in dmreport.yaml); its columns are: Activity, Finish [import-csv]",
    );
    expect(run.stderr).toContain("the register was not changed");
    expect(run.status).toBe(1);
    expect(readFileSync(join(source, "milestones.yaml"), "utf8")).toBe(before);
  });
});

describe("exports as they come, within bounds", () => {
  it("stops when most rows fall outside the tree, writes nothing, and says which prefix and map would place them", () => {
    const source = exampleCopy("minimal");
    const register = readFileSync(join(source, "milestones.yaml"), "utf8");
    const rows = Array.from(
      { length: 40 },
      (_, i) =>
        `KSW-M-${100 + i},TK_NotStart,${i % 10 === 0 ? "AWST.4" : `AWST.4.${(i % 2) + 1}`},Milestone ${i},,,2026-11-01,2026-12-${10 + (i % 15)},,`,
    );
    const run = runCli(["import-milestones", exportFile(rows), "--month", "2026-11"], source);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(
      "p6.csv:1:1: error: 40 of the 40 rows have a WBS id under no element of wbs.yaml, so the export's WBS ids are not the tree's as dmreport.yaml reads them, and nothing is imported: `milestones.import.wbsPrefix: 'AWST\\.'` would map 36 of them (it removes `AWST.`); `milestones.import.wbsMap` places codes the tree has no element for, such as `AWST.4` (4 rows), under an element of wbs.yaml [import-unmapped]",
    );
    // The one finding, not buried under one warning a row.
    expect(run.stderr).not.toContain("[import-row]");
    expect(readFileSync(join(source, "milestones.yaml"), "utf8")).toBe(register);
    expect(existsSync(join(source, "schedule"))).toBe(false);
  });

  it("suggests a prefix that still maps the earlier exports when an export's prefix changes", () => {
    const rows = [
      "X-1,TK_NotStart,DMX 2026R1.02C.03.01,A,,,2018-01-01,2018-03-01,,",
      "X-2,TK_NotStart,DMX 2026R1.02C.04.01,B,,,2018-01-01,2018-03-01,,",
    ];
    const run = runCli(["import-milestones", exportFile(rows), "--month", "2018-02"], lsstWithPrefix());
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(
      "`milestones.import.wbsPrefix: '(?:LSST (ME|BL) \\d{2}-\\d{2}\\.|DMX \\d{4}R\\d{1}\\.)'` would map 2 of them (it removes `DMX 2026R1.`, and still what the prefix set now removes)",
    );
  });

  it("writes into an empty `milestones: []` a register its own lint passes", () => {
    const source = exampleCopy("minimal");
    writeFileSync(join(source, "milestones.yaml"), "milestones: []\n");
    // The example's three milestones, from a baseline export.
    const rows = [
      "A2330,TK_NotStart,4.2,First fringes with the new correlator,,,2026-09-01,2026-10-15,,",
      "CAMM6995,TK_NotStart,4.1.2,Scheduler dry run,,,2026-09-01,2026-09-30,,",
      "KSW-M-7,TK_NotStart,4.1.1,Pointing model v2 in operations,,,2026-09-01,2026-12-01,,",
    ];
    const run = runCli(["import-milestones", exportFile(rows), "--month", "2026-11", "--baseline"], source);
    expect(run.status, run.stderr).toBe(0);
    expect(readFileSync(join(source, "milestones.yaml"), "utf8")).toMatch(/^milestones:\n  - \{ id: A2330,/);
    const linted = runCli(["lint", "milestones.yaml"], source);
    // (The example's earlier fragments report them before their `from`: the register's file itself is clean.)
    expect(linted.stdout).toContain("milestone-unknown");
    expect(linted.stdout).not.toContain("milestones.yaml");
  });

  it("adds a partial export to the month's snapshot: the milestones it lacks keep that month's forecasts", () => {
    const source = exampleCopy("lsst-dm");
    const schedule = syntheticSchedule(400, 0);
    const folder = tempFolder();
    writeFileSync(join(folder, "p6-2018-01.csv"), p6Csv(schedule, "LSST ME 18-01."));
    expect(runCli(["import-milestones", join(folder, "p6-2018-01.csv"), "--month", "2018-01"], source).status).toBe(0);
    const snapshotPath = join(source, "schedule/2018-01.yaml");
    const full = readFileSync(snapshotPath, "utf8");
    // One chapter's corrected rows: one forecast moved, one milestone new.
    const moved = { ...schedule[9]!, forecast: "2019-06-28" };
    const added = { ...schedule[10]!, id: "DMTC-7400-9999", title: "A milestone new this month" };
    writeFileSync(join(folder, "p6-2018-01-ch2.csv"), p6Csv([moved, added], "LSST ME 18-01."));
    const run = runCli(["import-milestones", join(folder, "p6-2018-01-ch2.csv"), "--month", "2018-01", "--partial"], source);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain(
      "schedule/2018-01.yaml: 2 milestones of the partial export added to the month's earlier export (401 milestones in all)\n",
    );
    const merged = readFileSync(snapshotPath, "utf8");
    const rowOf = (text: string, id: string) => text.split("\n").find((line) => line.startsWith(`  - { id: ${id},`));
    expect(merged).toContain('export: "p6-2018-01.csv, then p6-2018-01-ch2.csv (partial)"');
    expect(rowOf(merged, moved.id)).toContain("forecast: 2019-06-28");
    expect(rowOf(merged, added.id)).toBeDefined();
    // Every other line as the full export left it, in its order.
    const others = (text: string) =>
      text
        .split("\n")
        .filter((line) => line.startsWith("  - ") && !line.includes(`id: ${moved.id},`) && !line.includes(`id: ${added.id},`));
    expect(others(merged)).toEqual(others(full));
    expect(runCli(["lint"], source).stdout).not.toContain("schedule/2018-01.yaml");
  });

  it("names an encoding that is not UTF-8, and reads the export when it is given", () => {
    const source = lsstWithPrefix();
    const path = join(tempFolder(), "p6-windows.csv");
    // Dashes, quotes and the euro sign are Windows-1252's bytes 0x80 to 0x9F, which Latin-1 reads as control characters.
    const text = `${HEADER}\r\nDM-DRP-99,TK_NotStart,LSST ME 18-02.02C.04.02,Kalibrierung durch Müller – “Phase 2” für 5 €,,,2018-01-01,2018-03-30,,\r\n`;
    writeFileSync(path, iconv.encode(text, "windows-1252"));
    const refused = runCli(["import-milestones", path], source);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain(
      'p6-windows.csv:2:1: error: the export is not UTF-8 text: line 2 has the byte 0xfc, which in Windows-1252 (the usual encoding of exports made on Windows) reads "Kalibrierung durch Müller – “Phase 2” für 5 €"; give its encoding (--encoding windows-1252, or milestones.import.encoding in dmreport.yaml), or save it as UTF-8 [import-csv]',
    );
    const read = runCli(["import-milestones", path, "--encoding", "windows-1252"], source);
    expect(read.status, read.stderr).toBe(0);
    expect(readFileSync(join(source, "milestones.yaml"), "utf8")).toContain('title: "Kalibrierung durch Müller – “Phase 2” für 5 €"');
  });

  it("reads a workbook's real cells whatever its dimension tag claims, and never inflates its other sheets", async () => {
    const { zipSync, strToU8 } = await import("fflate");
    const part = (text: string) => strToU8(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>${text}`);
    const cell = (ref: string, text: string) => `<c r="${ref}" t="inlineStr"><is><t>${text}</t></is></c>`;
    const sheet = (dimension: string, rows: string) =>
      part(
        `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><dimension ref="${dimension}"/><sheetData>${rows}</sheetData></worksheet>`,
      );
    const book = (sheets: number, first: Uint8Array, other: () => Uint8Array) =>
      zipSync({
        "[Content_Types].xml": part(
          `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>${Array.from({ length: sheets }, (_, k) => `<Override PartName="/xl/worksheets/sheet${k + 1}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`).join("")}</Types>`,
        ),
        "_rels/.rels": part(
          '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        ),
        "xl/workbook.xml": part(
          `<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>${Array.from({ length: sheets }, (_, k) => `<sheet name="S${k + 1}" sheetId="${k + 1}" r:id="rId${k + 1}"/>`).join("")}</sheets></workbook>`,
        ),
        "xl/_rels/workbook.xml.rels": part(
          `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${Array.from({ length: sheets }, (_, k) => `<Relationship Id="rId${k + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet${k + 1}.xml"/>`).join("")}</Relationships>`,
        ),
        "xl/worksheets/sheet1.xml": first,
        ...Object.fromEntries(Array.from({ length: sheets - 1 }, (_, k) => [`xl/worksheets/sheet${k + 2}.xml`, [other(), { level: 1 }]])),
      } as Parameters<typeof zipSync>[0]);
    const rows = `<row r="1">${cell("A1", "task_code")}${cell("B1", "task_name")}${cell("C1", "wbs_id")}${cell("D1", "base_end_date")}</row><row r="2">${cell("A2", "DM-DRP-98")}${cell("B2", "Calibration pipeline")}${cell("C2", "LSST ME 18-02.02C.04.02")}${cell("D2", "2018-03-30")}</row>`;
    const folder = tempFolder();
    // The dimension tag claims every cell of the sheet: 17 billion of them.
    writeFileSync(
      join(folder, "dimension.xlsx"),
      book(1, sheet("A1:XFD1048576", rows), () => new Uint8Array()),
    );
    // Two more sheets of 160 MB each, in a file of a few MB.
    const big = part(
      `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1"><v>1</v></c></row>${" ".repeat(160 * 1024 * 1024)}</sheetData></worksheet>`,
    );
    writeFileSync(
      join(folder, "sheets.xlsx"),
      book(3, sheet("A1:D2", rows), () => big),
    );
    for (const name of ["dimension.xlsx", "sheets.xlsx"]) {
      const source = lsstWithPrefix();
      const started = Date.now();
      const run = spawnSync(
        "/usr/bin/time",
        ["-f", "%M", process.execPath, join(REPO, "bin", "dmreport"), "import-milestones", join(folder, name)],
        { cwd: source, encoding: "utf8" },
      );
      expect(run.status, `${name}: ${run.stderr}`).toBe(0);
      expect(Date.now() - started, name).toBeLessThan(10_000);
      // Peak memory, in KiB, as time(1) measures it: below one sheet's 160 MB (over 1 GB inflated all).
      expect(Number(run.stderr.trim().split("\n").pop()), name).toBeLessThan(150 * 1024);
      expect(run.stdout, name).toBe("milestones.yaml: 1 added, 0 updated, 0 unchanged\n");
    }
  }, 60_000);

  it("refuses small XER files that would unfold into huge tables or trees, in seconds", () => {
    const source = exampleCopy("minimal");
    const folder = tempFolder();
    const xerOf = (tables: string[]) => `ERMHDR\t19.12\r\n${tables.join("\r\n")}\r\n%E\r\n`;
    // 1,000 activity code types, each given to one activity, and 30,000 activities: 30 million cells from 1 MB.
    const types = Array.from({ length: 1000 }, (_, i) => `%R\t${i}\tType ${i}`);
    const codes = Array.from({ length: 1000 }, (_, i) => `%R\t${i}\t${i}\tC`);
    const assigned = Array.from({ length: 1000 }, (_, i) => `%R\t1\t${i}`);
    const tasks = Array.from({ length: 30_000 }, (_, i) => `%R\t${i}\tKSW-M-${i}\tM\t1`);
    writeFileSync(
      join(folder, "wide.xer"),
      xerOf([
        "%T\tACTVTYPE",
        "%F\tactv_code_type_id\tactv_code_type",
        ...types,
        "%T\tACTVCODE",
        "%F\tactv_code_id\tactv_code_type_id\tshort_name",
        ...codes,
        "%T\tTASKACTV",
        "%F\ttask_id\tactv_code_id",
        ...assigned,
        "%T\tTASK",
        "%F\ttask_id\ttask_code\ttask_name\twbs_id",
        ...tasks,
      ]),
    );
    // A PROJWBS chain 20,000 nodes deep, an activity on each node.
    const chain = Array.from({ length: 20_000 }, (_, i) => `%R\t${i + 1}\t${i}\tN${i}`);
    const deepTasks = Array.from({ length: 20_000 }, (_, i) => `%R\t${i}\tKSW-M-${i}\tM\t${i + 1}`);
    writeFileSync(
      join(folder, "deep.xer"),
      xerOf([
        "%T\tPROJWBS",
        "%F\twbs_id\tparent_wbs_id\twbs_short_name",
        ...chain,
        "%T\tTASK",
        "%F\ttask_id\ttask_code\ttask_name\twbs_id",
        ...deepTasks,
      ]),
    );
    const started = performance.now();
    const wide = runCli(["import-milestones", join(folder, "wide.xer"), "--month", "2026-11"], source);
    expect(wide.status).toBe(1);
    expect(wide.stderr).toContain(
      "error: the activities carry 1000 activity code types, which for 30000 activities is more than dmreport reads (20000000 cells): export the milestones only, with the code types the report uses [import-limits]",
    );
    const deep = runCli(["import-milestones", join(folder, "deep.xer"), "--month", "2026-11"], source);
    expect(deep.status).toBe(1);
    expect(deep.stderr).toMatch(
      /error: the PROJWBS node \d+ is more than 64 levels deep, deeper than any work breakdown: the export's parent_wbs_id links are not a tree \[import-limits\]/,
    );
    expect(performance.now() - started).toBeLessThan(20_000);
    expect(existsSync(join(source, "schedule"))).toBe(false);
  });

  it("stops at SIGINT or SIGTERM during a long import, with nothing written", async () => {
    const source = lsstWithPrefix();
    const register = readFileSync(join(source, "milestones.yaml"), "utf8");
    const rows = Array.from(
      { length: 60_000 },
      (_, i) => `DMTC-${10000 + i},TK_NotStart,LSST ME 18-02.02C.04.02,Milestone ${i},,,2018-01-01,2018-0${1 + (i % 9)}-15,,`,
    );
    const path = exportFile(rows);
    // Big enough to read back: the limit is the project's to set.
    writeFileSync(
      join(source, "dmreport.yaml"),
      `${readFileSync(join(source, "dmreport.yaml"), "utf8")}\nlimits: { fileBytes: 50000000 }\n`,
    );
    for (const signal of ["SIGINT", "SIGTERM"] as const) {
      const child = spawn(process.execPath, [join(REPO, "bin", "dmreport"), "import-milestones", path, "--month", "2018-02"], {
        cwd: source,
      });
      let stderr = "";
      child.stderr.on("data", (chunk) => (stderr += chunk));
      await new Promise((done) => setTimeout(done, 1200));
      child.kill(signal);
      const status = await new Promise<number | null>((done) => child.on("exit", (code) => done(code)));
      expect(status, `${signal}: ${stderr}`).toBe(signal === "SIGINT" ? 130 : 143);
      expect(stderr).toContain(`dmreport: stopped by ${signal}; nothing was written`);
      expect(readFileSync(join(source, "milestones.yaml"), "utf8")).toBe(register);
      expect(existsSync(join(source, "schedule"))).toBe(false);
    }
  }, 60_000);

  it("refuses a result the source could not read back, before anything is written", () => {
    const source = lsstWithPrefix();
    const register = readFileSync(join(source, "milestones.yaml"), "utf8");
    const rows = Array.from(
      { length: 20_000 },
      (_, i) =>
        `DMTC-${10000 + i},TK_NotStart,LSST ME 18-02.02C.04.02,Milestone ${i} of a schedule too large for the register,,,2018-01-01,2018-03-15,,`,
    );
    const run = runCli(["import-milestones", exportFile(rows), "--month", "2018-02"], source);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(
      /error: milestones\.yaml would be \d+\.\d MiB, more than the 1\.0 MiB dmreport reads \(limits\.fileBytes in dmreport\.yaml\), so every later command would refuse it: export the milestones only, or raise limits\.fileBytes; nothing was written \[import-limits\]/,
    );
    expect(readFileSync(join(source, "milestones.yaml"), "utf8")).toBe(register);
    expect(existsSync(join(source, "schedule"))).toBe(false);
  });
  it("writes nothing when the schedule folder is a file", () => {
    const source = lsstWithPrefix();
    const register = readFileSync(join(source, "milestones.yaml"), "utf8");
    writeFileSync(join(source, "schedule"), "not a folder\n");
    const run = runCli(
      [
        "import-milestones",
        exportFile(["DM-DRP-97,TK_NotStart,LSST ME 18-02.02C.04.02,A milestone,,,2018-01-01,2018-03-30,,"]),
        "--month",
        "2018-02",
      ],
      source,
    );
    expect(run.status).not.toBe(0);
    expect(run.stderr).not.toContain("internal error");
    expect(run.stderr).toContain("nothing was written");
    expect(readFileSync(join(source, "milestones.yaml"), "utf8")).toBe(register);
  });

  it("takes levels, notes and descriptions from an annotations file", () => {
    const source = lsstWithPrefix();
    const annotations = join(tempFolder(), "annotations.csv");
    writeFileSync(
      annotations,
      "id,level,note,description\nDM-DRP-96,2,Kept by the test team,The calibration pipeline runs at scale\nDM-DRP-95,7,,\n",
    );
    const rows = [
      "DM-DRP-96,TK_NotStart,LSST ME 18-02.02C.04.02,Calibration at scale,,,2018-01-01,2018-03-30,,",
      "DM-DRP-95,TK_NotStart,LSST ME 18-02.02C.04.02,Another,,,2018-01-01,2018-04-30,,",
    ];
    const run = runCli(["import-milestones", exportFile(rows), "--annotations", annotations], source);
    expect(run.status, run.stderr).toBe(0);
    const register = readFileSync(join(source, "milestones.yaml"), "utf8");
    expect(register).toContain(
      "id: DM-DRP-96, title: Calibration at scale, level: 2, wbs: 02C.04.02, due: 2018-03-30, note: Kept by the test team, description: The calibration pipeline runs at scale }",
    );
    expect(register).toContain("id: DM-DRP-95, title: Another, level: 7, wbs: 02C.04.02, due: 2018-04-30 }");
    // A level that is no level stops the import.
    writeFileSync(annotations, "id,level\nDM-DRP-96,high\n");
    const refused = runCli(["import-milestones", exportFile(rows), "--annotations", annotations], source);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain(
      "annotations.csv:2:1: error: the level of DM-DRP-96, `high`, is not a whole number from 0 to 9 [import-annotations]",
    );
  });
});

describe("the register's lines as an import writes them", () => {
  it("reads back as the same values, whatever the text", async () => {
    const { flowEntry } = await import("../src/schedule/register-update.js");
    const { parse } = await import("yaml");
    const texts = [
      "x, y",
      "a: b",
      "#x",
      "a #b",
      "- x",
      "1.5",
      "1e3",
      "0x1F",
      ".5",
      "-1",
      "+1",
      "1_000",
      "true",
      "False",
      "null",
      "~",
      "2018-01-01",
      "T&SC-1100-0900",
      "O'Brien",
      "x ",
      " x",
      '"q"',
      "{a}",
      "[a]",
      "ü Müller",
      "",
      "@x",
      "`x`",
      "%x",
      "!x",
      "*x",
      "&x",
      "|x",
      ">x",
      "?x",
      "x?",
      "1.02C.01",
      "02C.00",
      "A4369.9",
      "a\nb",
      "tab\there",
      "\u001b[2J",
    ];
    for (const text of texts) {
      const line = flowEntry([
        ["id", "X-1"],
        ["title", text],
        ["predecessors", [text, "Y-2"]],
      ]);
      expect(parse(`milestones:\n  - ${line}\n`, { schema: "core" }), JSON.stringify(text)).toEqual({
        milestones: [{ id: "X-1", title: text, predecessors: [text, "Y-2"] }],
      });
    }
    expect(
      flowEntry([
        ["id", "DM-1"],
        ["level", 2],
        ["due", "2018-01-31"],
        ["from", "2018-02"],
      ]),
    ).toBe("{ id: DM-1, level: 2, due: 2018-01-31, from: 2018-02 }");
  });
});

describe("dated imports keep one record of each month's schedule", () => {
  /** The minimal example's three milestones as a P6 export of `month`, with changes. */
  const kestrel = (overrides: Record<string, string> = {}, extra: string[] = [], without: string[] = []) =>
    exportFile([
      ...[
        ["A2330", "4.2", "First fringes with the new correlator", "2026-10-15"],
        ["CAMM6995", "4.1.2", "Scheduler dry run", "2026-09-30"],
        ["KSW-M-7", "4.1.1", "Pointing model v2 in operations", "2026-12-01"],
      ]
        .filter(([id]) => !without.includes(id!))
        .map(([id, wbs, title, due]) => `${id},TK_NotStart,${wbs},${overrides[id!] ?? title},,,2026-09-01,${due},,`),
      ...extra,
    ]);
  const importOf = (source: string, path: string, ...flags: string[]) => runCli(["import-milestones", path, ...flags], source);

  it("refuses an import without a month, or for a month before the latest export, once months are recorded", () => {
    const source = exampleCopy("minimal");
    expect(importOf(source, kestrel(), "--month", "2026-11").status).toBe(0);
    const register = readFileSync(join(source, "milestones.yaml"), "utf8");
    const undated = importOf(source, kestrel({ A2330: "Renamed" }));
    expect(undated.status).toBe(1);
    expect(undated.stderr).toContain(
      "p6.csv:1:1: error: this source records each month's schedule (schedule/2026-11.yaml), and an import without --month would change the milestones of every month, filed ones included: give the month the export is of (--month YYYY-MM); nothing was written [import-order]",
    );
    const earlier = importOf(source, kestrel({ A2330: "Renamed" }), "--month", "2026-10");
    expect(earlier.status).toBe(1);
    expect(earlier.stderr).toContain(
      "error: the source has the schedule of 2026-11 already (schedule/2026-11.yaml), and an export of 2026-10 imported after it would change what that import recorded",
    );
    expect(readFileSync(join(source, "milestones.yaml"), "utf8")).toBe(register);
    // A published month alone is enough: the example's December.
    const lsst = exampleCopy("lsst-dm");
    const published = importOf(lsst, exportFile(["DM-DRP-4,TK_NotStart,LSST ME 18-02.02C.04.02,Renamed,,,2017-09-01,2017-12-01,,"]));
    expect(published.stderr).toContain("(2017-12 is published), and an import without --month would change the milestones of every month");
  });

  it("leaves alone a milestone whose schedule code is its element's own, in the other form", () => {
    // LDM-503-1 belongs to 1.02C.06; the schedule writes 02C.06, which wbsLeading makes the same element.
    const run = importOf(
      lsstWithPrefix(),
      exportFile([
        "LDM-503-1,TK_NotStart,LSST ME 18-02.02C.06,Test report: Science Platform with WISE data in PDAC,,,2017-09-01,2017-11-30,,",
      ]),
      "--month",
      "2018-02",
      "--partial",
    );
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain("milestones.yaml: 0 added, 0 updated, 1 unchanged");
  });

  it("takes a month's export again in place of the first: what only the first added or ended is undone", () => {
    const source = exampleCopy("minimal");
    expect(importOf(source, kestrel(), "--month", "2026-11").status).toBe(0);
    const november = readFileSync(join(source, "milestones.yaml"), "utf8");
    // December's first export: a new milestone, one dropped.
    const first = importOf(
      source,
      kestrel({}, ["KSW-M-8,TK_NotStart,4.2,A milestone the export had by mistake,,,2026-09-01,2026-12-20,,"], ["KSW-M-7"]),
      "--month",
      "2026-12",
    );
    expect(first.status, first.stderr).toBe(0);
    const firstRegister = readFileSync(join(source, "milestones.yaml"), "utf8");
    expect(firstRegister).toContain("id: KSW-M-8,");
    expect(firstRegister).toContain("until: 2026-11 }");
    // The corrected one: as November's. The register is November's again, byte for byte.
    const again = importOf(source, kestrel(), "--month", "2026-12");
    expect(again.status, again.stderr).toBe(0);
    expect(readFileSync(join(source, "milestones.yaml"), "utf8")).toBe(november);
  });

  it("edits registers written as a flow list, with trailing commas, aliases, CRLF and a byte order mark, and keeps them valid", () => {
    const registers: Record<string, string> = {
      "a flow list": `milestones: [ { id: A2330, title: First fringes with the new correlator, level: 1, wbs: "4.2", due: 2026-10-15 },\n  { id: CAMM6995, title: Scheduler dry run, level: 2, wbs: "4.1.2", due: 2026-09-30 },\n  { id: KSW-M-7, title: Pointing model v2 in operations, level: 2, wbs: "4.1.1", due: 2026-12-01 } ]\n`,
      "trailing commas": `milestones:\n  - { id: A2330, title: First fringes with the new correlator, level: 1, wbs: "4.2", due: 2026-10-15, }\n  - { id: CAMM6995, title: Scheduler dry run, level: 2, wbs: "4.1.2", due: 2026-09-30, }\n  - { id: KSW-M-7, title: Pointing model v2 in operations, level: 2, wbs: "4.1.1", due: 2026-12-01, }\n`,
      aliases: `milestones:\n  - { id: A2330, title: First fringes with the new correlator, level: &one 1, wbs: "4.2", due: 2026-10-15, note: &n Kept by hand }\n  - { id: CAMM6995, title: Scheduler dry run, level: 2, wbs: "4.1.2", due: 2026-09-30 }\n  - { id: KSW-M-7, title: Pointing model v2 in operations, level: 2, wbs: "4.1.1", due: 2026-12-01, note: *n }\n`,
      "a comment inside a flow map": `milestones:\n  - { id: A2330, title: First fringes with the new correlator, level: 1, wbs: "4.2", due: 2026-10-15 }\n  - { id: CAMM6995, title: Scheduler dry run, level: 2, wbs: "4.1.2", due: 2026-09-30 }\n  - { id: KSW-M-7, title: Pointing model v2 in operations, level: 2, wbs: "4.1.1",\n      due: 2026-12-01 # the baseline date\n    }\n`,
      "CRLF and a byte order mark": `\uFEFFmilestones:\r\n  - { id: A2330, title: First fringes with the new correlator, level: 1, wbs: "4.2", due: 2026-10-15 }\r\n  - { id: CAMM6995, title: Scheduler dry run, level: 2, wbs: "4.1.2", due: 2026-09-30 }\r\n  - { id: KSW-M-7, title: Pointing model v2 in operations, level: 2, wbs: "4.1.1", due: 2026-12-01 }\r\n`,
    };
    for (const [what, text] of Object.entries(registers)) {
      const source = exampleCopy("minimal");
      writeFileSync(join(source, "milestones.yaml"), text);
      // November: KSW-M-7 renamed, A2330 dropped, a new one.
      const run = importOf(
        source,
        kestrel(
          { "KSW-M-7": "Pointing model v3 in operations" },
          ["KSW-M-9,TK_NotStart,4.1.1,Pointing model v4,,,2026-09-01,2027-02-01,,"],
          ["A2330"],
        ),
        "--month",
        "2026-11",
        "--partial",
      );
      expect(run.status, `${what}: ${run.stderr}`).toBe(0);
      const after = readFileSync(join(source, "milestones.yaml"), "utf8");
      const linted = runCli(["lint"], source);
      expect(linted.stdout, what).not.toContain("milestones.yaml");
      const entries = (parse(after.replace(/^\uFEFF/, ""), { schema: "core" }) as { milestones: Record<string, unknown>[] }).milestones;
      expect(
        entries.map((entry) => [entry.id, entry.title, entry.from, entry.until, entry.note]),
        what,
      ).toEqual(
        expect.arrayContaining([
          ["KSW-M-7", "Pointing model v2 in operations", undefined, "2026-10", what === "aliases" ? "Kept by hand" : undefined],
          ["KSW-M-7", "Pointing model v3 in operations", "2026-11", undefined, what === "aliases" ? "Kept by hand" : undefined],
          ["KSW-M-9", "Pointing model v4", "2026-11", undefined, undefined],
        ]),
      );
      if (what.startsWith("CRLF")) {
        expect(after.startsWith("\uFEFFmilestones:\r\n"), what).toBe(true);
        expect(after.replace(/\r\n/g, "").includes("\n"), what).toBe(false);
      }
    }
  });
});

describe("an edit of the register's text", () => {
  it("is written only when it reads back as the entries meant", async () => {
    const { unfaithful } = await import("../src/schedule/register-update.js");
    const { parseDocument, isSeq, YAMLMap } = await import("yaml");
    const text = "milestones:\n  - { id: A-1, due: 2026-10-15 # the baseline date\n    }\n";
    const document = parseDocument(text, { schema: "core" });
    const list = document.get("milestones", true);
    const item = (isSeq(list) ? list.items[0] : undefined) as InstanceType<typeof YAMLMap>;
    const operations = [{ kind: "until" as const, item, month: "2026-10" }];
    // The `until` written into the comment, as a naive edit would: read back, it is not there.
    expect(
      unfaithful("milestones:\n  - { id: A-1, due: 2026-10-15 # the baseline date, until: 2026-10\n    }\n", document, operations),
    ).toBe("an edit would not say what it means in this layout");
    expect(
      unfaithful("milestones:\n  - { id: A-1, due: 2026-10-15, until: 2026-10 # the baseline date\n    }\n", document, operations),
    ).toBeUndefined();
    expect(unfaithful("milestones:\n  - { id: A-1, due: 2026-10-15 }\n  - x: [\n", document, operations)).toMatch(
      /^Flow sequence|^Unexpected|^[A-Z]/,
    );
  });
});
