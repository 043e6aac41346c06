// build --all: every month and an index, rebuilding only what changed.
import { appendFileSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { exampleCopy, runCli, tempFolder } from "./helpers.js";

describe("dmreport build --all", () => {
  it("builds every month and an index, then rebuilds only the month that changed", () => {
    const source = exampleCopy("minimal");
    const out = tempFolder();
    const first = runCli(["build", "--all", "--format", "md,html", "--out", out], source);
    expect(first.stderr).toBe("");
    expect(first.stdout).toMatch(/^built 2 months \(2 rebuilt, 0 unchanged\), 6 files written, in \d+ ms\n$/);
    expect(readdirSync(out).sort()).toEqual([".dmreport-cache", "index.html", "index.md", "kestrel-2026-09.html", "kestrel-2026-09.md", "kestrel-2026-10.html", "kestrel-2026-10.md"]);
    expect(readFileSync(join(out, "index.md"), "utf8")).toBe(
      [
        "# Kestrel Array Software Monthly Report",
        "",
        "| Month | Report | Completed | Delayed | At risk |",
        "| --- | --- | --- | --- | --- |",
        "| October 2026 | [md](kestrel-2026-10.md), [html](kestrel-2026-10.html) | 1 | 1 | 0 |",
        "| September 2026 | [md](kestrel-2026-09.md), [html](kestrel-2026-09.html) | 0 | 0 | 0 |",
        "",
      ].join("\n"),
    );
    const october = readFileSync(join(out, "kestrel-2026-10.md"), "utf8");
    expect(october).toBe(readFileSync(join(import.meta.dirname, "golden", "kestrel-2026-10.md"), "utf8"));

    expect(runCli(["build", "--all", "--format", "md,html", "--out", out], source).stdout).toMatch(/\(0 rebuilt, 2 unchanged\)/);
    appendFileSync(join(source, "months", "2026-10", "4.2.md"), "\nOne more line.\n");
    expect(runCli(["build", "--all", "--format", "md,html", "--out", out], source).stdout).toMatch(/\(1 rebuilt, 1 unchanged\)/);
    expect(readFileSync(join(out, "kestrel-2026-10.md"), "utf8")).toContain("One more line.");
    // The cache is only a cache: without it, everything is built again, to the same bytes.
    rmSync(join(out, ".dmreport-cache"), { recursive: true });
    const before = readFileSync(join(out, "kestrel-2026-09.html"), "utf8");
    expect(runCli(["build", "--all", "--format", "md,html", "--out", out], source).stdout).toMatch(/\(2 rebuilt, 0 unchanged\)/);
    expect(readFileSync(join(out, "kestrel-2026-09.html"), "utf8")).toBe(before);
  });

  it("rebuilds the months after one whose milestones changed, since their burndown depends on it", () => {
    const source = exampleCopy("minimal");
    const out = tempFolder();
    runCli(["build", "--all", "--out", out], source);
    const september = join(source, "months", "2026-09", "4.2.md");
    const text = readFileSync(september, "utf8");
    rmSync(september);
    appendFileSync(september, text.replace("month: 2026-09\n", "month: 2026-09\nmilestones:\n  - id: A2330\n    status: on-track\n"));
    expect(runCli(["build", "--all", "--out", out], source).stdout).toMatch(/\(2 rebuilt, 0 unchanged\)/);
  });

  it("reports the errors of any month and writes no index", () => {
    const source = exampleCopy("minimal", { "months/2026-09/4.2.md": '---\nwbs: "4.9"\nmonth: 2026-09\n---\n' });
    const out = tempFolder();
    const run = runCli(["build", "--all", "--out", out], source);
    expect(run.stderr).toContain("months/2026-09/4.2.md:2:6: error: WBS code `4.9`");
    expect(run.status).toBe(1);
    expect(readdirSync(out)).not.toContain("index.md");
  });
});
