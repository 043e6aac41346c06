// The structure in force by month (src/core/structure.ts): WBS elements, sections, parts and the
// register's milestones dated with `from` and `until`, each month checked and built against its own.
import { cpSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { build } from "../src/build.js";
import { lint } from "../src/lint.js";
import { loadSource } from "../src/load/index.js";
import { mergeReport } from "../src/merge/index.js";
import { validateSource } from "../src/validate/index.js";
import { milestonesAt } from "../src/core/structure.js";
import { edit, exampleCopy, REPO, runCli, tempFolder } from "./helpers.js";

async function markdown(source: string, month: string): Promise<string> {
  const result = await build({ source, month, formats: ["md"], write: false });
  expect(result.diagnostics.filter((found) => found.severity === "error")).toEqual([]);
  return String(result.rendered.find((file) => file.format === "md")!.content);
}

function messages(source: string): string[] {
  return lint({ cwd: source, today: "2026-11-25" })
    .sources[0]!.diagnostics.filter((found) => found.severity === "error")
    .map((found) => `${found.file}:${found.line} ${found.rule}: ${found.message}`);
}

describe("the structure in force by month", () => {
  it("puts a WBS element in the months from its first to its last, and names the months when a fragment is outside them", async () => {
    const source = exampleCopy("minimal");
    edit(source, "wbs.yaml", (text) =>
      text.replace(
        '{ code: "4.1.2", title: Scheduler }',
        '{ code: "4.1.2", title: Scheduler, until: 2026-09 }\n      - { code: "4.1.3", title: Scheduler Operations, from: 2026-10, replaces: "4.1.2" }',
      ),
    );
    expect(messages(source)).toEqual([
      "months/2026-10/4.1.2.md:2 wbs-not-in-force: WBS element `4.1.2` is in force until 2026-09, not in 2026-10: `4.1.3` replaces it from 2026-10",
    ]);
    edit(source, "months/2026-10/4.1.2.md", (text) => text.replace('wbs: "4.1.2"', 'wbs: "4.1.3"'));
    expect(messages(source)).toEqual([]);
    const september = await markdown(source, "2026-09");
    const october = await markdown(source, "2026-10");
    // The last month in force, and the first.
    expect(september).toContain("4.1.2 – Scheduler");
    expect(september).not.toContain("4.1.3");
    expect(october).toContain("4.1.3 – Scheduler Operations");
    expect(october).not.toContain("4.1.2 – Scheduler");
    // CAMM6995 belongs to 4.1.2 in the register; in October its status is reported by 4.1.3, which replaces it.
    expect(october).toMatch(/CAMM6995/);
  });

  it("renames a section from a month on, keeping its text, and says what it is called now", async () => {
    const source = exampleCopy("minimal");
    edit(source, "dmreport.yaml", (text) =>
      text.replace(
        "  - id: highlights\n    title: Highlights\n",
        "  - id: highlights\n    title: Highlights\n    until: 2026-09\n  - id: highlights\n    title: Achievements\n    from: 2026-10\n",
      ),
    );
    expect(messages(source)).toEqual([
      "months/2026-10/4.1.1.md:9 fragment-unknown-section: section `Highlights` is in force until 2026-09, not in 2026-10: it is called `Achievements` now",
      "months/2026-10/4.1.2.md:11 fragment-unknown-section: section `Highlights` is in force until 2026-09, not in 2026-10: it is called `Achievements` now",
      "months/2026-10/4.2.md:11 fragment-unknown-section: section `Highlights` is in force until 2026-09, not in 2026-10: it is called `Achievements` now",
    ]);
    for (const file of ["4.1.1", "4.1.2", "4.2"])
      edit(source, `months/2026-10/${file}.md`, (text) => text.replace("## Highlights", "## Achievements"));
    expect(messages(source)).toEqual([]);
    expect(await markdown(source, "2026-09")).toMatch(/Highlights/);
    const october = await markdown(source, "2026-10");
    expect(october).toMatch(/Achievements/);
    expect(october).not.toMatch(/Highlights/);
    expect(october).toContain("The scheduler now reads wind limits");
  });

  it("restyles from a month on: dated template folders, a published earlier month left as it was", async () => {
    const source = exampleCopy("minimal");
    expect(runCli(["publish", "--month", "2026-09"], source).status).toBe(0);
    mkdirSync(join(source, "templates-2026"));
    cpSync(join(REPO, "templates", "md"), join(source, "templates-2026", "md"), { recursive: true });
    edit(source, "templates-2026/md/report.hbs", (text) => text.replace("**{{monthLabel}}**", "*Report for {{monthLabel}}*"));
    edit(source, "dmreport.yaml", (text) => `${text}templates:\n  - { folder: templates-2026, from: 2026-10 }\n`);
    expect(messages(source)).toEqual([]);
    expect(await markdown(source, "2026-09")).toContain("**September 2026**");
    expect(await markdown(source, "2026-10")).toContain("*Report for October 2026*");
    expect(runCli(["build", "--all", "--format", "md", "--out", join(tempFolder(), "out")], source).status).toBe(0);
    // Two folders for the same month: which one would render it is not clear.
    mkdirSync(join(source, "templates-old"));
    edit(source, "dmreport.yaml", (text) =>
      text.replace(
        "  - { folder: templates-2026, from: 2026-10 }\n",
        "  - { folder: templates-old, until: 2026-10 }\n  - { folder: templates-2026, from: 2026-10 }\n",
      ),
    );
    expect(messages(source)).toEqual([
      "dmreport.yaml:30 config-templates: template folders `templates-old` and `templates-2026` are both in force in some month; give them months that do not overlap (`from`, `until`)",
    ]);
  });

  it("refuses two entries of one section for the same months, and a range that ends before it starts", () => {
    const source = exampleCopy("minimal");
    edit(source, "dmreport.yaml", (text) =>
      text.replace(
        "  - id: highlights\n    title: Highlights\n",
        "  - id: highlights\n    title: Highlights\n    until: 2026-10\n  - id: highlights\n    title: Achievements\n    from: 2026-10\n  - id: later\n    title: Later\n    from: 2026-11\n    until: 2026-10\n",
      ),
    );
    expect(messages(source)).toEqual([
      "dmreport.yaml:10 config-duplicate: section `highlights` is listed twice for the same months (until 2026-10, and from 2026-10); give the two entries months that do not overlap",
      "dmreport.yaml:16 structure-range: `until: 2026-10` comes before `from: 2026-11`, so this entry is in force in no month; correct one of the two",
    ]);
  });

  it("retires a part and a milestone, and adds a milestone, each at its edge month", async () => {
    const source = exampleCopy("minimal");
    edit(source, "dmreport.yaml", (text) =>
      text.replace("  - id: summary\n    title: Summary\n", "  - id: summary\n    title: Summary\n    until: 2026-09\n"),
    );
    expect(messages(source)).toEqual([
      "months/2026-10/summary.md:2 part-unknown: report part `summary` is in force until 2026-09, not in 2026-10",
    ]);
    edit(source, "dmreport.yaml", (text) => text.replace("    until: 2026-09\n", "    from: 2026-10\n"));
    expect(messages(source)).toEqual([]);

    // A rebaseline takes CAMM6995 out of the register after September; KSW-M-7 comes in from October.
    edit(source, "milestones.yaml", (text) =>
      text
        .replace("due: 2026-09-30 }", "due: 2026-09-30, until: 2026-09 }")
        .replace('wbs: "4.1.1", due: 2026-12-01 }', 'wbs: "4.1.1", due: 2026-12-01, from: 2026-10 }'),
    );
    expect(messages(source)).toEqual([
      "months/2026-10/4.1.2.md:5 milestone-unknown: milestone `CAMM6995` is in the register until 2026-09, not in 2026-10: it was removed from the register; remove its status here",
    ]);
    edit(source, "months/2026-10/4.1.2.md", (text) => text.replace(/milestones:[\s\S]*?\n---/, "---"));
    expect(messages(source)).toEqual([]);
    const { project } = validateSource(loadSource(source).source, { today: "2026-11-25" });
    expect([...milestonesAt(project!.register, project!.wbs, "2026-09").keys()]).toEqual(["A2330", "CAMM6995"]);
    expect([...milestonesAt(project!.register, project!.wbs, "2026-10").keys()]).toEqual(["A2330", "KSW-M-7"]);
    expect(await markdown(source, "2026-09")).toContain("CAMM6995");
    const october = await markdown(source, "2026-10");
    // Never silently gone: October says it left the register.
    expect(october).toMatch(/Removed from the register[\s\S]*CAMM6995/);
  });

  it("refuses a month where a milestone's work has no element in force", () => {
    const source = exampleCopy("minimal");
    edit(source, "wbs.yaml", (text) =>
      text.replace('{ code: "4.1.2", title: Scheduler }', '{ code: "4.1.2", title: Scheduler, until: 2026-09 }'),
    );
    edit(source, "months/2026-10/4.1.2.md", (text) =>
      text.replace('wbs: "4.1.2"', 'wbs: "4.1.1"').replace(/milestones:[\s\S]*?\n---/, "---"),
    );
    expect(messages(source)).toContain(
      "milestones.yaml:4 milestone-owner-not-in-force: milestone `CAMM6995` belongs to `4.1.2`, which is not in force in 2026-10, and no element in force then replaces it: move the milestone to an element in force, or end it with `until:`",
    );
  });

  it("checks what `replaces` names: an element of the tree that ends before its successor starts", () => {
    const source = exampleCopy("minimal");
    edit(source, "wbs.yaml", (text) =>
      text.replace(
        '{ code: "4.1.2", title: Scheduler }',
        '{ code: "4.1.2", title: Scheduler }\n      - { code: "4.1.3", title: Operations, from: 2026-10, replaces: ["4.1.2", "4.1.9"] }\n      - { code: "4.1.4", title: Other, replaces: "4.1.1" }',
      ),
    );
    expect(messages(source)).toEqual([
      "wbs.yaml:9 wbs-replaces: element `4.1.3` replaces `4.1.2` from 2026-10, so `4.1.2` must end before: give it `until: 2026-09`",
      "wbs.yaml:9 wbs-replaces: element `4.1.3` replaces `4.1.9`, which is not in wbs.yaml: keep the element replaced in the tree, with `until:` its last month",
      "wbs.yaml:10 wbs-replaces: element `4.1.4` replaces another at a re-plan, so it needs `from:`, the first month of the new structure",
    ]);
  });

  it("keeps a re-coded element's milestone history: reported by the old code before the re-plan, its slip counts after", async () => {
    const source = exampleCopy("minimal");
    edit(source, "wbs.yaml", (text) =>
      text.replace(
        '{ code: "4.1.2", title: Scheduler }',
        '{ code: "4.1.2", title: Scheduler, until: 2026-09 }\n      - { code: "4.1.5", title: Scheduler, from: 2026-10, replaces: "4.1.2" }',
      ),
    );
    // The register moves the milestone to the new code; September's fragment (old code) still reports it.
    edit(source, "milestones.yaml", (text) => text.replace('wbs: "4.1.2", due: 2026-09-30', 'wbs: "4.1.5", due: 2026-09-30'));
    edit(source, "months/2026-10/4.1.2.md", (text) => text.replace('wbs: "4.1.2"', 'wbs: "4.1.5"'));
    expect(messages(source)).toEqual([]);
    const { project } = validateSource(loadSource(source, { months: ["2026-10"], history: true }).source, { today: "2026-11-25" });
    expect(project!.wbs.find("4.1.5")!.replaces).toEqual(["4.1.2"]);
    const tree = mergeReport(project!, "2026-10");
    const line = tree.forecastHistory.find((entry) => entry.id === "CAMM6995")!;
    expect(line.points).toEqual([
      { month: "2026-09", forecast: "2026-09-30" },
      { month: "2026-10", forecast: "2026-11-20" },
    ]);
    expect(tree.milestoneChanges!.newlyDelayed).toEqual([
      { id: "CAMM6995", title: "Scheduler dry run", due: "2026-09-30", forecast: "2026-11-20", previousForecast: "2026-09-30", days: 51 },
    ]);
    // The roll-up follows it too: October lists it under the chapter of the element that replaced its owner.
    const { project: september } = validateSource(loadSource(source, { months: ["2026-09"], history: true }).source, {
      today: "2026-11-25",
    });
    expect(milestonesAt(september!.register, september!.wbs, "2026-09").get("CAMM6995")!.wbs).toBe("4.1.2");
    expect(await markdown(source, "2026-10")).toMatch(/Telescope Control[\s\S]*CAMM6995/);
  });

  it("builds the re-planned LSST example: December 2017 as it was, January 2018 in the new structure", async () => {
    const example = join(REPO, "examples", "lsst-dm");
    const january = await markdown(example, "2018-01");
    expect(january).toContain("### Accomplishments this month");
    expect(january).not.toContain("Current accomplishments");
    expect(january).toContain("#### 02C.03.10 – Alert Generation Pipeline");
    expect(january).toContain("#### 02C.03.09 – Alert Production Verification");
    expect(january).not.toContain("02C.03.07");
    expect(january).toMatch(/\*\*Removed from the register\*\*\n\n- \*\*DLP-544\*\*/);
    const december = await markdown(example, "2017-12");
    expect(december).toContain("Current accomplishments");
    expect(december).toContain("02C.03.07 – Transform Fitting on Stacks of Images");
    expect(december).not.toContain("02C.03.10");
  });
});
