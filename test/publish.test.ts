// `dmreport publish` and the guard on published months: a build whose output for a published
// month would differ stops, naming the month, the file and the first line that differs, whatever
// the cause; publishing again accepts the new output on purpose.
import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { exampleCopy, REPO, runCli, tempFolder, unwrapped } from "./helpers.js";

type Record = { months: { [month: string]: { [format: string]: { sha256: string; published: string; dmreport: string } } } };
type Details = { month: string; lines: { [format: string]: string }; reads: { [file: string]: string } };

const edit = (source: string, file: string, change: (text: string) => string) =>
  writeFileSync(join(source, file), change(readFileSync(join(source, file), "utf8")));
const today = new Date().toISOString().slice(0, 10);
const version = (JSON.parse(readFileSync(join(REPO, "package.json"), "utf8")) as { version: string }).version;

/** A copy of the minimal example with October 2026 published. */
function published(): string {
  const source = exampleCopy("minimal");
  expect(runCli(["publish", "--month", "2026-10"], source)).toEqual({
    status: 0,
    stdout: "published 2026-10 (md, html, print) in published.yaml and .dmreport/published/2026-10.yaml: commit them with the source\n",
    stderr: "",
  });
  return source;
}

/** Build into a fresh folder: the run, and the files it wrote there. */
function buildInto(source: string, args: string[]) {
  const out = join(tempFolder(), "out");
  const run = runCli(["build", ...args, "--out", out], source);
  return {
    ...run,
    out,
    files: existsSync(out)
      ? readdirSync(out)
          .filter((name) => !name.startsWith("."))
          .sort()
      : [],
  };
}

/** The guard's message for `file` of October, first differing at `line`. */
const changed = (file: string, line: number, now: string, cause: string) =>
  `2026-10 was published on ${today} (dmreport ${version}), and ${file} would now differ from line ${line} (${now}), since ${cause} changed: undo that, or accept the new output with \`dmreport publish --month 2026-10\` [published-changed]`;

