// The monthly cycle: init, new and status, through the CLI as a coordinator runs them.
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { edit, exampleCopy, runCli, tempFolder, unwrapped } from "./helpers.js";

describe("dmreport init", () => {
  it("starts a source that lints and builds clean at once", () => {
    const folder = join(tempFolder(), "report");
    const init = runCli(["init", folder, "--month", "2026-11"]);
    expect(init.status).toBe(0);
    expect(
      init.stdout
        .split("\n")
        .filter((line) => line.startsWith("created"))
        .sort(),
    ).toEqual([
      "created .dmreport/schemas/dmreport.schema.json",
      "created .dmreport/schemas/fragment.schema.json",
      "created .dmreport/schemas/milestones.schema.json",
      "created .dmreport/schemas/schedule.schema.json",
      "created .dmreport/schemas/wbs.schema.json",
      "created .github/workflows/report.yml",
      "created .gitignore",
      "created .pre-commit-config.yaml",
      "created dmreport.yaml",
      "created milestones.yaml",
      "created months/2026-11/1.md",
      "created months/2026-11/summary.md",
      "created wbs.yaml",
    ]);
    expect(runCli(["lint"], folder)).toMatchObject({ stdout: "", stderr: "", status: 0 });
    const build = runCli(["build"], folder);
    expect(build.stderr).toBe("");
    expect(build.status).toBe(0);
    const report = readFileSync(join(folder, "build", "report-2026-11.md"), "utf8");
    expect(report).toContain("## 2: Software");
    expect(report).toContain("No work was performed under this WBS element during this month.");
  });

  it("points every $schema line at a schema that a clone on another machine has too", () => {
    const folder = join(tempFolder(), "report");
    expect(runCli(["init", folder, "--month", "2026-11"]).status).toBe(0);
    const git = (args: string[], cwd: string) => {
      const run = spawnSync("git", args, {
        cwd,
        encoding: "utf8",
        env: {
          ...process.env,
          GIT_AUTHOR_NAME: "t",
          GIT_AUTHOR_EMAIL: "t@example.org",
          GIT_COMMITTER_NAME: "t",
          GIT_COMMITTER_EMAIL: "t@example.org",
        },
      });
      expect(run.status, run.stderr).toBe(0);
      return run.stdout;
    };
    git(["init", "-q"], folder);
    git(["add", "-A"], folder);
    git(["commit", "-qm", "report source"], folder);
    // Another machine: a clone elsewhere, with no dmreport installed beside it.
    const clone = join(tempFolder(), "elsewhere", "clone");
    git(["clone", "-q", folder, clone], tempFolder());
    const lines = git(["ls-files"], clone)
      .split("\n")
      .filter(Boolean)
      .flatMap((file) => {
        const found = /^# yaml-language-server: \$schema=(\S+)$/m.exec(readFileSync(join(clone, file), "utf8"));
        return found ? [{ file, schema: found[1]! }] : [];
      });
    expect(lines.map((line) => line.file).sort()).toEqual(["dmreport.yaml", "milestones.yaml", "wbs.yaml"]);
    for (const { file, schema } of lines) {
      const path = join(clone, dirname(file), schema);
      expect(existsSync(path), `${file} → ${schema}`).toBe(true);
      expect((JSON.parse(readFileSync(path, "utf8")) as { $id: string }).$id).toMatch(/^urn:dmreport:schema:/);
    }
    // A schedule snapshot written later points at the copies too.
    const exportFile = join(tempFolder(), "p6.csv");
    writeFileSync(exportFile, "task_code,task_name,wbs_id,base_end_date\nPRJ-M2,Second release,2.2.1,2027-03-31\n");
    expect(runCli(["import-milestones", exportFile, "--month", "2026-11"], clone).status).toBe(0);
    const snapshot = readFileSync(join(clone, "schedule", "2026-11.yaml"), "utf8");
    expect(snapshot.split("\n")[0]).toBe("# yaml-language-server: $schema=../.dmreport/schemas/schedule.schema.json");
    expect(existsSync(join(clone, "schedule", "../.dmreport/schemas/schedule.schema.json"))).toBe(true);
  });

  it("warns while the source's schema copies differ from the running dmreport's, until dmreport schemas refreshes them", () => {
    const folder = join(tempFolder(), "report");
    expect(runCli(["init", folder, "--month", "2026-11"]).status).toBe(0);
    writeFileSync(join(folder, ".dmreport/schemas/wbs.schema.json"), '{ "$id": "urn:dmreport:schema:wbs", "type": "object" }\n');
    const lint = runCli(["lint"], folder);
    expect(unwrapped(lint.stdout)).toContain("`.dmreport/schemas/wbs.schema.json` differs from the schema of dmreport");
    expect(unwrapped(lint.stdout)).toMatch(/run `dmreport schemas` to refresh the copies, and commit them +schema-copy-outdated/);
    expect(lint.status).toBe(0);
    const refresh = runCli(["schemas"], folder);
    expect(refresh.stdout.split("\n")[0]).toBe("wrote   .dmreport/schemas/wbs.schema.json");
    expect(runCli(["lint"], folder)).toMatchObject({ stdout: "", status: 0 });
  });

  it("starts a source in a new git repository: a folder holding only dot-entries and npm's files counts as empty, and they are kept", () => {
    const folder = join(tempFolder(), "report");
    expect(spawnSync("git", ["init", "-q", folder]).status).toBe(0);
    writeFileSync(join(folder, ".gitignore"), "notes/\n");
    // dmreport installed as a devDependency first.
    writeFileSync(join(folder, "package.json"), "{}\n");
    mkdirSync(join(folder, "node_modules"));
    const run = runCli(["init", "--month", "2026-11"], folder);
    expect(run).toMatchObject({ status: 0, stderr: "" });
    expect(run.stdout).toContain("kept    .gitignore (already there)");
    expect(readFileSync(join(folder, ".gitignore"), "utf8")).toBe("notes/\n");
    expect(existsSync(join(folder, "dmreport.yaml"))).toBe(true);
  });

  it("refuses a folder that is not empty, and with --force adds only what is missing", () => {
    const folder = tempFolder();
    writeFileSync(join(folder, "wbs.yaml"), "elements:\n  - { code: A, title: Mine }\n");
    const refused = runCli(["init", folder]);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain("is not empty (wbs.yaml); choose an empty folder, or use --force");
    expect(readdirSync(folder)).toEqual(["wbs.yaml"]);
    const forced = runCli(["init", folder, "--force", "--month", "2026-11"]);
    expect(forced.status).toBe(0);
    expect(forced.stdout).toContain("kept    wbs.yaml (already there)");
    expect(readFileSync(join(folder, "wbs.yaml"), "utf8")).toBe("elements:\n  - { code: A, title: Mine }\n");
  });
});

