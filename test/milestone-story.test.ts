// One milestone story for every command: the report, lint, status, the dashboard, the action's
// summary and the language server's hover give the same milestones the same state, and owe the
// same ones, on the example and on a 400-row schedule export.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runAction } from "../src/action/index.js";
import { build } from "../src/build.js";
import { endOfMonth } from "../src/core/calendar.js";
import { monthStatus } from "../src/monthly/status.js";
import { lint } from "../src/lint.js";
import { knowledgeOf, stateBefore } from "../src/lsp/knowledge.js";
import { ParseMemo } from "../src/load/memo.js";
import { summaryCounts } from "../src/merge/milestones.js";
import { exampleCopy, runCli, tempFolder } from "./helpers.js";
import { p6Csv, syntheticSchedule } from "./schedule-fixtures.js";

const MONTH = "2018-01";

/** What each command says of the month's milestones. */
async function storiesOf(source: string) {
  const built = await build({ source, month: MONTH, formats: ["md"], write: false });
  expect(built.diagnostics.filter((found) => found.severity === "error")).toEqual([]);
  const lines = built.tree!.milestoneSummary.flatMap((group) => group.areas.flatMap((area) => area.milestones));
  const end = endOfMonth(MONTH);
  const report = {
    owed: lines
      .filter((line) => line.carried && line.due <= end)
      .flatMap((line) => line.ids)
      .sort(),
    states: new Map(lines.flatMap((line) => line.ids.map((id) => [id, line.status] as const))),
    counts: summaryCounts(built.tree!.milestoneSummary),
  };
  const linted = lint({ cwd: source, today: "2026-11-30" }).sources[0]!.diagnostics;
  const lintOwed = linted
    .filter((found) => found.rule === "milestone-owed" && found.file.startsWith(`months/${MONTH}`))
    .map((found) => /milestone `([^`]+)`/.exec(found.message)![1]!)
    .sort();
  const statusOwed = monthStatus(source, MONTH)
    .status!.milestones.map((milestone) => milestone.id)
    .sort();
  // The dashboard's register table at the latest month: each milestone's state.
  const out = tempFolder();
  expect(runCli(["build", "--all", "--format", "html", "--out", out], source).status).toBe(0);
  const dashboard = new Map(
    [
      ...readFileSync(join(out, "milestones.html"), "utf8").matchAll(
        /<span class="milestone-id">([^<]+)<\/span>.*?<span class="badge ([a-z-]+)">/g,
      ),
    ].map((match) => [match[1]!.replace(/&amp;/g, "&"), match[2]!]),
  );
  const action = await runAction({ command: "build", source, month: MONTH, allMonths: "false", formats: "md", out: tempFolder() }, source);
  // The hover in the month after: what the January report says of each owed milestone.
  const knowledge = knowledgeOf(source, new Map(), new ParseMemo());
  const hover = new Map(
    report.owed.map((id) => [id, stateBefore(knowledge, "2018-02", id, new Map(), new ParseMemo(), undefined)?.state.state]),
  );
  return { report, lintOwed, statusOwed, dashboard, action, hover };
}

async function expectOneStory(source: string) {
  const { report, lintOwed, statusOwed, dashboard, action, hover } = await storiesOf(source);
  expect(lintOwed, "lint owes what the report carries").toEqual(report.owed);
  expect(statusOwed, "status owes what the report carries").toEqual(report.owed);
  for (const [id, state] of report.states) expect(dashboard.get(id), `the dashboard's state of ${id}`).toBe(state);
  for (const id of report.owed) expect(hover.get(id), `the hover's state of ${id}`).toBe("delayed");
  expect({ completed: action.outputs.completed, delayed: action.outputs.delayed, "at-risk": action.outputs["at-risk"] }).toEqual({
    completed: String(report.counts.completed ?? 0),
    delayed: String(report.counts.delayed ?? 0),
    "at-risk": String(report.counts["at-risk"] ?? 0),
  });
  return report;
}