describe("dmreport publish", () => {
  it("records each text output of the month; the source unchanged, it builds as published, one month or all", () => {
    const source = published();
    const record = parse(readFileSync(join(source, "published.yaml"), "utf8")) as Record;
    const entry = record.months["2026-10"]!;
    expect(Object.keys(entry)).toEqual(["md", "html", "print"]);
    for (const output of Object.values(entry)) expect(output).toMatchObject({ published: today, dmreport: version });
    const details = parse(readFileSync(join(source, ".dmreport", "published", "2026-10.yaml"), "utf8")) as Details;
    expect(details.month).toBe("2026-10");
    expect(Object.keys(details.reads)).toEqual([
      "(dmreport)",
      "(earlier months)",
      "(earlier statuses)",
      "dmreport.yaml",
      "milestones.yaml",
      "months/2026-10/4.1.1.md",
      "months/2026-10/4.1.2.md",
      "months/2026-10/4.2.md",
      "months/2026-10/summary.md",
      "wbs.yaml",
    ]);
    const built = buildInto(source, ["--month", "2026-10", "--format", "md,html,print"]);
    expect(built).toMatchObject({ status: 0, files: ["kestrel-2026-10.html", "kestrel-2026-10.md", "kestrel-2026-10.print.html"] });
    // The digests are those of the files a build writes, as another tool computes them.
    const markdown = readFileSync(join(built.out, "kestrel-2026-10.md"));
    expect(entry.md!.sha256).toBe(createHash("sha256").update(markdown).digest("hex"));
    expect(Buffer.from(details.lines.md!, "base64").length).toBe(markdown.toString("utf8").split("\n").length * 4);
    expect(buildInto(source, ["--all"]).status).toBe(0);
    expect(runCli(["status", "--month", "2026-10"], source).stdout).toContain(
      `Published (builds must reproduce them; dmreport publish --month M accepts a change):\n  2026-10  on ${today}, dmreport ${version}  (this month)\n`,
    );
    expect(runCli(["lint"], source).status).toBe(0);
  });

  it("stops a build whose published month would change, for an edited fragment, and writes nothing", () => {
    const source = published();
    edit(source, "months/2026-10/4.2.md", (text) => text.replace("## Highlights\n\n", "## Highlights\n\nA late addition.\n\n"));
    const built = buildInto(source, ["--month", "2026-10", "--format", "md"]);
    expect(built.status).toBe(1);
    expect(built.files).toEqual([]);
    // Every published output is checked, though only the Markdown was asked; each at its line of the record.
    const line =
      readFileSync(join(source, "published.yaml"), "utf8")
        .split("\n")
        .findIndex((text) => text.startsWith("    md:")) + 1;
    expect(built.stderr).toBe(
      [
        `published.yaml:${line}:5: error: ${changed("kestrel-2026-10.md", 72, "it now reads `A late addition.`", "months/2026-10/4.2.md")}`,
        `published.yaml:${line + 1}:5: error: ${changed("kestrel-2026-10.html", 346, "it now reads `<p>A late addition.</p>`", "months/2026-10/4.2.md")}`,
        `published.yaml:${line + 2}:5: error: ${changed("kestrel-2026-10.print.html", 417, "it now reads `<p>A late addition.</p>`", "months/2026-10/4.2.md")}`,
        "3 errors",
        "nothing was written: fix the errors above and build again",
        "",
      ].join("\n"),
    );
    // Every month at once: the same, and nothing of the archive is written.
    const all = buildInto(source, ["--all"]);
    expect(all).toMatchObject({ status: 1, files: [] });
    expect(all.stderr).toContain("2026-10 was published on");
    // An unpublished month builds freely whatever changes in it.
    edit(source, "months/2026-09/4.2.md", (text) => `${text}\nOne more line.\n`);
    expect(buildInto(source, ["--month", "2026-09", "--format", "md"]).status).toBe(0);
    // Publishing again accepts the change on purpose.
    expect(runCli(["publish", "--month", "2026-10"], source)).toMatchObject({
      status: 0,
      stdout: `published 2026-10 again: its new outputs replace those of ${today} (md, html, print) in published.yaml and .dmreport/published/2026-10.yaml: commit them with the source\n`,
    });
    expect(buildInto(source, ["--month", "2026-10"]).status).toBe(0);
    expect(buildInto(source, ["--all"]).status).toBe(0);
    expect(runCli(["publish", "--month", "2026-10"], source).stdout).toBe(
      `published 2026-10 again (its outputs are unchanged since ${today}) (md, html, print) in published.yaml and .dmreport/published/2026-10.yaml: commit them with the source\n`,
    );
  });

  it("stops for a structure change that is not dated, and builds once it is dated", () => {
    const source = published();
    edit(source, "dmreport.yaml", (text) =>
      text.replace("  - id: summary\n    title: Summary\n", "  - id: summary\n    title: Overview\n"),
    );
    const built = buildInto(source, ["--month", "2026-10", "--format", "md"]);
    expect(built.status).toBe(1);
    expect(built.stderr).toContain(changed("kestrel-2026-10.md", 5, "it now reads `## Overview`", "dmreport.yaml"));
    // Dated, the change leaves October as it was published.
    edit(source, "dmreport.yaml", (text) =>
      text.replace(
        "  - id: summary\n    title: Overview\n",
        "  - id: summary\n    title: Summary\n    until: 2026-10\n  - id: summary\n    title: Overview\n    from: 2026-11\n",
      ),
    );
    expect(buildInto(source, ["--month", "2026-10", "--format", "md"]).status).toBe(0);
  });

  it("stops for a template change", () => {
    const source = published();
    mkdirSync(join(source, "templates"));
    cpSync(join(REPO, "templates", "md"), join(source, "templates", "md"), { recursive: true });
    edit(source, "templates/md/report.hbs", (text) => text.replace("**{{monthLabel}}**", "*{{monthLabel}}*"));
    edit(source, "dmreport.yaml", (text) => `${text}templates: templates\n`);
    const built = buildInto(source, ["--month", "2026-10", "--format", "md"]);
    expect(built.status).toBe(1);
    expect(built.stderr).toContain(
      changed(
        "kestrel-2026-10.md",
        3,
        "it now reads `*October 2026*`",
        "templates/md/chapter.hbs (newly read), templates/md/milestone.hbs (newly read), templates/md/report.hbs (newly read) and 1 more file",
      ),
    );
  });

  it("reports a hand-edited or corrupt record clearly, builds nothing, and does not publish over it", () => {
    const source = published();
    const good = readFileSync(join(source, "published.yaml"), "utf8");
    const record = parse(good) as Record;
    const sha = record.months["2026-10"]!.md!.sha256;

    // A digest changed by hand: the lines still match, so the record is what is wrong.
    writeFileSync(
      join(source, "published.yaml"),
      good.replace(
        sha,
        sha.replace(/^./, (first) => (first === "0" ? "1" : "0")),
      ),
    );
    let built = buildInto(source, ["--month", "2026-10", "--format", "md"]);
    expect(built).toMatchObject({ status: 1, files: [] });
    expect(built.stderr).toContain(
      "kestrel-2026-10.md matches what 2026-10's record says line by line, but not its digest: published.yaml was edited by hand; publish the month again to record what it is [publish-record]",
    );

    // Not YAML: a syntax error with its place, no stack trace, and publish refuses to write over it.
    writeFileSync(join(source, "published.yaml"), "months:\n  2026-10: [unclosed\n");
    built = buildInto(source, ["--month", "2026-10"]);
    expect(built).toMatchObject({ status: 1, files: [] });
    expect(built.stderr).toMatch(/^published\.yaml:\d+:\d+: error: YAML syntax error/m);
    expect(built.stderr).not.toMatch(/\n\s+at /);
    const again = runCli(["publish", "--month", "2026-10"], source);
    expect(again.status).toBe(1);
    expect(again.stderr).toContain("dmreport: 2026-10 is not published: fix the errors above first");
    expect(readFileSync(join(source, "published.yaml"), "utf8")).toBe("months:\n  2026-10: [unclosed\n");

    // Not what publish writes: the schema says where.
    writeFileSync(join(source, "published.yaml"), good);
    const detailsFile = join(source, ".dmreport", "published", "2026-10.yaml");
    writeFileSync(detailsFile, readFileSync(detailsFile, "utf8").replace(/  md: "\S+"/, '  md: "not base64!"'));
    built = buildInto(source, ["--month", "2026-10"]);
    expect(built).toMatchObject({ status: 1, files: [] });
    expect(built.stderr).toBe(
      ".dmreport/published/2026-10.yaml:5:7: error: `md` must look like /^[A-Za-z0-9+/]*={0,2}$/, got `not base64!` [schema-pattern]\n1 error\nnothing was written: fix the errors above and build again\n",
    );
    expect(runCli(["lint"], source).status).toBe(1);
  });

  it("changes published.yaml by a few short lines per publish, and reports a month or an output lost from one of its two files", () => {
    const source = published();
    const record = () => readFileSync(join(source, "published.yaml"), "utf8").split("\n");
    /** The lines of `after` not in `before`, and those of `before` gone. */
    const diff = (before: string[], after: string[]) => ({
      added: after.filter((line) => !before.includes(line)),
      removed: before.filter((line) => !after.includes(line)),
    });
    const october = record();
    expect(runCli(["publish", "--month", "2026-09"], source).status).toBe(0);
    const both = record();
    const added = diff(october, both);
    expect(added.removed).toEqual([]);
    expect(added.added).toHaveLength(4);
    // A line is the output, its SHA-256, the day and the version: one line of a diff, no more.
    for (const line of added.added) expect(line.length).toBeLessThanOrEqual(130);
    // Published again after an edit: its three lines change, nothing else does.
    edit(source, "months/2026-10/4.2.md", (text) => text.replace("## Highlights\n\n", "## Highlights\n\nA late addition.\n\n"));
    expect(runCli(["publish", "--month", "2026-10"], source).status).toBe(0);
    const again = diff(both, record());
    expect(again.added.map((line) => line.split(":")[0])).toEqual(["    md", "    html", "    print"]);
    expect(again.removed).toHaveLength(3);

    // October's lines removed from published.yaml, its details left: the record says so rather than guard nothing.
    const full = readFileSync(join(source, "published.yaml"), "utf8");
    writeFileSync(join(source, "published.yaml"), full.replace(/  2026-10:\n(    .*\n)+/, ""));
    const lintRun = runCli(["lint"], source);
    expect(lintRun.status).toBe(1);
    expect(unwrapped(lintRun.stdout)).toContain(
      "2026-10 is published (its details are here), but published.yaml has no record of it: a published month's record was removed",
    );
    // One output's line removed: the same.
    writeFileSync(
      join(source, "published.yaml"),
      full.replace(/    print: .*2026-10.*\n|(  2026-10:\n    md: .*\n    html: .*\n)    print: .*\n/, "$1"),
    );
    const one = buildInto(source, ["--month", "2026-10", "--format", "md"]);
    expect(one.status).toBe(1);
    expect(one.stderr).toContain("2026-10's print output is published (its details say so), but published.yaml has no line for it");
    // Its details removed, the lines left: the same again.
    writeFileSync(join(source, "published.yaml"), full);
    rmSync(join(source, ".dmreport", "published", "2026-10.yaml"));
    const gone = buildInto(source, ["--month", "2026-10", "--format", "md"]);
    expect(gone.status).toBe(1);
    expect(gone.stderr).toContain(
      "2026-10's details (.dmreport/published/2026-10.yaml) are missing: restore them (git checkout), or publish the month again [publish-record]",
    );
  });

  it("refuses a month that does not build, and one that does not exist", () => {
    const source = exampleCopy("minimal", { "months/2026-10/4.2.md": '---\nwbs: "4.9"\nmonth: 2026-10\n---\n\n## Highlights\n\nText.\n' });
    const run = runCli(["publish", "--month", "2026-10"], source);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("wbs-unknown");
    expect(existsSync(join(source, "published.yaml"))).toBe(false);
    const missing = runCli(["publish", "--month", "2030-01"], source);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain("there is no folder months/2030-01/");
    expect(runCli(["publish"], source).status).toBe(2);
  });
});
