// import: Markdown reports back into sources, and round trips through build.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildTree } from "../src/import/tree.js";
import { exampleCopy, REPO, runCli, tempFolder } from "./helpers.js";

const similarity = join(REPO, "..", "shared", "acceptance", "similarity.mjs");
const reference = join(REPO, "..", "shared", "reference", "lsst-dm-monthly-2017-12.md");

function roundTrip(example: string, month: string, name: string): { original: string; rebuilt: string; source: string } {
  const work = tempFolder();
  expect(runCli(["build", join(REPO, "examples", example), "--month", month, "--format", "md", "--out", join(work, "a")]).status).toBe(0);
  const imported = runCli(["import", join(work, "a", `${name}.md`), "--month", month, "--into", join(work, "source")]);
  expect(imported.stderr).toBe("");
  expect(imported.status).toBe(0);
  const rebuilt = runCli(["build", join(work, "source"), "--month", month, "--format", "md", "--out", join(work, "b")]);
  expect(rebuilt.status).toBe(0);
  return {
    original: readFileSync(join(work, "a", `${name}.md`), "utf8"),
    rebuilt: readFileSync(join(work, "b", `report-${month}.md`), "utf8"),
    source: join(work, "source"),
  };
}

describe("dmreport import of dmreport's own output", () => {
  it("gives back the same December 2017 report", () => {
    const { original, rebuilt } = roundTrip("lsst-dm", "2017-12", "lsst-dm-monthly-2017-12");
    expect(rebuilt).toBe(original);
  });

  it("gives back the same reports of a project with its own sections, sub-headings and two months", () => {
    // Both months imported into one source, so that October knows what changed since September;
    // October first, since it has every section and part.
    const work = tempFolder();
    const months = ["2026-10", "2026-09"];
    for (const month of months) {
      expect(
        runCli(["build", join(REPO, "examples", "minimal"), "--month", month, "--format", "md", "--out", join(work, "a")]).status,
      ).toBe(0);
      const imported = runCli(["import", join(work, "a", `kestrel-${month}.md`), "--month", month, "--into", join(work, "source")]);
      expect(imported.stderr).toBe("");
      expect(imported.status).toBe(0);
    }
    for (const month of months) {
      expect(runCli(["build", join(work, "source"), "--month", month, "--format", "md", "--out", join(work, "b")]).status).toBe(0);
      expect(readFileSync(join(work, "b", `report-${month}.md`), "utf8")).toBe(
        readFileSync(join(work, "a", `kestrel-${month}.md`), "utf8"),
      );
    }
  });
});

describe("dmreport import of a report that leaves silent elements out", () => {
  it("rebuilds without placeholder lines for them", () => {
    // December 2017 with its two placeholder blocks left out, as many real reports do.
    const work = tempFolder();
    const december = readFileSync(join(REPO, "test", "golden", "lsst-dm-monthly-2017-12.md"), "utf8");
    const silent = december.replace(
      /#### [^\n]+\n\n(?:No work planned\.|No work was performed under this WBS element during this month\.)\n\n/g,
      "",
    );
    expect(december.length - silent.length).toBeGreaterThan(100);
    writeFileSync(join(work, "silent.md"), silent);
    const imported = runCli(["import", join(work, "silent.md"), "--month", "2017-12", "--into", join(work, "source")]);
    expect(imported.status).toBe(0);
    expect(readFileSync(join(work, "source", "dmreport.yaml"), "utf8")).not.toContain("placeholder:");
    expect(runCli(["build", join(work, "source"), "--month", "2017-12", "--format", "md", "--out", join(work, "out")]).status).toBe(0);
    expect(readFileSync(join(work, "out", "report-2017-12.md"), "utf8")).toBe(silent);
  });
});