describe("one milestone story", () => {
  it("is told alike by every command on the example", async () => {
    const report = await expectOneStory(exampleCopy("lsst-dm"));
    // The milestone January's leads owed and did not report.
    expect(report.owed).toEqual(["DLP-808"]);
  }, 60_000);

  it("is told alike by every command after a 400-row schedule export, which owes nothing it completed", async () => {
    const source = exampleCopy("lsst-dm");
    // The example's own milestones left as the register has them: its January fragments report them there.
    const schedule = syntheticSchedule(424, 0).slice(4);
    const path = join(tempFolder(), "p6-2018-01.csv");
    writeFileSync(path, p6Csv(schedule, "LSST ME 18-01."));
    const imported = runCli(["import-milestones", path, "--month", MONTH], source);
    expect(imported.status, imported.stderr).toBe(0);
    const report = await expectOneStory(source);
    // Completed in the export (one in 2014): never owed, whoever counts.
    const completed = schedule.filter((milestone) => milestone.completed).map((milestone) => milestone.id);
    expect(completed.length).toBeGreaterThan(5);
    expect(report.owed.filter((id) => completed.includes(id))).toEqual([]);
    // The export's forecast of a past-due milestone settles nothing: its lead still owes a status.
    expect(report.owed.filter((id) => schedule.some((milestone) => milestone.id === id)).length).toBeGreaterThan(10);
  }, 120_000);
});

describe("a split element's own milestones and text", () => {
  it("are in the report, its summary and its charts, and new gives the element a fragment to report them", async () => {
    const source = exampleCopy("lsst-dm");
    // Science and Architecture (1.02C.02) is split: its children are chapters. It owns two
    // milestones itself, as a subsystem's own level does in a schedule export.
    const register = join(source, "milestones.yaml");
    writeFileSync(
      register,
      readFileSync(register, "utf8") +
        "  - { id: SA-1, title: Architecture review held, level: 3, wbs: 1.02C.02, due: 2018-01-10, from: 2018-01 }\n" +
        "  - { id: SA-2, title: Architecture baseline signed, level: 3, wbs: 1.02C.02, due: 2018-01-24, from: 2018-01 }\n",
    );
    writeFileSync(
      join(source, "months/2018-01/02C.02.md"),
      "---\nwbs: 1.02C.02\nmonth: 2018-01\nmilestones:\n  - { id: SA-1, status: completed, completed: 2018-01-09 }\n---\n\n## Accomplishments this month\n\nThe architecture review met in Tucson.\n",
    );
    const report = await expectOneStory(source);
    // SA-2 is owed: the report carries it as delayed, as lint and status say.
    expect(report.owed).toEqual(["DLP-808", "SA-2"]);
    expect(report.states.get("SA-1")).toBe("completed");
    const out = tempFolder();
    const built = runCli(["build", "--month", MONTH, "--format", "md", "--out", out], source);
    expect(built.status, built.stderr).toBe(0);
    const markdown = readFileSync(join(out, `lsst-dm-monthly-${MONTH}.md`), "utf8");
    // Each milestone in an area named for the split element, before its chapters' areas.
    const completed = markdown.slice(markdown.indexOf("Milestones Completed"), markdown.indexOf("Milestones Delayed"));
    expect(completed).toMatch(/Science and Architecture[\s\S]*SA-1[\s\S]*Data Management Science|Science and Architecture[\s\S]*SA-1/);
    const delayed = markdown.slice(markdown.indexOf("Milestones Delayed"));
    expect(delayed.indexOf("SA-2")).toBeGreaterThan(delayed.indexOf("Science and Architecture"));
    // Its text is a chapter of its own, before its chapters.
    const progress = markdown.slice(markdown.indexOf("Detailed Project Progress"));
    expect(progress).toContain("The architecture review met in Tucson.");
    expect(progress.indexOf("The architecture review met in Tucson.")).toBeLessThan(progress.indexOf("Data Management Science"));
    expect(progress.indexOf("Science and Architecture")).toBeLessThan(progress.indexOf("The architecture review met in Tucson."));

    // February: SA-2 is still owed, and new gives 02C.02 a fragment that lists it.
    const created = runCli(["new", "--month", "2018-02"], source);
    expect(created.status, created.stderr).toBe(0);
    const fragment = readFileSync(join(source, "months/2018-02/1.02C.02.md"), "utf8");
    expect(fragment).toContain("#   - id: SA-2  # Architecture baseline signed, due 2018-01-24, never reported");
  }, 120_000);
});
