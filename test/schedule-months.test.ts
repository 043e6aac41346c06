// Month two and after on real schedule data: a subsystem's exports imported month after month,
// each as a different tool writes it, into a copy of examples/lsst-dm with December 2017
// published. After each import every earlier month's outputs are what they were, byte for byte.
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { exampleCopy, runCli, tempFolder } from "./helpers.js";
import { baselineCsv, dayAfter, mspdi, p6Csv, syntheticSchedule, xer, type SyntheticMilestone } from "./schedule-fixtures.js";

const ROWS = 420;

/** Every file an --all build writes for the months of the example, by name, with its bytes. */
function builtMonths(source: string): Map<string, string> {
  const out = tempFolder();
  const run = runCli(["build", "--all", "--format", "md,html,print", "--out", out], source);
  expect(run.status, run.stderr).toBe(0);
  return new Map(
    readdirSync(out)
      .filter((name) => /^lsst-dm-monthly-\d{4}-\d{2}\./.test(name))
      .map((name) => [name, readFileSync(join(out, name), "utf8")]),
  );
}

interface RegisterEntry {
  id: string;
  wbs: string;
  scheduleWbs?: string;
  level?: number;
  due: string;
  from?: string;
  until?: string;
}

const registerOf = (source: string) =>
  (parse(readFileSync(join(source, "milestones.yaml"), "utf8")) as { milestones: RegisterEntry[] }).milestones;

describe("a subsystem's schedule, month after month", () => {
  it("changes no earlier month, whatever each month's export is, and gives every row under the subsystem a home", () => {
    const source = exampleCopy("lsst-dm");
    // Two tools' exports besides P6's own: a baseline export under another prefix, and MS Project with the id in a custom field.
    const config = readFileSync(join(source, "dmreport.yaml"), "utf8").replace(
      '    wbsMap: { "02C.00": 1.02C.01 }\n',
      `    wbsMap: { "02C.00": 1.02C.01 }
    profiles:
      baseline: { match: "*-baseline.csv", baseline: true, wbsPrefix: 'DMBL-\\d{4}/' }
      project: { match: "*.xml", columns: { id: Milestone ID } }
`,
    );
    writeFileSync(join(source, "dmreport.yaml"), config);
    const before = builtMonths(source);
    expect([...before.keys()].sort()).toEqual([
      "lsst-dm-monthly-2017-12.html",
      "lsst-dm-monthly-2017-12.md",
      "lsst-dm-monthly-2017-12.print.html",
      "lsst-dm-monthly-2018-01.html",
      "lsst-dm-monthly-2018-01.md",
      "lsst-dm-monthly-2018-01.print.html",
    ]);

    const folder = tempFolder();
    const months: [string, string, string, (schedule: SyntheticMilestone[]) => string][] = [
      ["2018-02", "p6-2018-02.csv", "P6 CSV with baseline and actual finish", (schedule) => p6Csv(schedule, "LSST ME 18-02.")],
      [
        "2018-03",
        "p6-2018-03-baseline.csv",
        "a baseline export, finish only, another prefix",
        (schedule) => baselineCsv(schedule, "DMBL-2018/"),
      ],
      ["2018-04", "LSST-2018-04.xer", "P6's XER", (schedule) => xer(schedule, "LSST ME 18-04")],
      ["2018-05", "msproject-2018-05.xml", "MS Project XML", (schedule) => mspdi(schedule)],
    ];
    let previousRegister = readFileSync(join(source, "milestones.yaml"), "utf8");
    months.forEach(([month, file, what, write], step) => {
      // Each month the schedule moves on: forecasts slip, two milestones leave it, two join it.
      const schedule = syntheticSchedule(ROWS + step * 2, step).filter(
        (_, i) => !(step > 0 && i >= 10 && i < 10 + step * 2 && i % 2 === 1),
      );
      writeFileSync(join(folder, file), write(schedule));
      const run = runCli(["import-milestones", join(folder, file), "--month", month], source);
      expect(run.status, `${what}: ${run.stderr}`).toBe(0);
      // Every row is a milestone (an MSPDI file's summary task is none, and no warning).
      expect(run.stderr, what).toBe("");
      expect(run.stdout, what).toMatch(
        new RegExp(
          `^milestones\\.yaml: \\d+ added, \\d+ updated, \\d+ unchanged.*\\nschedule/${month}\\.yaml: \\d+ milestones of the export kept for ${month}\\n$`,
        ),
      );
      // No earlier month changed: both built months, in every text format, byte for byte.
      const after = builtMonths(source);
      for (const [name, text] of before) expect(after.get(name), `${name} after the ${month} import (${what})`).toBe(text);

      // Every row under the subsystem reaches the register: its own level (02C.00) included.
      const register = registerOf(source);
      const inForce = new Map(
        register.filter((entry) => (entry.from ?? "") <= month && (entry.until ?? "9999") >= month).map((entry) => [entry.id, entry]),
      );
      const reached = schedule.filter((milestone) => inForce.has(milestone.id));
      expect(reached.length / schedule.length, what).toBeGreaterThanOrEqual(0.95);
      const subsystem = schedule.filter((milestone) => milestone.code.startsWith("02C.00"));
      expect(subsystem.length / schedule.length).toBeGreaterThanOrEqual(0.2);
      expect(subsystem.filter((milestone) => inForce.get(milestone.id)?.wbs === "1.02C.01").length, what).toBe(subsystem.length);
      // Where the December report lists its Level 2 milestones: Level 2, at the head of the summary.
      expect(inForce.get("LDM-503-1"), what).toMatchObject({ level: 2, wbs: "1.02C.01" });

      // The diff of one import is what changed: no entry of an earlier month is rewritten but to end it.
      const text = readFileSync(join(source, "milestones.yaml"), "utf8");
      const lines = new Set(text.split("\n"));
      const ended = `until: ${["2018-01", "2018-02", "2018-03", "2018-04"][step]}`;
      for (const line of previousRegister.split("\n").filter((old) => !lines.has(old)))
        expect(lines.has(line.replace(/ \}$/, `, ${ended} }`)), `${month}: only ended, never rewritten: ${line}`).toBe(true);
      previousRegister = text;
    });

    // What the months after December and January see: each month's own facts.
    const register = registerOf(source);
    const versions = register.filter((entry) => entry.id === "LDM-503-1");
    expect(versions.map(({ wbs, from, until }) => ({ wbs, from, until }))).toEqual([
      { wbs: "1.02C.06", from: undefined, until: "2018-01" },
      { wbs: "1.02C.01", from: "2018-02", until: undefined },
    ]);
    // Dropped from the schedule in March: ended in February, and said so.
    const dropped = syntheticSchedule(ROWS, 0)[11]!;
    expect(register.filter((entry) => entry.id === dropped.id).map(({ from, until }) => ({ from, until }))).toEqual([
      { from: "2018-02", until: "2018-02" },
    ]);
    // The baseline export set due dates, the XER the levels of its activity code; snapshots for each month.
    expect(readdirSync(join(source, "schedule")).sort()).toEqual(["2018-02.yaml", "2018-03.yaml", "2018-04.yaml", "2018-05.yaml"]);
    expect(readFileSync(join(source, "schedule", "2018-04.yaml"), "utf8")).toContain(`- { id: ${syntheticSchedule(ROWS, 3)[5]!.id}, wbs: `);
    expect(dayAfter("2018-01-31", 1)).toBe("2018-02-01");
  }, 240_000);
});
