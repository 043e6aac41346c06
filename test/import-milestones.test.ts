// import-milestones: a Primavera-shaped export into the register, keeping local annotations.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { scheduleDate } from "../src/cycle/import-milestones.js";
import { exampleCopy, runCli, tempFolder } from "./helpers.js";

const HEADER = "task_code,status_code,wbs_id,task_name,pred_list,succ_list,start_date,base_end_date,act_end_date,delete_record_flag";
const DISPLAY = "Activity ID,Activity Status,WBS Code,Activity Name,Predecessors,Successors,Start,BL Project Finish,Actual Finish,Delete This Row";

function exportFile(rows: string[]): string {
  const path = join(tempFolder(), "p6.csv");
  writeFileSync(path, `\uFEFF${[HEADER, DISPLAY, ...rows].join("\r\n")}\r\n`);
  return path;
}

/** The LSST example, whose config reads the project's P6 exports (prefix `LSST ME|BL YY-MM.`). */
function lsstWithPrefix(): string {
  return exampleCopy("lsst-dm");
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
    for (const text of ["2/30/2021", "13/45/2018", "31-Foo-21", "2021-13-01", "BL Project Finish", ""]) expect(scheduleDate(text), text).toBeUndefined();
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
        .concat('  - { id: DM-DRP-40, title: "Deblender, multi-band at scale", wbs: 02C.04.05, due: 2018-06-16, predecessors: [ DM-DRP-18 ] }\n'),
    );
    expect(runCli(["lint", "--quiet"], source).status).toBe(0);
  });

  it("keeps local notes and levels when a newer export is imported", () => {
    const source = lsstWithPrefix();
    const register = join(source, "milestones.yaml");
    writeFileSync(register, readFileSync(register, "utf8").replace("title: Global photometric fitting, level: 3,", "title: Global photometric fitting, level: 3, note: FGCM owns this,"));
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
    expect(run.stderr).toContain("the export has no column `task_code` or `Activity ID` for the milestone id (milestones.import.columns.id in dmreport.yaml); its columns are: Activity, Finish [import-csv]");
    expect(run.stderr).toContain("the register was not changed");
    expect(run.status).toBe(1);
    expect(readFileSync(join(source, "milestones.yaml"), "utf8")).toBe(before);
  });
});