describe.runIf(existsSync(reference))("dmreport import of the real December 2017 report", () => {
  it("builds back to the reference with recall and precision of at least 0.98, and lints without errors", () => {
    const work = tempFolder();
    const imported = runCli(["import", reference, "--month", "2017-12", "--into", join(work, "source")]);
    expect(imported.status).toBe(0);
    // The one place the reference leaves unclear is said, with its line.
    expect(imported.stderr.replace(/^.*lsst-dm-monthly-2017-12\.md:/, "")).toBe(
      "807:1: warning: 02C.08.01 has no section heading above it in 1.02C.08: it is placed under Current accomplishments [import-guess]\n1 warning\n",
    );
    const build = runCli(["build", join(work, "source"), "--month", "2017-12", "--format", "md", "--out", join(work, "out")]);
    expect(build.status).toBe(0);
    const scored = spawnSync(process.execPath, [similarity, join(work, "out", "report-2017-12.md"), reference], {
      encoding: "utf8",
    }).stdout;
    const [, recall, precision] = /similarity: recall=([\d.]+) precision=([\d.]+)/.exec(scored)!;
    expect(Number(recall)).toBeGreaterThanOrEqual(0.98);
    expect(Number(precision)).toBeGreaterThanOrEqual(0.98);
    // What remains is what the reference itself lacks: completion dates and forecasts.
    const lint = JSON.parse(runCli(["lint", "--format", "json"], join(work, "source")).stdout);
    expect(lint.summary.errors).toBe(0);
    expect([...new Set(lint.diagnostics.map((d: { rule: string }) => d.rule))].sort()).toEqual([
      "milestone-completed-date",
      "milestone-delayed-forecast",
    ]);
    // The irregular headings come out as one tree: italic codes, missing dashes, mixed levels.
    const wbs = readFileSync(join(work, "source", "wbs.yaml"), "utf8");
    expect(wbs).toContain("      - code: 02C.08.03.01\n            title: Chile National WAN".replace("      - code", "          - code"));
    expect(wbs).toContain("  - code: SIT\n    title: System Integration & Test\n    progress: false\n");
  });
});

