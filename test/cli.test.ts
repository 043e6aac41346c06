// End-to-end: the real CLI as a child process, on scratch copies of examples/minimal.
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, readFileSync, readdirSync, rmSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CLI, exampleCopy, REPO, runCli, tempFolder } from "./helpers.js";

const fragment = (frontmatter: string, body = "\n## Highlights\n\nText.\n") => `---\n${frontmatter}---\n${body}`;
const register = (...extra: string[]) =>
  [
    "milestones:",
    '  - { id: A2330, title: First fringes, wbs: "4.2", due: 2026-10-15 }',
    '  - { id: CAMM6995, title: Scheduler dry run, wbs: "4.1.2", due: 2026-09-30 }',
    '  - { id: KSW-M-7, title: Pointing model, wbs: "4.1.1", due: 2026-12-01 }',
    ...extra,
    "",
  ].join("\n");

interface BadInput {
  name: string;
  files: Record<string, string>;
  /** The exact diagnostic lines expected on stderr. */
  expected: string[];
}

const badInputs: BadInput[] = [
  {
    name: "broken YAML",
    files: { "wbs.yaml": 'elements:\n  - code: "4.1\n    title: Telescope Control\n' },
    expected: [
      'wbs.yaml:4:1: error: YAML syntax error: Missing closing "quote (a quote or bracket is not closed) [yaml-syntax]',
      "wbs.yaml:4:1: warning: the fragments are checked against their schema only until the errors in wbs.yaml are fixed: their WBS codes, sections and milestones are not judged yet [checks-skipped]",
    ],
  },
  {
    name: "tabs for indentation",
    files: { "months/2026-10/4.2.md": fragment('wbs: "4.2"\nmonth: 2026-10\nmilestones:\n\t- id: A2330\n') },
    expected: [
      "months/2026-10/4.2.md:5:1: error: YAML syntax error: Tabs are not allowed as indentation (indent with spaces, not tabs) [yaml-syntax]",
    ],
  },
  {
    name: "duplicate key",
    files: { "months/2026-10/4.2.md": fragment('wbs: "4.2"\nmonth: 2026-10\nmonth: 2026-10\n') },
    expected: [
      "months/2026-10/4.2.md:4:1: error: YAML syntax error: Map keys must be unique (remove one of the two entries) [yaml-syntax]",
    ],
  },
  {
    name: "a date that does not exist",
    files: { "milestones.yaml": register().replace("due: 2026-10-15", "due: 2026-11-31") },
    expected: [
      "milestones.yaml:2:57: error: `due` must be a real date like 2018-01-31, got `2026-11-31` [schema-format]",
      "milestones.yaml:5:1: warning: the milestones the fragments report are not looked up in milestones.yaml until its errors are fixed [checks-skipped]",
    ],
  },
  {
    name: "a required field missing",
    files: { "milestones.yaml": register().replace(", due: 2026-10-15", "") },
    expected: [
      "milestones.yaml:2:5: error: `due` is missing in entry 1 of `milestones`: add the baseline due date as `due:` [schema-required]",
      "milestones.yaml:5:1: warning: the milestones the fragments report are not looked up in milestones.yaml until its errors are fixed [checks-skipped]",
    ],
  },
  {
    name: "a mistyped key",
    files: { "months/2026-10/4.2.md": fragment('wbs: "4.2"\nmonth: 2026-10\nmilestone:\n  - id: A2330\n') },
    expected: ["months/2026-10/4.2.md:4:1: error: unknown key `milestone`: did you mean `milestones`? [schema-unknown-key]"],
  },
  {
    name: "a status not in the allowed set",
    files: { "months/2026-10/4.2.md": fragment('wbs: "4.2"\nmonth: 2026-10\nmilestones:\n  - id: A2330\n    status: done\n') },
    expected: [
      "months/2026-10/4.2.md:6:13: error: `status` must be one of completed, delayed, at-risk, on-track; got `done` [schema-enum]",
    ],
  },
  {
    name: "a WBS code given as a number",
    files: { "wbs.yaml": "elements:\n  - code: 4.10\n    title: Telescope Control\n" },
    expected: [
      'wbs.yaml:2:11: error: `code` must be text, got `4.1` (YAML read it as a number: write it in quotes, "4.10") [schema-type]',
      "wbs.yaml:4:1: warning: the fragments are checked against their schema only until the errors in wbs.yaml are fixed: their WBS codes, sections and milestones are not judged yet [checks-skipped]",
    ],
  },
  {
    name: "an unknown WBS code",
    files: { "months/2026-10/4.3.md": fragment('wbs: "4.3"\nmonth: 2026-10\n') },
    expected: [
      "months/2026-10/4.3.md:2:6: error: WBS code `4.3` (this fragment's element) is not in wbs.yaml: did you mean `4.1` or `4.2`? Otherwise add the element to wbs.yaml [wbs-unknown]",
    ],
  },
  {
    name: "a WBS child not under its parent",
    files: {
      "wbs.yaml":
        'elements:\n  - code: "4.1"\n    title: Telescope Control\n    children:\n      - { code: "4.1.1", title: Pointing }\n      - { code: "5.1.2", title: Scheduler }\n  - { code: "4.2", title: Data Pipeline }\n',
    },
    expected: [
      "wbs.yaml:6:17: error: WBS code `5.1.2` is not under its parent `4.1`: a child's code continues its parent's (e.g. `4.1.01`) [wbs-not-under-parent]",
      "wbs.yaml:8:1: warning: the fragments are checked against their schema only until the errors in wbs.yaml are fixed: their WBS codes, sections and milestones are not judged yet [checks-skipped]",
    ],
  },
  {
    name: "a duplicate milestone id",
    files: { "milestones.yaml": register('  - { id: A2330, title: Again, wbs: "4.2", due: 2026-10-15 }') },
    expected: [
      "milestones.yaml:5:11: error: milestone `A2330` is already in the register (entry 1); each id may appear once, or again for other months (`from`, `until`) [milestone-duplicate]",
    ],
  },
  {
    name: "a milestone not in the register",
    files: {
      "months/2026-10/4.2.md": fragment(
        'wbs: "4.2"\nmonth: 2026-10\nmilestones:\n  - id: A2331\n    status: completed\n    completed: 2026-10-14\n',
      ),
    },
    expected: [
      "months/2026-10/4.2.md:5:9: error: milestone `A2331` is not in milestones.yaml: did you mean `A2330`? Otherwise add the milestone to the register [milestone-unknown]",
    ],
  },
  {
    name: "a milestone reported by an element that does not own it",
    files: {
      "months/2026-10/4.2.md": fragment(
        'wbs: "4.2"\nmonth: 2026-10\nmilestones:\n  - id: CAMM6995\n    status: completed\n    completed: 2026-10-14\n',
      ),
    },
    expected: [
      "months/2026-10/4.2.md:5:9: error: milestone `CAMM6995` belongs to WBS 4.1.2, not to 4.2: report its status in that element's fragment [milestone-not-owned]",
    ],
  },
  {
    name: "a second fragment for the same element",
    files: { "months/2026-10/pipeline.md": fragment('wbs: "4.2"\nmonth: 2026-10\n') },
    expected: [
      "months/2026-10/pipeline.md:2:6: error: months/2026-10/4.2.md is already the fragment for WBS element 4.2 in 2026-10: merge the two, there is one fragment per element and month [fragment-duplicate]",
    ],
  },
  {
    name: "a month that disagrees with the folder",
    files: { "months/2026-10/4.2.md": fragment('wbs: "4.2"\nmonth: 2026-09\n') },
    expected: [
      "months/2026-10/4.2.md:3:8: error: month `2026-09` does not match the folder it is in (2026-10): move the file or correct the month [fragment-month-mismatch]",
    ],
  },
  {
    name: "a section the report does not show",
    files: {
      "months/2026-10/4.2.md": fragment(
        'wbs: "4.2"\nmonth: 2026-10\n',
        "\n## Highlights\n\nText.\n\n## Risks\n\nThe correlator may slip.\n",
      ),
    },
    expected: [
      "months/2026-10/4.2.md:10:1: error: section `Risks` is not one the report shows, so its text would be lost: use one of `Highlights`, `Next month`, `Staffing` [fragment-unknown-section]",
    ],
  },
  {
    name: "text before the first section",
    files: { "months/2026-10/4.2.md": fragment('wbs: "4.2"\nmonth: 2026-10\n', "\nFirst fringes.\n\n## Highlights\n\nText.\n") },
    expected: [
      "months/2026-10/4.2.md:6:1: error: this text is not under a section heading, so it would be lost: put it under one of `Highlights`, `Next month`, `Staffing` [fragment-text-outside-section]",
    ],
  },
  {
    name: "a fragment without frontmatter",
    files: { "months/2026-10/4.2.md": "## Highlights\n\nText.\n" },
    expected: [
      "months/2026-10/4.2.md:1:1: error: this fragment has no frontmatter: start it with the lines `---`, `wbs: CODE` (or `part: NAME`), `month: YYYY-MM`, `---` [fragment-frontmatter]",
    ],
  },
  {
    name: "frontmatter never closed",
    files: { "months/2026-10/4.2.md": '---\nwbs: "4.2"\nmonth: 2026-10\n\n## Highlights\n' },
    expected: [
      "months/2026-10/4.2.md:1:1: error: the frontmatter that opens on line 1 is never closed: add a line `---` after the last key [frontmatter-unclosed]",
    ],
  },
  {
    name: "a template folder outside the source",
    files: { "dmreport.yaml": "title: T\ntemplates: ../\n" },
    expected: [
      "dmreport.yaml:2:12: error: templates folder `../` is outside the source; templates must live inside the folder of dmreport.yaml [config-templates]",
      "dmreport.yaml:3:1: warning: the fragments are checked against their schema only until the errors in dmreport.yaml are fixed: their WBS codes, sections and milestones are not judged yet [checks-skipped]",
    ],
  },
];