describe("dmreport new", () => {
  it("opens January 2018 with December's plans and the open milestones in view", () => {
    const source = withoutJanuary();
    const run = runCli(["new", "--month", "2018-01"], source);
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    const created = run.stdout.split("\n").filter((line) => line.startsWith("created"));
    expect(created).toHaveLength(59);
    expect(readFileSync(join(source, "months", "2018-01", "02C.04.06.md"), "utf8")).toBe(
      [
        "---",
        'wbs: "02C.04.06"',
        "month: 2018-01",
        "# Milestones the report carries unless you report them (due or late, or last reported delayed or",
        "# at risk): report each one's status, then remove the # in front of these lines.",
        "# milestones:",
        "#   - id: DM-DRP-32  # Object classification system available, due 2017-12-01, last reported 2017-12",
        "#     status: delayed  # completed, delayed, at-risk or on-track",
        "#     forecast: 2018-03-31",
        "#     note: What happened, and what comes next.",
        "---",
        "",
        "<!-- Planned in 2017-12:",
        "",
        "- Complete work on the new galaxy shape priors.",
        "",
        "-->",
        "",
        "## Accomplishments this month",
        "",
        "",
        "## Planned activities",
        "",
      ].join("\n"),
    );
    // Nothing is overwritten, and what is there is said.
    writeFileSync(join(source, "months", "2018-01", "summary.md"), "---\npart: summary\nmonth: 2018-01\n---\n\nWritten.\n");
    rmSync(join(source, "months", "2018-01", "risk.md"));
    const again = runCli(["new", "--month", "2018-01"], source);
    expect(again.stdout.split("\n").filter((line) => line.startsWith("created"))).toEqual(["created months/2018-01/risk.md"]);
    expect(again.stdout).toContain("kept    months/2018-01/summary.md (already there)");
    expect(readFileSync(join(source, "months", "2018-01", "summary.md"), "utf8")).toContain("Written.");
    // The opened month lints without errors and builds, the placeholders standing in.
    expect(runCli(["lint", "--quiet"], source).status).toBe(0);
    expect(runCli(["build", "--month", "2018-01", "--format", "md"], source).status).toBe(0);
  });

  it("quotes last month's text of the sections marked remind, whatever their id, and of `planned` only when none is marked", () => {
    const renamed = (remind: boolean) => {
      const source = withoutJanuary();
      edit(source, "dmreport.yaml", (text) =>
        text.replace("  - id: planned\n", `  - id: lookahead\n${remind ? "    remind: true\n" : ""}`),
      );
      const run = runCli(["new", "--month", "2018-01", "--wbs", "02C.04.06"], source);
      expect(run.status, run.stderr).toBe(0);
      return readFileSync(join(source, "months", "2018-01", "02C.04.06.md"), "utf8");
    };
    expect(renamed(true)).toContain(
      "---\n\n<!-- Planned activities, as written in 2017-12:\n\n- Complete work on the new galaxy shape priors.\n\n-->\n\n## Accomplishments this month\n",
    );
    expect(renamed(false)).not.toContain("<!--");
  });

  it("pre-fills a milestone last reported at risk that is not due yet, as the report would carry it", () => {
    const source = exampleCopy("lsst-dm");
    const register = readFileSync(join(source, "milestones.yaml"), "utf8");
    writeFileSync(
      join(source, "milestones.yaml"),
      register.replace(
        "  # Alert Production\n",
        "  # Alert Production\n  - { id: DM-AP-9, title: Alert stream at scale, level: 3, wbs: 02C.03.10, due: 2018-06-30 }\n",
      ),
    );
    const fragment = join(source, "months", "2018-01", "02C.03.10.md");
    writeFileSync(
      fragment,
      readFileSync(fragment, "utf8").replace(
        "milestones:\n",
        "milestones:\n  - id: DM-AP-9\n    status: at-risk\n    forecast: 2018-07-31\n    note: The broker is late.\n",
      ),
    );
    const run = runCli(["new", "--month", "2018-02"], source);
    expect(run.status, run.stderr).toBe(0);
    const text = readFileSync(join(source, "months", "2018-02", "02C.03.10.md"), "utf8");
    expect(text).toContain(
      "#   - id: DM-AP-9  # Alert stream at scale, due 2018-06-30, last reported 2018-01\n#     status: at-risk  # completed, delayed, at-risk or on-track\n#     forecast: 2018-07-31\n",
    );
  });

  it("pre-fills a forecast line to fill for a milestone delayed with none known, so that the lines uncommented ask for a date", () => {
    const source = exampleCopy("minimal");
    const register = readFileSync(join(source, "milestones.yaml"), "utf8");
    writeFileSync(
      join(source, "milestones.yaml"),
      `${register}  - { id: KSW-M-8, title: Pointing survey, level: 2, wbs: "4.1.1", due: 2026-10-01 }\n`,
    );
    const run = runCli(["new", "--month", "2026-11", "--wbs", "4.1.1"], source);
    expect(run.status, run.stderr).toBe(0);
    const text = readFileSync(join(source, "months", "2026-11", "4.1.1.md"), "utf8");
    expect(text).toContain(
      "#   - id: KSW-M-8  # Pointing survey, due 2026-10-01, never reported\n#     status: delayed  # completed, delayed, at-risk or on-track\n#     forecast: YYYY-MM-DD  # when it is now expected\n#     note: What happened, and what comes next.\n",
    );
  });

  it("opens only the elements named, and refuses an unknown code", () => {
    const source = withoutJanuary();
    const run = runCli(["new", "--month", "2018-01", "--wbs", "02C.03.01", "1.02C.03.02"], source);
    expect(run.stdout).toBe("created months/2018-01/02C.03.01.md\ncreated months/2018-01/02C.03.02.md\n");
    const unknown = runCli(["new", "--month", "2018-01", "--wbs", "9.9"], source);
    expect(unknown.stderr).toBe("dmreport: --wbs 9.9 is not a WBS code of this source (wbs.yaml)\n");
    expect(unknown.status).toBe(2);
  });
});

