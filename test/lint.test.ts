// Lint: every rule with a bad input and its exact diagnostic; settings, directives, formats, --fix.
import { appendFileSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { stripVTControlCharacters } from "node:util";
import { describe, expect, it } from "vitest";
import { build } from "../src/build.js";
import { lint } from "../src/lint.js";
import { RULES } from "../src/core/rules.js";
import { CLI, exampleCopy, REPO, runCli, tempFolder } from "./helpers.js";

const TODAY = "2026-11-24";
const fragment = (frontmatter: string, body = "\n## Highlights\n\nText.\n") => `---\n${frontmatter}---\n${body}`;

/** Lint a copy of examples/minimal with `files` written over it; the diagnostics as `file:line:col rule message`. */
function problems(files: Record<string, string>, lintFiles?: string[]): string[] {
  const source = exampleCopy("minimal", files);
  const result = lint({ cwd: source, files: lintFiles, today: TODAY });
  return result.sources.flatMap((linted) =>
    linted.diagnostics.map((d) => `${d.file}:${d.line}:${d.column} ${d.severity} ${d.rule} ${d.message}`),
  );
}

const status = (entry: string) => fragment(`wbs: "4.2"\nmonth: 2026-10\nmilestones:\n${entry}`);

describe("milestone status rules", () => {
  const cases: [string, string, string][] = [
    [
      "completed without a date",
      "  - id: A2330\n    status: completed\n",
      "months/2026-10/4.2.md:6:13 error milestone-completed-date milestone A2330 is completed but has no completion date: add `completed: YYYY-MM-DD`",
    ],
    [
      "completed after the month reported on",
      "  - id: A2330\n    status: completed\n    completed: 2026-11-02\n",
      "months/2026-10/4.2.md:7:16 error milestone-completed-future completion date 2026-11-02 is after 2026-10, the month this fragment reports on: report it in the month it happened",
    ],
    [
      "delayed without a note",
      "  - id: A2330\n    status: delayed\n    forecast: 2026-12-01\n",
      "months/2026-10/4.2.md:6:13 error milestone-delayed-note milestone A2330 is delayed: add a `note` saying why, and what happens next",
    ],
    [
      "delayed without a forecast",
      "  - id: A2330\n    status: delayed\n    note: Waiting for the correlator.\n",
      "months/2026-10/4.2.md:6:13 error milestone-delayed-forecast milestone A2330 is delayed: add `forecast: YYYY-MM-DD`, the date it is now expected",
    ],
    [
      "delayed with a forecast before the due date",
      "  - id: A2330\n    status: delayed\n    forecast: 2026-10-01\n    note: Waiting.\n",
      "months/2026-10/4.2.md:7:15 error milestone-delayed-forecast forecast 2026-10-01 is not after the due date 2026-10-15: a delayed milestone is expected later than planned",
    ],
    [
      "an id that does not match the configured pattern",
      "  - id: a2330\n    status: on-track\n",
      "months/2026-10/4.2.md:5:9 error milestone-id milestone id `a2330` does not match /^[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)*$/ or /^A\\d+$/ (milestones.idPattern in dmreport.yaml)",
    ],
    [
      "a group without a title",
      "  - id: [A2330, KSW-M-7]\n    status: on-track\n",
      "months/2026-10/4.2.md:5:9 error milestone-group-title several milestones reported together need a `title` for the group",
    ],
  ];
  for (const [name, entry, expected] of cases) {
    it(`reports ${name}`, () => {
      const files: Record<string, string> = { "months/2026-10/4.2.md": status(entry) };
      if (name.includes("pattern")) {
        const config = readFileSync(join(REPO, "examples", "minimal", "dmreport.yaml"), "utf8");
        files["dmreport.yaml"] = `${config}milestones:\n  idPattern: ['^[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)*$', '^A\\d+$']\n`;
      }
      if (name.includes("group"))
        files["milestones.yaml"] = readFileSync(join(REPO, "examples", "minimal", "milestones.yaml"), "utf8").replace(
          'wbs: "4.1.1"',
          'wbs: "4.2"',
        );
      expect(problems(files).filter((line) => !line.includes("milestone-not-owned"))).toEqual([expected]);
    });
  }

  it("reports a completion date in the future", () => {
    const source = exampleCopy("minimal", {
      "months/2026-10/4.2.md": status("  - id: A2330\n    status: completed\n    completed: 2026-10-30\n"),
    });
    const found = lint({ cwd: source, today: "2026-10-20" }).sources[0]!.diagnostics;
    expect(found.map((d) => `${d.line}:${d.column} ${d.rule} ${d.message}`)).toEqual([
      "7:16 milestone-completed-future completion date 2026-10-30 is in the future (today is 2026-10-20)",
    ]);
  });

  it("reports a milestone reported again after an earlier month completed it", () => {
    const files = {
      "months/2026-09/4.2.md": status("  - id: A2330\n    status: completed\n    completed: 2026-09-28\n").replace(
        "month: 2026-10",
        "month: 2026-09",
      ),
      "months/2026-10/4.2.md": status("  - id: A2330\n    status: delayed\n    forecast: 2026-12-01\n    note: Late.\n"),
    };
    expect(problems(files)).toEqual([
      "months/2026-10/4.2.md:5:9 error milestone-completed-earlier milestone `A2330` was reported completed on 2026-09-28 in months/2026-09/4.2.md: it cannot be delayed now; remove it from this fragment",
    ]);
  });

  it("reports a milestone reported twice in a month", () => {
    const files = {
      "months/2026-10/4.2.md": status("  - id: A2330\n    status: on-track\n"),
      "months/2026-10/summary.md": fragment(
        "part: summary\nmonth: 2026-10\nmilestones:\n  - id: A2330\n    status: on-track\n",
        "\nText.\n",
      ),
    };
    expect(problems(files)).toEqual([
      "months/2026-10/summary.md:5:9 error milestone-reported-twice milestone `A2330` is already reported in months/2026-10/4.2.md this month: report it once",
    ]);
  });
});

describe("fragment and text rules", () => {
  it("reports a part that is not configured, and a fragment that is both element and part", () => {
    expect(problems({ "months/2026-10/summary.md": fragment("part: budget\nmonth: 2026-10\n", "\nText.\n") })).toEqual([
      "months/2026-10/summary.md:2:7 error part-unknown report part `budget` is not in `parts` of dmreport.yaml (known: `summary`)",
    ]);
    expect(problems({ "months/2026-10/summary.md": fragment('part: summary\nwbs: "4.2"\nmonth: 2026-10\n', "\nText.\n") })).toEqual([
      "months/2026-10/summary.md:2:7 error fragment-kind a fragment is either for a WBS element (`wbs: CODE`) or for a report part (`part: NAME`): give exactly one of the two",
    ]);
  });

  it("reports progress written for an element marked progress: false", () => {
    const wbs = readFileSync(join(REPO, "examples", "minimal", "wbs.yaml"), "utf8").replace(
      "    lead: Tom Okafor\n",
      "    lead: Tom Okafor\n    progress: false\n",
    );
    expect(problems({ "wbs.yaml": wbs })).toEqual([
      "months/2026-09/4.2.md:6:1 error fragment-no-progress WBS 4.2 is marked `progress: false` in wbs.yaml, so this text would not be shown: remove it, or remove `progress: false`",
      "months/2026-10/4.2.md:11:1 error fragment-no-progress WBS 4.2 is marked `progress: false` in wbs.yaml, so this text would not be shown: remove it, or remove `progress: false`",
    ]);
  });

  it("reports ticket keys with a space or without a number, but not in code", () => {
    const body = "\n## Highlights\n\nFixed KSW 88, see KSW- and `KSW 1`.\n\n```\nKSW 2\n```\n";
    expect(problems({ "months/2026-10/4.2.md": fragment('wbs: "4.2"\nmonth: 2026-10\n', body) })).toEqual([
      "months/2026-10/4.2.md:8:7 error ticket-key ticket key `KSW 88` is written with a space: write `KSW-88`",
      "months/2026-10/4.2.md:8:19 error ticket-key ticket key `KSW-` has no number: write the whole key, such as `KSW-12779`",
    ]);
  });

  it("reports trailing whitespace, but not a hard line break, code, or a YAML block scalar", () => {
    const frontmatter =
      'wbs: "4.2" \nmonth: 2026-10\nmilestones:\n  - id: A2330\n    status: on-track\n    note: |\n      kept  \n      as is\n';
    const body = "\n## Highlights \n\nA hard  \nbreak.\n\n```\ncode  \n```\n";
    expect(problems({ "months/2026-10/4.2.md": fragment(frontmatter, body) })).toEqual([
      "months/2026-10/4.2.md:2:11 warning trailing-whitespace spaces at the end of this line mean nothing: remove them",
      "months/2026-10/4.2.md:12:14 warning trailing-whitespace spaces at the end of this line mean nothing: remove them",
    ]);
  });
});

describe("rule settings and inline directives", () => {
  const noisy = fragment('wbs: "4.2"\nmonth: 2026-10\n', "\n## Highlights\n\nKSW 1 \nKSW 2\n\n## Staffing\n");

  it("turn rules off or change their severity from dmreport.yaml", () => {
    const config = readFileSync(join(REPO, "examples", "minimal", "dmreport.yaml"), "utf8");
    const settled = problems({
      "months/2026-10/4.2.md": noisy,
      "dmreport.yaml": `${config}rules:\n  ticket-key: warning\n  trailing-whitespace: off\n`,
    });
    expect(settled).toEqual([
      "months/2026-10/4.2.md:8:1 warning ticket-key ticket key `KSW 1` is written with a space: write `KSW-1`",
      "months/2026-10/4.2.md:9:1 warning ticket-key ticket key `KSW 2` is written with a space: write `KSW-2`",
      "months/2026-10/4.2.md:11:1 warning fragment-empty-section section `Staffing` is empty: write something under it or remove the heading",
    ]);
  });

  it("refuses a structural rule in the settings", () => {
    const config = readFileSync(join(REPO, "examples", "minimal", "dmreport.yaml"), "utf8");
    const found = problems({ "dmreport.yaml": `${config}rules:\n  yaml-syntax: off\n` });
    expect(found.filter((line) => / error /.test(line))[0]).toMatch(/^dmreport\.yaml:\d+:\d+ error schema/);
    // The fragments are still checked against their schema, and lint says what it could not check.
    expect(found.filter((line) => line.includes("checks-skipped"))).toEqual([
      expect.stringMatching(
        /^dmreport\.yaml:\d+:1 warning checks-skipped the fragments are checked against their schema only until the errors in dmreport\.yaml are fixed/,
      ),
    ]);
  });

  it("honour dmreport-disable comments: next line, a range, and the whole file", () => {
    const body =
      "\n## Highlights\n\n<!-- dmreport-disable-next-line ticket-key -->\nKSW 1\n\n<!-- dmreport-disable ticket-key -->\nKSW 2\n<!-- dmreport-enable ticket-key -->\n\nKSW 3\n";
    expect(problems({ "months/2026-10/4.2.md": fragment('wbs: "4.2"\nmonth: 2026-10\n', body) })).toEqual([
      "months/2026-10/4.2.md:15:1 error ticket-key ticket key `KSW 3` is written with a space: write `KSW-3`",
    ]);
    const whole = fragment('wbs: "4.2" \nmonth: 2026-10\n', "\n<!-- dmreport-disable-file -->\n\n## Highlights\n\nKSW 1\n");
    expect(problems({ "months/2026-10/4.2.md": whole })).toEqual([]);
  });
});

describe("lint of given files", () => {
  it("judges a fragment with the other fragments of its month, and reports only that file", () => {
    const files = { "months/2026-10/pipeline.md": fragment('wbs: "4.2"\nmonth: 2026-10\n'), "months/2026-10/4.1.1.md": "broken" };
    expect(problems(files, ["months/2026-10/pipeline.md"])).toEqual([
      "months/2026-10/pipeline.md:2:6 error fragment-duplicate months/2026-10/4.2.md is already the fragment for WBS element 4.2 in 2026-10: merge the two, there is one fragment per element and month",
    ]);
  });

  it("names each path that is no file of a report source, and why", () => {
    const source = exampleCopy("minimal", { "README.md": "# notes\n", "months/2026-10/notes.txt": "x", "months/2026-10/4.2.MD": "x" });
    const outside = tempFolder();
    writeFileSync(join(outside, "x.md"), "x");
    const result = lint({
      cwd: source,
      files: ["README.md", "months/2026-10/notes.txt", "months/2026-10/4.2.MD", "nothing.md", join(outside, "x.md"), "schedule"],
      today: TODAY,
    });
    const reads =
      "lint reads fragments (months/YYYY-MM/*.md), dmreport.yaml, wbs.yaml, milestones.yaml, published.yaml, schedule/YYYY-MM.yaml, .dmreport/published/YYYY-MM.yaml, images and the template folders dmreport.yaml names";
    expect(result).toEqual({
      sources: [],
      // Missing and outside first, as met; then those the source's reading tells apart.
      unmatched: [
        { given: "nothing.md", reason: "nothing.md does not exist" },
        {
          given: join(outside, "x.md"),
          reason: `${join(outside, "x.md")} is not in a report source: there is no dmreport.yaml in its folder or any folder above it`,
        },
        { given: "schedule", reason: "schedule does not exist" },
        { given: "README.md", reason: `README.md is not a file dmreport reads; ${reads}` },
        { given: "months/2026-10/notes.txt", reason: `months/2026-10/notes.txt is not a file dmreport reads; ${reads}` },
        { given: "months/2026-10/4.2.MD", reason: `months/2026-10/4.2.MD is not a file dmreport reads; ${reads}` },
      ],
    });
  });

  it("lints the fragments under a folder given, and the whole source for its root", () => {
    const source = exampleCopy("minimal");
    const month = lint({ cwd: source, files: ["months/2026-10"], today: TODAY });
    expect(month.unmatched).toEqual([]);
    expect(month.sources[0]!.files).toBe(readdirSync(join(source, "months/2026-10")).filter((name) => name.endsWith(".md")).length);
    const whole = lint({ cwd: join(source, "months"), files: [".."], today: TODAY });
    expect(whole.sources[0]!.files).toBe(lint({ cwd: source, today: TODAY }).sources[0]!.files);
  });

  it("lints the whole source when the WBS tree changes", () => {
    const wbs = readFileSync(join(REPO, "examples", "minimal", "wbs.yaml"), "utf8").replace(
      '      - { code: "4.1.2", title: Scheduler }\n',
      "",
    );
    expect(problems({ "wbs.yaml": wbs }, ["wbs.yaml"])).toEqual(
      [
        "months/2026-09/4.1.2.md:2:6 error wbs-unknown WBS code `4.1.2` (this fragment's element) is not in wbs.yaml: did you mean `4.1.1`? Otherwise add the element to wbs.yaml",
        "months/2026-10/4.1.2.md:2:6 error wbs-unknown WBS code `4.1.2` (this fragment's element) is not in wbs.yaml: did you mean `4.1.1`? Otherwise add the element to wbs.yaml",
        "milestones.yaml:4:62 error wbs-unknown WBS code `4.1.2` (owner of milestone `CAMM6995`) is not in wbs.yaml: did you mean `4.1.1`? Otherwise add the element to wbs.yaml",
      ].sort(),
    );
  });
});

describe("dmreport lint, the command", () => {
  const bad = { "months/2026-10/4.2.md": fragment('wbs: "4.2"\nmonth: 2026-10\n', "\n## Highlights \n\nFixed KSW 88.\n") };

  it("leaves out the warnings of a published month's fragments, which cannot be acted on", () => {
    const source = exampleCopy("minimal");
    appendFileSync(join(source, "months/2026-10/4.1.1.md"), "\n## Staffing\n");
    const warning =
      "months/2026-10/4.1.1.md\n  18:1  warning  section `Staffing` is empty: write something under it or remove\n                 the heading  fragment-empty-section\n";
    expect(runCli(["lint", "--max-warnings", "0"], source)).toMatchObject({ status: 1, stdout: expect.stringContaining(warning) });
    expect(runCli(["publish", "--month", "2026-10"], source).status).toBe(0);
    expect(runCli(["lint", "--max-warnings", "0"], source)).toEqual({ status: 0, stdout: "", stderr: "" });
    expect(runCli(["lint", "--max-warnings", "0", "months/2026-10/4.1.1.md"], source)).toEqual({ status: 0, stdout: "", stderr: "" });
  });

  it("reports stylish by default, grouped by file, and exits 1 on errors", () => {
    const run = runCli(["lint"], exampleCopy("minimal", bad));
    expect(run.stdout).toBe(
      [
        "months/2026-10/4.2.md",
        "  6:14  warning  spaces at the end of this line mean nothing: remove them",
        "                 trailing-whitespace",
        "  8:7   error    ticket key `KSW 88` is written with a space: write `KSW-88`",
        "                 ticket-key",
        "",
        "2 problems (✖ 1 error, ⚠ 1 warning)",
        "",
      ].join("\n"),
    );
    expect(run.status).toBe(1);
  });

  it("wraps stylish lines at the terminal's width, through the lint server and without it (six problems)", () => {
    const source = exampleCopy("minimal", {
      "months/2026-10/4.2.md": fragment(
        'wbs: "4.2"\nmonth: 2026-10\nmilestones:\n  - { id: A2330, status: delayed }\n',
        "\n## Highlights \n\nFixed KSW 88 and KSW-.\n\n## Nonsense\n\nText.\n",
      ),
    });
    const { NO_COLOR: _noColor, ...inherited } = process.env;
    const env = { ...inherited, FORCE_COLOR: "1", DMREPORT_CACHE_DIR: tempFolder(), DMREPORT_LINT_SERVER_IDLE_MS: "3000", CI: "" };
    for (const [columns, server] of [
      [60, true],
      [60, false],
      [100, true],
    ] as const) {
      // A real terminal of that width (util-linux `script`), colours on.
      const run = spawnSync(
        "script",
        ["-qec", `stty cols ${columns}; ${process.execPath} ${CLI} lint months/2026-10/4.2.md`, "/dev/null"],
        {
          cwd: source,
          encoding: "utf8",
          env: { ...env, DMREPORT_NO_SERVER: server ? "" : "1" },
        },
      );
      const lines = stripVTControlCharacters(run.stdout).replace(/\r/g, "").trimEnd().split("\n");
      expect(lines.filter((line) => /^\s+\d+:\d+\s+(?:error|warning)\s/.test(line)).length, run.stdout).toBe(6);
      expect(Math.max(...lines.map((line) => line.length)), `${columns} columns:\n${lines.join("\n")}`).toBeLessThanOrEqual(columns);
      expect(lines.filter((line) => line.length > columns - 10).length).toBeGreaterThan(0);
      expect(run.stdout).toContain("\u001b[");
    }
  });

  it("prints nothing and exits 0 on a clean source", () => {
    const run = runCli(["lint"], join(REPO, "examples", "minimal"));
    expect([run.stdout, run.stderr, run.status]).toEqual(["", "", 0]);
  });

  it("warns, and exits 0, of a milestone its owner did not report this month", () => {
    const run = runCli(["lint"], join(REPO, "examples", "lsst-dm"));
    expect(run.stdout).toBe(
      "months/2018-01/02C.06.00.md\n" +
        "  2:6  warning  milestone `DLP-808` (AP-ready Provenance) was due 2017-11-30, is\n" +
        "                not completed and was last reported in 2017-12: the 2018-01\n" +
        "                report shows it as delayed until its status is reported here,\n" +
        "                under `milestones:`  milestone-owed\n\n" +
        "\u26a0 1 warning\n",
    );
    expect(run.status).toBe(0);
    expect(runCli(["lint", "--max-warnings", "0"], join(REPO, "examples", "lsst-dm")).status).toBe(1);
  });

  it("writes GitHub workflow commands", () => {
    const run = runCli(["lint", "--format", "github"], exampleCopy("minimal", bad));
    expect(run.stdout).toBe(
      "::warning file=months/2026-10/4.2.md,line=6,col=14,title=dmreport trailing-whitespace::spaces at the end of this line mean nothing: remove them\n" +
        "::error file=months/2026-10/4.2.md,line=8,col=7,title=dmreport ticket-key::ticket key `KSW 88` is written with a space: write `KSW-88`\n",
    );
  });

  it("writes a GitLab Code Quality report whose fingerprints follow the problem, not its line", () => {
    const run = runCli(["lint", "--format", "gitlab"], exampleCopy("minimal", bad));
    expect(run.status).toBe(1);
    const report = JSON.parse(run.stdout) as {
      description: string;
      check_name: string;
      fingerprint: string;
      severity: string;
      location: { path: string; lines: { begin: number } };
    }[];
    // GitLab's documented fields, and no others.
    expect(report.map(({ fingerprint, ...rest }) => ({ ...rest, fingerprint: /^[0-9a-f]{32}$/.test(fingerprint) }))).toEqual([
      {
        description: "spaces at the end of this line mean nothing: remove them",
        check_name: "trailing-whitespace",
        fingerprint: true,
        severity: "minor",
        location: { path: "months/2026-10/4.2.md", lines: { begin: 6 } },
      },
      {
        description: "ticket key `KSW 88` is written with a space: write `KSW-88`",
        check_name: "ticket-key",
        fingerprint: true,
        severity: "major",
        location: { path: "months/2026-10/4.2.md", lines: { begin: 8 } },
      },
    ]);
    // Three lines further down, the same problems keep their fingerprints; a second one gets its own.
    const moved = fragment('wbs: "4.2"\nmonth: 2026-10\n', "\n\n\n\n## Highlights \n\nFixed KSW 88.\n\nAnd KSW 88 again.\n");
    const again = JSON.parse(
      runCli(["lint", "--format", "gitlab"], exampleCopy("minimal", { "months/2026-10/4.2.md": moved })).stdout,
    ) as typeof report;
    expect(again.map((finding) => finding.location.lines.begin)).toEqual([9, 11, 13]);
    expect(again[0]!.fingerprint).toBe(report[0]!.fingerprint);
    expect(again[1]!.fingerprint).toBe(report[1]!.fingerprint);
    expect(new Set(again.map((finding) => finding.fingerprint)).size).toBe(3);
  });

  it("writes the documented JSON shape, and SARIF 2.1.0", () => {
    const source = exampleCopy("minimal", bad);
    expect(JSON.parse(runCli(["lint", "--format", "json"], source).stdout)).toEqual({
      version: 1,
      summary: { errors: 1, warnings: 1, fixable: 2 },
      diagnostics: [
        {
          file: "months/2026-10/4.2.md",
          line: 6,
          column: 14,
          severity: "warning",
          rule: "trailing-whitespace",
          message: "spaces at the end of this line mean nothing: remove them",
          fixable: true,
          help: "https://github.com/lsst-dm/dmreport/blob/v0.1.0/docs/rules/trailing-whitespace.md",
        },
        {
          file: "months/2026-10/4.2.md",
          line: 8,
          column: 7,
          severity: "error",
          rule: "ticket-key",
          message: "ticket key `KSW 88` is written with a space: write `KSW-88`",
          fixable: true,
          help: "https://github.com/lsst-dm/dmreport/blob/v0.1.0/docs/rules/ticket-key.md",
        },
      ],
    });
    const sarif = JSON.parse(runCli(["lint", "--format", "sarif"], source).stdout);
    expect(sarif.version).toBe("2.1.0");
    expect(sarif.runs[0].tool.driver.rules.length).toBe(Object.keys(RULES).length);
    expect(sarif.runs[0].tool.driver.informationUri).toBe("https://github.com/lsst-dm/dmreport");
    expect(sarif.runs[0].tool.driver.rules[Object.keys(RULES).indexOf("ticket-key")]).toMatchObject({
      id: "ticket-key",
      helpUri: "https://github.com/lsst-dm/dmreport/blob/v0.1.0/docs/rules/ticket-key.md",
      help: { markdown: readFileSync(join(REPO, "docs", "rules", "ticket-key.md"), "utf8") },
    });
    expect(sarif.runs[0].results[1]).toEqual({
      ruleId: "ticket-key",
      ruleIndex: Object.keys(RULES).indexOf("ticket-key"),
      level: "error",
      message: { text: "ticket key `KSW 88` is written with a space: write `KSW-88`" },
      locations: [{ physicalLocation: { artifactLocation: { uri: "months/2026-10/4.2.md" }, region: { startLine: 8, startColumn: 7 } } }],
    });
  });

  it("shows errors only with --quiet, and fails on too many warnings with --max-warnings", () => {
    const reported = 'wbs: "4.2"\nmonth: 2026-10\nmilestones: [{ id: A2330, status: completed, completed: 2026-10-14 }]\n';
    const warningOnly = exampleCopy("minimal", { "months/2026-10/4.2.md": fragment(reported, "\n## Highlights \n\nText.\n") });
    expect(runCli(["lint", "--quiet"], warningOnly)).toMatchObject({ stdout: "", status: 0 });
    expect(runCli(["lint", "--max-warnings", "1"], warningOnly).status).toBe(0);
    expect(runCli(["lint", "--max-warnings", "0"], warningOnly).status).toBe(1);
    const wrong = runCli(["lint", "--max-warnings", "some"], warningOnly);
    expect(wrong.stderr).toContain("it must be a whole number, 0 or more");
    expect(wrong.status).toBe(2);
  });

  it("fixes what is safe with --fix, keeping CRLF line endings, and reports what is left", () => {
    const crlf = fragment('wbs: "4.2"\nmonth: 2026-10\n', "\n## Highlights \n\nFixed KSW 88 and KSW-.\n").replace(/\n/g, "\r\n");
    const register = readFileSync(join(REPO, "examples", "minimal", "milestones.yaml"), "utf8").replace(
      "due: 2026-10-15",
      "due: 2026/10/15",
    );
    const source = exampleCopy("minimal", { "months/2026-10/4.2.md": crlf, "milestones.yaml": register });
    const run = runCli(["lint", "--fix"], source);
    expect(run.stderr).toBe("fixed 3 problems in 2 files\n");
    expect(run.stdout).toContain("ticket key `KSW-` has no number");
    expect(run.status).toBe(1);
    expect(readFileSync(join(source, "months/2026-10/4.2.md"), "utf8")).toBe(
      crlf.replace("Highlights ", "Highlights").replace("KSW 88", "KSW-88"),
    );
    expect(readFileSync(join(source, "milestones.yaml"), "utf8")).toBe(register.replace("due: 2026/10/15", "due: 2026-10-15"));
    writeFileSync(join(source, "months/2026-10/4.2.md"), crlf.replace("KSW-.", "it."));
  });
});

describe("source and config rules", () => {
  it("reports a missing WBS tree, a duplicate section id, an empty title and a level out of range", () => {
    const source = exampleCopy("minimal");
    const config = readFileSync(join(source, "dmreport.yaml"), "utf8");
    writeFileSync(join(source, "dmreport.yaml"), config.replace("  - id: next\n", "  - id: highlights\n"));
    const register = readFileSync(join(source, "milestones.yaml"), "utf8");
    writeFileSync(join(source, "milestones.yaml"), register.replace("title: Scheduler dry run, level: 2", 'title: "", level: 12'));
    const show = (files: string[]) =>
      lint({ cwd: source, today: TODAY })
        .sources[0]!.diagnostics.filter((d) => files.includes(d.file))
        .map((d) => `${d.file}:${d.line}:${d.column} ${d.rule} ${d.message}`);
    expect(show(["dmreport.yaml"])).toEqual([
      "dmreport.yaml:10:9 config-duplicate section `highlights` is listed twice in `sections`",
      "dmreport.yaml:28:1 checks-skipped the fragments are checked against their schema only until the errors in dmreport.yaml are fixed: their WBS codes, sections and milestones are not judged yet",
    ]);
    writeFileSync(join(source, "dmreport.yaml"), config);
    expect(show(["milestones.yaml"])).toEqual([
      "milestones.yaml:4:28 schema-empty `title` must not be empty",
      "milestones.yaml:4:39 schema-range `level` must be at most 9, got `12`",
      "milestones.yaml:6:1 checks-skipped the milestones the fragments report are not looked up in milestones.yaml until its errors are fixed",
    ]);
    writeFileSync(join(source, "milestones.yaml"), register);
    rmSync(join(source, "wbs.yaml"));
    expect(show(["wbs.yaml"])).toEqual(["wbs.yaml:1:1 file-unreadable `wbs.yaml` is needed but the file does not exist"]);
  });

  it("reports a template override that fails while rendering, at its file", async () => {
    const source = exampleCopy("minimal");
    writeFileSync(join(source, "dmreport.yaml"), `${readFileSync(join(source, "dmreport.yaml"), "utf8")}templates: layout\n`);
    mkdirSync(join(source, "layout", "md"), { recursive: true });
    writeFileSync(join(source, "layout", "md", "report.hbs"), "{{title}}\n{{#each chapters}}{{nosuchfield}}{{/each}}\n");
    const result = await build({ source, month: "2026-10", write: false });
    expect(result.diagnostics).toMatchObject([{ file: "layout/md/report.hbs", line: 2, rule: "template-error", severity: "error" }]);
    expect(result.diagnostics[0]!.message).toBe("template problem: `nosuchfield` is not a value this template receives");
  });

  it("finds nothing wrong in the minimal example", () => {
    expect(lint({ cwd: join(REPO, "examples", "minimal"), today: TODAY }).sources[0]!.diagnostics).toEqual([]);
  });
});

interface SarifLog {
  runs: {
    results: {
      ruleId: string;
      fixes?: {
        artifactChanges: {
          replacements: {
            deletedRegion: { startLine: number; startColumn: number; endLine: number; endColumn: number };
            insertedContent: { text: string };
          }[];
        }[];
      }[];
    }[];
  }[];
}

describe("every independent problem in one run", () => {
  const fiveMistakes = (text: string) =>
    text
      .replace("wbs: 1.02C.03\n", "wbs: 1.02C.33\n")
      .replace("  - id: LDM-503-3\n", "  - id: LDM-503-03\n")
      .replace("    status: completed\n", "    status: complete\n")
      .replace("    completed: 2017-12-20\n", "    completed: 2017-12-32\n")
      .replace("## Recruitment update", "## Recruitement update");
  const file = "months/2017-12/1.02C.03.md";
  const original = readFileSync(join(REPO, "examples", "lsst-dm", file), "utf8");

  it("reports all five mistakes of one fragment at once, each unknown name with its nearest known one", () => {
    const source = exampleCopy("lsst-dm", { [file]: fiveMistakes(original) });
    const [linted] = lint({ files: [file], cwd: source, today: TODAY }).sources;
    expect(linted!.diagnostics.map((found) => [`${found.line}:${found.column}`, found.rule, found.suggestions])).toEqual([
      ["2:6", "wbs-unknown", ["1.02C.03"]],
      ["5:9", "milestone-unknown", ["LDM-503-3"]],
      ["6:13", "schema-enum", ["completed"]],
      ["7:16", "schema-format", undefined],
      ["11:1", "fragment-unknown-section", ["Recruitment update"]],
    ]);
    // The same through the command line, in JSON and SARIF.
    const json = JSON.parse(runCli(["lint", "--format", "json", file], source).stdout) as {
      diagnostics: { rule: string; suggestions?: string[] }[];
    };
    expect(json.diagnostics.map((found) => found.suggestions ?? [])).toEqual([
      ["1.02C.03"],
      ["LDM-503-3"],
      ["completed"],
      [],
      ["Recruitment update"],
    ]);
    expect(json.diagnostics[1]).toMatchObject({ replaces: { line: 5, column: 9, endLine: 5, endColumn: 19 } });
  });

  it("offers each suggestion as a SARIF fix whose replacement, applied, leaves only the mistake with no nearest value", () => {
    const source = exampleCopy("lsst-dm", { [file]: fiveMistakes(original) });
    const sarif = JSON.parse(runCli(["lint", "--format", "sarif", file], source).stdout) as SarifLog;
    const results = sarif.runs[0]!.results;
    expect(results.map((result) => result.fixes?.map((fix) => fix.artifactChanges[0]!.replacements[0]!.insertedContent.text))).toEqual([
      ["1.02C.03"],
      ["LDM-503-3"],
      ["completed"],
      undefined,
      ["Recruitment update"],
    ]);
    // Apply the replacements as a code scanning tool would: from the end, by line and column.
    const lines = readFileSync(join(source, file), "utf8").split("\n");
    const replacements = results.flatMap((result) => result.fixes?.[0]?.artifactChanges[0]?.replacements ?? []).reverse();
    for (const { deletedRegion: region, insertedContent } of replacements) {
      expect(region.endLine).toBe(region.startLine);
      const line = lines[region.startLine - 1]!;
      lines[region.startLine - 1] = line.slice(0, region.startColumn - 1) + insertedContent.text + line.slice(region.endColumn - 1);
    }
    writeFileSync(join(source, file), lines.join("\n"));
    expect(readFileSync(join(source, file), "utf8")).toBe(
      fiveMistakes(original)
        .replace("wbs: 1.02C.33", "wbs: 1.02C.03")
        .replace("LDM-503-03", "LDM-503-3")
        .replace("status: complete\n", "status: completed\n")
        .replace("## Recruitement update", "## Recruitment update"),
    );
    expect(lint({ files: [file], cwd: source, today: TODAY }).sources[0]!.diagnostics.map((found) => found.rule)).toEqual([
      "schema-format",
    ]);
  });

  it("keeps a quoted value's quotes when it offers a replacement", () => {
    const source = exampleCopy("lsst-dm", { [file]: original.replace("wbs: 1.02C.03\n", 'wbs: "1.02C.33"\n') });
    const [found] = lint({ files: [file], cwd: source, today: TODAY }).sources[0]!.diagnostics;
    expect(found).toMatchObject({
      rule: "wbs-unknown",
      line: 2,
      column: 6,
      span: { start: { line: 2, column: 7 }, end: { line: 2, column: 15 } },
    });
  });

  it("still shows a fragment's own problems when the register is broken, and says what it did not check", () => {
    const source = exampleCopy("lsst-dm", { [file]: fiveMistakes(original), "milestones.yaml": "milestones: [\n" });
    const [linted] = lint({ files: [file], cwd: source, today: TODAY }).sources;
    expect(linted!.diagnostics.filter((found) => found.file === file).map((found) => found.rule)).toEqual([
      "wbs-unknown",
      "schema-enum",
      "schema-format",
      "fragment-unknown-section",
    ]);
    expect(linted!.diagnostics.find((found) => found.rule === "checks-skipped")).toMatchObject({
      file: "milestones.yaml",
      severity: "warning",
      message: "the milestones the fragments report are not looked up in milestones.yaml until its errors are fixed",
    });
  });

  it("checks each fragment against its schema when the WBS tree is broken", () => {
    const source = exampleCopy("lsst-dm", { [file]: fiveMistakes(original), "wbs.yaml": "elements: 3\n" });
    const [linted] = lint({ files: [file], cwd: source, today: TODAY }).sources;
    expect(linted!.diagnostics.map((found) => `${found.file} ${found.rule}`)).toEqual([
      "months/2017-12/1.02C.03.md schema-enum",
      "months/2017-12/1.02C.03.md schema-format",
      "wbs.yaml schema-type",
      "wbs.yaml checks-skipped",
    ]);
  });
});

describe("forecast-differs", () => {
  it("warns where a lead's forecast and the month's schedule export differ by more than slipThreshold", () => {
    const snapshot = (forecast: string) =>
      `month: 2026-10\nexport: p6.csv\nmilestones:\n  - { id: CAMM6995, wbs: "4.1.2", due: 2026-09-30, forecast: ${forecast} }\n`;
    // The lead says 2026-11-20: 41 days after the schedule's 2026-10-10, 5 days after its 2026-11-15.
    const far = lint({
      cwd: exampleCopy("minimal", { "schedule/2026-10.yaml": snapshot("2026-10-10") }),
      today: TODAY,
    }).sources[0]!.diagnostics.filter((found) => found.rule === "forecast-differs");
    expect(far.map((found) => `${found.file}:${found.line}:${found.column} ${found.severity} ${found.message}`)).toEqual([
      "months/2026-10/4.1.2.md:7:15 warning the forecast 2026-11-20 for `CAMM6995` differs from the 2026-10 schedule's 2026-10-10 by 41 days, more than milestones.slipThreshold (30): check the date, or say why in the note",
    ]);
    const near = lint({ cwd: exampleCopy("minimal", { "schedule/2026-10.yaml": snapshot("2026-11-15") }), today: TODAY }).sources[0]!
      .diagnostics;
    expect(near.filter((found) => found.rule === "forecast-differs")).toEqual([]);
  });

  it("warns where a lead reports completed what the month's schedule export shows open", () => {
    const snapshot = (row: string) =>
      `month: 2026-10\nexport: p6.csv\nmilestones:\n  - { id: A2330, wbs: "4.2", due: 2026-10-15, ${row} }\n`;
    const rule = (row: string) =>
      lint({ cwd: exampleCopy("minimal", { "schedule/2026-10.yaml": snapshot(row) }), today: TODAY }).sources[0]!.diagnostics.filter(
        (found) => found.rule === "completed-not-in-schedule",
      );
    expect(
      rule("forecast: 2026-11-02").map((found) => `${found.file}:${found.line}:${found.column} ${found.severity} ${found.message}`),
    ).toEqual([
      "months/2026-10/4.2.md:6:13 warning `A2330` is reported completed, but the 2026-10 schedule export shows it open (forecast 2026-11-02): tell the project office, so that the schedule records its actual finish",
    ]);
    expect(rule("forecast: 2026-10-14, completed: 2026-10-14")).toEqual([]);
  });
});