describe("dmreport build on bad input", () => {
  for (const { name, files, expected } of badInputs) {
    it(`reports ${name} with its position, exits 1 and writes nothing`, () => {
      const source = exampleCopy("minimal", files);
      const run = runCli(["build", "--month", "2026-10"], source);
      const errors = expected.filter((line) => line.includes(": error: ")).length;
      const warnings = expected.length - errors;
      const count = `${errors} error${errors === 1 ? "" : "s"}${warnings ? `, ${warnings} warning${warnings === 1 ? "" : "s"}` : ""}`;
      expect(run.stderr).toBe([...expected, count, "nothing was written: fix the errors above and build again", ""].join("\n"));
      expect(run.status).toBe(1);
      expect(run.stdout).toBe("");
      expect(existsSync(join(source, "build"))).toBe(false);
    });
  }

  it("reports every problem of a source in one run, in file order", () => {
    const source = exampleCopy("minimal", {
      "months/2026-10/4.2.md": fragment('wbs: "4.2"\nmonth: 2026-09\n'),
      "months/2026-10/4.3.md": fragment('wbs: "4.3"\nmonth: 2026-10\n'),
    });
    const run = runCli(["build", "--month", "2026-10"], source);
    expect(run.stderr.split("\n").slice(0, 3)).toEqual([
      "months/2026-10/4.2.md:3:8: error: month `2026-09` does not match the folder it is in (2026-10): move the file or correct the month [fragment-month-mismatch]",
      "months/2026-10/4.3.md:2:6: error: WBS code `4.3` (this fragment's element) is not in wbs.yaml: did you mean `4.1` or `4.2`? Otherwise add the element to wbs.yaml [wbs-unknown]",
      "2 errors",
    ]);
    expect(run.status).toBe(1);
  });

  it("reports a month with no folder", () => {
    const run = runCli(["build", "--month", "2026-11"], exampleCopy("minimal"));
    expect(run.stderr.split("\n")[0]).toBe(
      "months/2026-11:1:1: error: there is no folder months/2026-11/ for the month asked for (months in this source: 2026-09, 2026-10) [month-missing]",
    );
    expect(run.status).toBe(1);
  });
});