describe("dmreport import", () => {
  it("adds a month to an existing source, reusing its WBS tree and register", () => {
    const work = tempFolder();
    runCli(["build", join(REPO, "examples", "minimal"), "--month", "2026-10", "--format", "md", "--out", work]);
    const source = exampleCopy("minimal");
    rmSync(join(source, "months", "2026-10"), { recursive: true });
    const before = readFileSync(join(source, "wbs.yaml"), "utf8");
    const run = runCli(["import", join(work, "kestrel-2026-10.md"), "--month", "2026-10", "--into", source]);
    expect(run.stderr).toBe("");
    expect(
      run.stdout
        .split("\n")
        .filter((line) => line.startsWith("created"))
        .sort(),
    ).toEqual([
      "created months/2026-10/4.1.1.md",
      "created months/2026-10/4.1.2.md",
      "created months/2026-10/4.2.md",
      "created months/2026-10/summary.md",
    ]);
    expect(readFileSync(join(source, "wbs.yaml"), "utf8")).toBe(before);
    // The completion date, which the summary lines do not print, comes back from "Changes since": it lints clean.
    const lint = JSON.parse(runCli(["lint", "--format", "json"], source).stdout);
    expect(lint.diagnostics.map((d: { file: string; rule: string }) => `${d.file} ${d.rule}`)).toEqual([]);
    expect(readFileSync(join(source, "months/2026-10/4.2.md"), "utf8")).toContain("completed: 2026-10-14");
    const again = runCli(["import", join(work, "kestrel-2026-10.md"), "--month", "2026-10", "--into", source]);
    expect(again.stderr).toContain("exists already: import adds a month, it never writes over one");
    expect(again.status).toBe(2);
  });

  it("adds a month whose report had other sections and parts with the structure it had, dated to that month", () => {
    const work = tempFolder();
    runCli(["build", join(REPO, "examples", "minimal"), "--month", "2026-10", "--format", "md", "--out", work]);
    // The October report as an older structure wrote it: another section name, another part name.
    const report = join(work, "kestrel-2026-10.md");
    writeFileSync(
      report,
      readFileSync(report, "utf8").replaceAll("### Highlights", "### Progress notes").replace("## Summary", "## Overview"),
    );
    const source = exampleCopy("minimal");
    rmSync(join(source, "months", "2026-10"), { recursive: true });
    const run = runCli(["import", report, "--month", "2026-10", "--into", source]);
    expect(run.status).toBe(0);
    expect(run.stderr.replace(/^.*kestrel-2026-10\.md:/gm, "report:")).toBe(
      [
        "report:1:1: warning: `Overview` is not in this source's parts for 2026-10: it is added to dmreport.yaml for that month alone, as `overview` [import-guess]",
        "report:1:1: warning: `Progress notes` is not in this source's sections for 2026-10: it is added to dmreport.yaml for that month alone, as `progress-notes` [import-guess]",
        "2 warnings",
        "",
      ].join("\n"),
    );
    const config = readFileSync(join(source, "dmreport.yaml"), "utf8");
    expect(config).toContain("  - id: progress-notes\n    title: Progress notes\n    from: 2026-10\n    until: 2026-10\n");
    expect(config).toContain("  - id: overview\n    title: Overview\n    from: 2026-10\n    until: 2026-10\n");
    // The comments of the config are kept.
    expect(config).toContain("# yaml-language-server: $schema=");
    expect(readFileSync(join(source, "months/2026-10/4.1.2.md"), "utf8")).toContain("## Progress notes");
    expect(JSON.parse(runCli(["lint", "--format", "json"], source).stdout).diagnostics).toEqual([]);
    // October builds in its own structure; September as before.
    const out = join(tempFolder(), "out");
    expect(runCli(["build", "--all", "--format", "md", "--out", out], source).status).toBe(0);
    const october = readFileSync(join(out, "kestrel-2026-10.md"), "utf8");
    expect(october).toContain("## Overview");
    expect(october).toContain("### Progress notes");
    expect(readFileSync(join(out, "kestrel-2026-09.md"), "utf8")).toContain("### Highlights");
  });

  it("keeps what it cannot place in a leftover file and lists it", () => {
    const report = join(tempFolder(), "report.md");
    writeFileSync(
      report,
      "# Monthly Report\n\nOctober 2026\n\n## Summary\n\nAll good.\n\n## Milestone Summary\n\n### Milestones Completed\n\nA table we cannot read\n\n# Detailed Project Progress\n\nA stray paragraph.\n\n## 4.1: Telescope Control\n\n### Highlights\n\nDone.\n",
    );
    const source = join(tempFolder(), "imported");
    const run = runCli(["import", report, "--month", "2026-10", "--into", source]);
    expect(run.stderr.split("\n").map((line) => line.replace(/^.*report\.md:/, "report.md:"))).toEqual([
      "report.md:13:1: warning: this text could not be placed (not part of a known section of the report); it is kept in import-leftover-2026-10.md [import-leftover]",
      "report.md:17:1: warning: this text could not be placed (not part of a known section of the report); it is kept in import-leftover-2026-10.md [import-leftover]",
      "2 warnings",
      "",
    ]);
    const leftover = readFileSync(join(source, "import-leftover-2026-10.md"), "utf8");
    expect(leftover).toContain("A table we cannot read");
    expect(leftover).toContain("A stray paragraph.");
    expect(runCli(["build", source, "--format", "md", "--out", join(source, "build")]).status).toBe(0);
  });
});

describe("the areas of an imported Milestone Summary that are no chapter", () => {
  it("take their place among the chapters where the report lists them, with a code made of their initials", () => {
    const chapter = (code: string, title: string) => ({ code, title, sections: [] });
    const report = {
      parts: [],
      milestones: [],
      chapters: [chapter("1.01", "Data Pipeline"), chapter("1.02", "Telescope Control")],
      leftovers: [],
      notes: [],
      linkPrefixes: new Map(),
      areas: [
        "Systems Engineering",
        "Data Pipeline",
        "System Integration & Test",
        "Telescope Control",
        "Safety",
        "Site & Test",
        "Управление проектом",
        "Разработка",
        "???",
        "Télémétrie Système",
        "4",
      ],
    } as unknown as Parameters<typeof buildTree>[0];
    // Areas in other scripts, or of punctuation alone, stay apart: no letter of theirs makes a code, a number.
    expect(buildTree(report).roots.map((root) => `${root.code} ${root.title}`)).toEqual([
      "SE Systems Engineering",
      "1.01 Data Pipeline",
      "SIT System Integration & Test",
      "1.02 Telescope Control",
      "S Safety",
      "ST Site & Test",
      "AREA1 Управление проектом",
      "AREA2 Разработка",
      "AREA3 ???",
      "TS Télémétrie Système",
      "AREA4 4",
    ]);
  });
});