describe("dmreport status", () => {
  it("lists exactly the two fragments missing from a month, and fails with --strict", () => {
    const source = exampleCopy("lsst-dm", {
      "months/2017-12/02C.03.02.md":
        '---\nwbs: "02C.03.02"\nmonth: 2017-12\n---\n\n## Current accomplishments\n\nAssociation prototype reviewed.\n',
    });
    expect(JSON.parse(runCli(["status", "--month", "2017-12", "--format", "json"], source).stdout).complete).toBe(true);
    expect(runCli(["status", "--month", "2017-12", "--strict"], source).status).toBe(0);
    rmSync(join(source, "months", "2017-12", "02C.03.03.md"));
    rmSync(join(source, "months", "2017-12", "02C.04.03.md"));
    const status = JSON.parse(runCli(["status", "--month", "2017-12", "--format", "json"], source).stdout);
    expect(status.elements.filter((element: { state: string }) => element.state !== "written")).toEqual([
      { code: "02C.03.03", title: "Alert Distribution System", lead: "John Swinbank", state: "missing" },
      { code: "02C.04.03", title: "Image Characterization", lead: "John Swinbank", state: "missing" },
    ]);
    expect(status.milestones).toEqual([]);
    expect(runCli(["status", "--month", "2017-12", "--strict"], source).status).toBe(1);
  });

  it("lists a due milestone that has no status this month", () => {
    const source = exampleCopy("lsst-dm");
    rmSync(join(source, "months", "2017-12", "02C.07.07.md"));
    const status = JSON.parse(runCli(["status", "--month", "2017-12", "--format", "json"], source).stdout);
    // Its element wrote nothing: with `reportFrom: chapter`, the chapter's fragment owes its status.
    expect(status.milestones).toEqual([
      {
        id: "DLP-458",
        title: "Ingest of bulk data from real cameras to ComCam scale",
        due: "2017-11-30",
        wbs: "02C.07.07",
        owedBy: { code: "1.02C.07", file: "months/2017-12/1.02C.07.md" },
      },
    ]);
  });

  it("tells empty fragments, placeholders and fragments with errors from written ones, parts too, in aligned tables", () => {
    const source = exampleCopy("minimal", {
      "months/2026-10/4.1.1.md": '---\nwbs: "4.1.1"\nmonth: 2026-10\n---\n\n## Highlights\n\n## Next month\n',
      "months/2026-10/4.1.2.md":
        '---\nwbs: "4.1.2"\nmonth: 2026-10\n---\n\n## Highlights\n\nNothing to report this month.\n\n## Next month\n\nTBD\n',
      "months/2026-10/4.2.md": '---\nwbs: "4.2"\nmonth: 2026-10\n---\n\n## Highlights\n\nFixed KSW 88 and KSW-.\n',
    });
    const run = runCli(["status", "--month", "2026-10"], source);
    expect(run.stdout).toBe(
      [
        "2026-10",
        "",
        "WBS    Title          Lead        State",
        "4.1.1  Pointing       Ana Ruiz    empty",
        "4.1.2  Scheduler      Ana Ruiz    placeholder",
        "4.2    Data Pipeline  Tom Okafor  written      2 errors: dmreport lint",
        "",
        "Part     Title    State",
        "summary  Summary  written",
        "",
        "2 of 4 written; 1 fragment with errors",
        "",
        "Milestones due or late with no status this month (shown as delayed until reported):",
        "  A2330     First fringes with the new correlator  due 2026-10-15  WBS 4.2    never reported         owed by 4.2, Tom Okafor",
        "  CAMM6995  Scheduler dry run                      due 2026-09-30  WBS 4.1.2  last reported 2026-09  owed by 4.1.2, Ana Ruiz",
        "",
      ].join("\n"),
    );
    expect(run.status).toBe(0);
    expect(existsSync(join(source, "build"))).toBe(false);
    // A part of comments alone, as `new` opens it, is empty: the build leaves it out.
    writeFileSync(
      join(source, "months/2026-10/summary.md"),
      "---\npart: summary\nmonth: 2026-10\n---\n\n<!-- Summary for 2026-10: write it here. -->\n",
    );
    expect(runCli(["status", "--month", "2026-10"], source).stdout).toContain("Part     Title    State\nsummary  Summary  empty\n");
  });
});

/** The LSST example as it stood at the end of December 2017, before January was written. */
function withoutJanuary(): string {
  const source = exampleCopy("lsst-dm");
  rmSync(join(source, "months", "2018-01"), { recursive: true });
  return source;
}