describe("dmreport build usage errors exit 2", () => {
  const cases: [string, string[], string][] = [
    ["a month that is not a month", ["build", "--month", "2026-13"], "dmreport: --month must be a month like 2017-12, got 2026-13\n"],
    ["an unknown format", ["build", "--format", "docx"], "dmreport: unknown format docx: choose from md, html, print, pdf\n"],
  ];
  for (const [name, args, stderr] of cases) {
    it(`for ${name}`, () => {
      const run = runCli(args, exampleCopy("minimal"));
      expect(run.stderr).toBe(stderr);
      expect(run.status).toBe(2);
    });
  }

  it("outside any report source", () => {
    const folder = tempFolder();
    const run = runCli(["build"], folder);
    expect(run.stderr).toMatch(
      /^dmreport: no dmreport\.yaml found in .* or any folder above it; run dmreport in a report source, or name its folder\n$/,
    );
    expect(run.status).toBe(2);
  });

  it("for an output folder that holds the source", () => {
    const source = exampleCopy("minimal");
    const run = runCli(["build", "--out", "."], source);
    expect(run.stderr).toMatch(/^dmreport: --out .* is the report source or a folder above it/);
    expect(run.status).toBe(2);
  });

  it("for an unknown option, with a pointer to help", () => {
    const run = runCli(["build", "--colour"], exampleCopy("minimal"));
    expect(run.stderr).toContain("error: unknown option '--colour'");
    expect(run.status).toBe(2);
  });
});

describe("dmreport build on good input", () => {
  it("finds the source from a folder inside it and builds the latest month into build/", () => {
    const source = exampleCopy("minimal");
    const run = runCli(["build"], join(source, "months", "2026-09"));
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^wrote \.\.\/\.\.\/build\/kestrel-2026-10\.md\nbuilt 2026-10 in \d+ ms\n$/);
    expect(readdirSync(join(source, "build"))).toEqual(["kestrel-2026-10.md"]);
  });

  it("never changes the source's files", () => {
    const source = exampleCopy("minimal");
    const before = snapshot(source);
    expect(runCli(["build", "--out", join(source, "build")], source).status).toBe(0);
    const after = snapshot(source);
    delete after["build/kestrel-2026-10.md"];
    expect(after).toEqual(before);
  });

  it("shows each default once, says which options are required, and stops quietly when its reader stops early", () => {
    const help = runCli(["init", "--help"]).stdout;
    expect(help).toContain("where to create it (default: the current folder)\n");
    expect(help).not.toContain('(default: ".")');
    expect(runCli(["new", "--help"]).stdout).toContain("the month to open (required)");
    // `dmreport lint --help | head -1`: the pipe closes before the help is written.
    const piped = spawnSync("bash", ["-c", `"${process.execPath}" "${CLI}" lint --help | head -1; exit \${PIPESTATUS[0]}`], {
      encoding: "utf8",
    });
    expect(piped).toMatchObject({ status: 0, stdout: "Usage: dmreport lint [options] [files...]\n", stderr: "" });
  });

  it("prints help with examples, and its version", () => {
    const help = runCli(["build", "--help"]);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain("Usage: dmreport build [options] [source]");
    expect(help.stdout).toContain("$ dmreport build examples/lsst-dm --month 2017-12");
    const version = runCli(["--version"]);
    expect(version.stdout).toBe(`${JSON.parse(readFileSync(join(REPO, "package.json"), "utf8")).version}\n`);
    expect(version.status).toBe(0);
  });
});

function snapshot(folder: string, prefix = ""): Record<string, string> {
  const files: Record<string, string> = {};
  for (const entry of readdirSync(join(folder, prefix), { withFileTypes: true })) {
    const path = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) Object.assign(files, snapshot(folder, path));
    else files[path] = readFileSync(join(folder, path), "utf8");
  }
  return files;
}

describe("dmreport with its compiled program incomplete", () => {
  it("says to build it, and exits 2, for each file a command may load first", () => {
    const copy = tempFolder();
    for (const name of ["package.json", "bin", "dist"]) cpSync(join(REPO, name), join(copy, name), { recursive: true });
    symlinkSync(join(REPO, "node_modules"), join(copy, "node_modules"));
    const source = exampleCopy("minimal");
    const run = (args: string[]) =>
      spawnSync(process.execPath, [join(copy, "bin", "dmreport"), ...args], { cwd: source, encoding: "utf8" });
    expect(run(["lint", "months/2026-10/4.1.1.md"]).status).toBe(0);
    // A checkout pulled past a change of the bundles and not built again, for lint (which pre-commit runs) and build.
    for (const missing of ["cli.cjs", "lint-client.cjs", "cli.js"]) {
      rmSync(join(copy, "dist", "cli", missing));
      for (const args of [
        ["lint", "months/2026-10/4.1.1.md"],
        ["build", "--format", "md", "--out", tempFolder()],
      ])
        expect(run(args), missing).toMatchObject({
          status: 2,
          stdout: "",
          stderr: "dmreport: the compiled program is missing; run `npm install` (or `npm run build`) in the dmreport folder\n",
        });
      cpSync(join(REPO, "dist", "cli", missing), join(copy, "dist", "cli", missing));
    }
  });
});
