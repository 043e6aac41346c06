// Hostile and broken input: a diagnostic at the right place, exit 1, no stack trace, nothing written, never a hang.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { exampleCopy, runCli, tempFolder } from "./helpers.js";
import { build } from "../src/build.js";
import { lint } from "../src/lint.js";

const fragment = "months/2026-10/4.2.md";
const header = '---\nwbs: "4.2"\nmonth: 2026-10\n---\n\n## Highlights\n\n';

interface Case {
  name: string;
  /** Change the copy of examples/minimal. */
  prepare: (source: string) => void;
  /** The first line on stderr, paths relative to the source. */
  expected: string;
  status: number;
}

const cases: Case[] = [
  {
    name: "a YAML alias bomb",
    prepare: (source) =>
      writeFileSync(
        join(source, fragment),
        '---\nwbs: "4.2"\nmonth: 2026-10\na: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n---\n',
      ),
    expected: `${fragment}:2:1: error: this YAML expands too many aliases (\`*name\`); write the values out, or use fewer aliases [yaml-aliases]`,
    status: 1,
  },
  {
    name: "an alias to the value that contains it",
    prepare: (source) => writeFileSync(join(source, "wbs.yaml"), 'elements: &e\n  - code: "4.1"\n    title: T\n    children: *e\n'),
    expected:
      "wbs.yaml:1:1: error: an alias (`*name`) refers to a value that contains it, which never ends; write the value out [yaml-aliases]",
    status: 1,
  },
  {
    name: "a 20 MB fragment",
    prepare: (source) => writeFileSync(join(source, fragment), header + "word ".repeat(4_000_000)),
    expected: `${fragment}:1:1: error: \`${fragment}\` is 19.1 MiB, more than the 1.0 MiB dmreport reads (limits.fileBytes in dmreport.yaml) [file-too-large]`,
    status: 1,
  },
  {
    name: "10,000 nested quotes",
    prepare: (source) => writeFileSync(join(source, fragment), `${header}${">".repeat(10_000)} deep\n`),
    expected: `${fragment}:8:1: error: lists and quotes nest 10000 deep here, more than the 32 dmreport reads (limits.nesting in dmreport.yaml); the fragment is left out [markdown-too-deep]`,
    status: 1,
  },
  {
    name: "lists nested 500 deep",
    prepare: (source) =>
      writeFileSync(join(source, fragment), header + Array.from({ length: 500 }, (_, depth) => `${"  ".repeat(depth)}- item`).join("\n")),
    expected: `${fragment}:507:1: error: lists and quotes nest 499 deep here, more than the 32 dmreport reads (limits.nesting in dmreport.yaml); the fragment is left out [markdown-too-deep]`,
    status: 1,
  },
  {
    name: "a NUL byte",
    prepare: (source) => writeFileSync(join(source, fragment), `${header}A\u0000B\n`),
    expected: `${fragment}:1:1: error: \`${fragment}\` has a NUL byte (at byte 51): it is not a text file [file-encoding]`,
    status: 1,
  },
  {
    name: "invalid UTF-8",
    prepare: (source) => writeFileSync(join(source, fragment), Buffer.concat([Buffer.from(header), Buffer.from([0xc3, 0x28])])),
    expected: `${fragment}:1:1: error: \`${fragment}\` is not valid UTF-8 text: save it as UTF-8 [file-encoding]`,
    status: 1,
  },
  {
    name: "an empty file",
    prepare: (source) => writeFileSync(join(source, fragment), ""),
    expected: `${fragment}:1:1: error: this fragment has no frontmatter: start it with the lines \`---\`, \`wbs: CODE\` (or \`part: NAME\`), \`month: YYYY-MM\`, \`---\` [fragment-frontmatter]`,
    status: 1,
  },
  {
    name: "a link to a file outside the source",
    prepare: (source) => {
      const outside = join(tempFolder(), "outside.md");
      writeFileSync(outside, `${header}Elsewhere.\n`);
      rmSync(join(source, fragment));
      symlinkSync(outside, join(source, fragment));
    },
    expected: `${fragment}:1:1: error: \`${fragment}\` is a link to OUTSIDE, outside the source: dmreport reads only files inside the report source, so copy the file in [file-outside-source]`,
    status: 1,
  },
  {
    name: "40,000 emphasis marks in one paragraph",
    prepare: (source) => writeFileSync(join(source, fragment), `${header}${"_em_ ".repeat(20_000)}\n`),
    expected: `${fragment}:8:1: error: the fragment has 40000 emphasis marks (\`*\`, \`_\`), more than the 10000 dmreport reads, from here on: the Markdown parser's time grows with the square of their number; write less emphasis, or put code in a code block; the fragment is left out [markdown-too-deep]`,
    status: 1,
  },
  {
    name: "40,000 underscores in a code block (not emphasis)",
    prepare: (source) => writeFileSync(join(source, fragment), `${header}\`\`\`\n${"_".repeat(40_000)}\n\`\`\`\n`),
    // Built: the warning is the one the fragment's frontmatter earns (it no longer reports A2330).
    expected: `${fragment}:2:6: warning: milestone \`A2330\` (First fringes with the new correlator) was due 2026-10-15, is not completed and has never been reported: the 2026-10 report shows it as delayed until its status is reported here, under \`milestones:\` [milestone-owed]`,
    status: 0,
  },
  {
    name: "a link loop",
    prepare: (source) => symlinkSync("loop.md", join(source, "months/2026-10/loop.md")),
    expected:
      "months/2026-10/loop.md:1:1: warning: `months/2026-10/loop.md` is a link that leads nowhere (or to itself) and is left out of the report [fragment-not-markdown]",
    status: 0,
  },
  {
    name: "a fragment that is a folder",
    prepare: (source) => {
      rmSync(join(source, fragment));
      mkdirSync(join(source, fragment));
    },
    expected: `${fragment}:1:1: warning: \`${fragment}\` is a folder, not a fragment; what is inside it is read as fragments [fragment-not-markdown]`,
    status: 0,
  },
  {
    name: "a month that does not exist (2026-13)",
    prepare: (source) => mkdirSync(join(source, "months/2026-13")),
    expected:
      "months/2026-13:1:1: warning: `months/2026-13` is not a month folder (months/YYYY-MM/); nothing in it is part of any report [month-folder-name]",
    status: 0,
  },
  {
    name: "wrong types at every level",
    prepare: (source) => writeFileSync(join(source, "milestones.yaml"), "milestones:\n  - [A2330]\n"),
    expected: "milestones.yaml:2:5: error: entry 1 of `milestones` must be a set of `key: value` lines, got a list [schema-type]",
    status: 1,
  },
];

describe("hostile input", () => {
  for (const { name, prepare, expected, status } of cases) {
    it(`answers ${name} with a diagnostic, without a stack trace${status ? ", writing nothing" : ""}`, () => {
      const source = exampleCopy("minimal");
      prepare(source);
      const out = join(tempFolder(), "out");
      const started = Date.now();
      const run = runCli(["build", "--month", "2026-10", "--out", out], source);
      expect(Date.now() - started).toBeLessThan(10_000);
      const first = run.stderr.split("\n")[0]!.replace(/link to \S+, outside/, "link to OUTSIDE, outside");
      expect(first).toBe(expected);
      expect(run.stderr).not.toMatch(/\n\s+at |internal error/);
      expect(run.status).toBe(status);
      if (status) expect(existsSync(out)).toBe(false);
      else expect(readdirSync(out)).toEqual(["kestrel-2026-10.md"]);
    });
  }

  it("builds 5,000 milestones in well under ten seconds", () => {
    const register = Array.from(
      { length: 5000 },
      (_, index) => `  - { id: M-${index}, title: Milestone ${index}, wbs: "4.2", due: 2026-12-15 }`,
    );
    const source = exampleCopy("minimal");
    writeFileSync(
      join(source, "milestones.yaml"),
      `milestones:\n${register.join("\n")}\n  - { id: A2330, title: First fringes, wbs: "4.2", due: 2026-10-15 }\n  - { id: CAMM6995, title: Scheduler, wbs: "4.1.2", due: 2026-09-30 }\n  - { id: KSW-M-7, title: Pointing, wbs: "4.1.1", due: 2026-12-01 }\n`,
    );
    const started = Date.now();
    const run = runCli(["build", "--month", "2026-10", "--out", join(tempFolder(), "out")], source);
    expect(run.status).toBe(0);
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});

describe("YAML errors of every kind the parser reports", () => {
  // [kind, wbs.yaml, the first line on stderr]; KEYKEY stands for a key of 1,100 characters.
  const kinds: [string, string, string][] = [
    [
      "BAD_DQ_ESCAPE",
      'elements:\n  - code: "4\\q"\n    title: T\n',
      "wbs.yaml:2:13: error: YAML syntax error: Invalid escape sequence \\q [yaml-syntax]",
    ],
    [
      "BAD_INDENT",
      'elements:\n  - code: "4"\n   title: T\n',
      "wbs.yaml:3:1: error: YAML syntax error: Sequence item without - indicator (check the indentation of this line against the lines above) [yaml-syntax]",
    ],
    [
      "BLOCK_AS_IMPLICIT_KEY",
      'elements:\n  - code: "4"\n    title: T\n  x\n  y: z\n',
      "wbs.yaml:4:1: error: YAML syntax error: All mapping items must start at the same column (check the indentation of this line against the lines above) [yaml-syntax]",
    ],
    [
      "BAD_ALIAS",
      "elements: *nowhere\n",
      "wbs.yaml:1:1: error: the alias `*nowhere` names no anchor: set `&nowhere` on a value before it, or write the value out [yaml-aliases]",
    ],
    [
      "MULTIPLE_DOCS",
      "elements: []\n---\nelements: []\n",
      "wbs.yaml:2:1: error: YAML syntax error: this file holds more than one YAML document (a `---` line inside it); keep one [yaml-syntax]",
    ],
    [
      "UNEXPECTED_TOKEN",
      'elements:\n  - code: "4"\n    title: T\n]\n',
      'wbs.yaml:4:1: error: YAML syntax error: Unexpected flow-seq-end token in YAML stream: "]" [yaml-syntax]',
    ],
    [
      "MISSING_CHAR flow",
      'elements: [ { code: "4", title: T }\n',
      "wbs.yaml:2:1: error: YAML syntax error: Flow sequence in block collection must be sufficiently indented and end with a ] (check the indentation of this line against the lines above) [yaml-syntax]",
    ],
    [
      "MULTIPLE_ANCHORS",
      "elements: &a &b []\n",
      "wbs.yaml:1:14: error: YAML syntax error: A node can have at most one anchor [yaml-syntax]",
    ],
    [
      "TAG_RESOLVE_FAILED",
      "elements: !!int nope\n",
      "wbs.yaml:1:11: error: YAML syntax error: Unresolved tag: tag:yaml.org,2002:int [yaml-syntax]",
    ],
    [
      "KEY_OVER_1024_CHARS",
      "elements: []\nKEYKEY: 1\n",
      "wbs.yaml:2:1: error: YAML syntax error: The : indicator must be at most 1024 chars after the start of an implicit block mapping key [yaml-syntax]",
    ],
    ["BAD_DIRECTIVE", "%FOO bar\n---\nelements: []\n", "wbs.yaml:1:1: error: YAML syntax error: Unknown directive %FOO [yaml-syntax]"],
    [
      "BLOCK_IN_FLOW",
      "elements: [\n  - a\n]\n",
      "wbs.yaml:2:3: error: YAML syntax error: Block collections are not allowed within flow collections [yaml-syntax]",
    ],
    [
      "TAB_AS_INDENT",
      'elements:\n\t- code: "4"\n',
      "wbs.yaml:2:1: error: YAML syntax error: Tabs are not allowed as indentation (indent with spaces, not tabs) [yaml-syntax]",
    ],
    [
      "DUPLICATE_KEY",
      "elements: []\nelements: []\n",
      "wbs.yaml:2:1: error: YAML syntax error: Map keys must be unique (remove one of the two entries) [yaml-syntax]",
    ],
  ];
  for (const [kind, text, expected] of kinds) {
    it(`reports ${kind} at its place, exits 1 and writes nothing`, () => {
      const source = exampleCopy("minimal", { "wbs.yaml": text.replace("KEYKEY", "k".repeat(1100)) });
      const out = join(tempFolder(), "out");
      const run = runCli(["build", "--month", "2026-10", "--out", out], source);
      expect(run.stderr.split("\n")[0]).toBe(expected);
      expect(run.stderr).not.toMatch(/internal error|\n\s+at /);
      expect(run.status).toBe(1);
      expect(existsSync(out)).toBe(false);
    });
  }
});

describe("images in fragments", () => {
  // A 1x1 PNG.
  const png = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYGD4DwABBAEAwS2OUAAAAABJRU5ErkJggg==", "base64");

  it("carries a local image inside the HTML page, and keeps the Markdown as written", async () => {
    // The fragment keeps reporting its milestone, so that the build has nothing to say.
    const reporting = header.replace(
      "month: 2026-10\n",
      "month: 2026-10\nmilestones: [{ id: A2330, status: completed, completed: 2026-10-14 }]\n",
    );
    const source = exampleCopy("minimal", { [fragment]: `${reporting}![The plot](plots/fringes.png)\n` });
    mkdirSync(join(source, "months/2026-10/plots"));
    writeFileSync(join(source, "months/2026-10/plots/fringes.png"), png);
    const out = join(tempFolder(), "out");
    const run = runCli(["build", "--month", "2026-10", "--format", "html,md", "--out", out], source);
    expect(run.stderr).toBe("");
    expect(readFileSync(join(out, "kestrel-2026-10.html"), "utf8")).toContain(
      `<img src="data:image/png;base64,${png.toString("base64")}" alt="The plot">`,
    );
    expect(readFileSync(join(out, "kestrel-2026-10.md"), "utf8")).toContain("![The plot](plots/fringes.png)");
  });

  const cases: [string, string, (source: string) => void, string][] = [
    [
      "outside the source",
      "![x](../../../secret.png)",
      (source) => writeFileSync(join(source, "..", "secret.png"), png),
      `${fragment}:8:1: error: image \`../../../secret.png\` is outside the source; images must live in the source, so copy it in [image-outside-source]`,
    ],
    [
      "missing",
      "![x](nowhere.png)",
      () => undefined,
      `${fragment}:8:1: error: image \`nowhere.png\` does not exist (looked for months/2026-10/nowhere.png) [image-missing]`,
    ],
    [
      "of another type",
      "![x](drawing.svg)",
      (source) => writeFileSync(join(source, "months/2026-10/drawing.svg"), "<svg/>"),
      `${fragment}:8:1: error: image \`drawing.svg\` is not PNG, JPEG, GIF or WebP, which is what a report page can carry [image-type]`,
    ],
  ];
  for (const [name, markdown, prepare, expected] of cases) {
    it(`refuses an image ${name}, at its place`, () => {
      const source = exampleCopy("minimal", { [fragment]: `${header}${markdown}\n` });
      prepare(source);
      const out = join(tempFolder(), "out");
      const run = runCli(["build", "--month", "2026-10", "--out", out], source);
      expect(run.stderr.split("\n")[0]).toBe(expected);
      expect(run.status).toBe(1);
      expect(existsSync(out)).toBe(false);
    });
  }
});

describe("values of the wrong type at every level", () => {
  const cases: [string, string, string][] = [
    ["dmreport.yaml", "title: [Monthly]\n", "dmreport.yaml:1:8: error: `title` must be text, got a list [schema-type]"],
    ["wbs.yaml", "elements: 5\n", "wbs.yaml:1:11: error: `elements` must be a list, got `5` [schema-type]"],
    [
      fragment,
      '---\nwbs: "4.2"\nmonth: 2026-10\nmilestones: soon\n---\n',
      `${fragment}:4:13: error: \`milestones\` must be a list, got \`soon\` [schema-type]`,
    ],
    [
      "milestones.yaml",
      'milestones:\n  - { id: A2330, title: T, wbs: "4.2", due: 2026-10-15, level: high }\n',
      "milestones.yaml:2:64: error: `level` must be a whole number, got `high` [schema-type]",
    ],
  ];
  for (const [file, text, expected] of cases) {
    it(`reports a wrong type in ${file} at the value`, () => {
      const run = runCli(["build", "--month", "2026-10", "--out", join(tempFolder(), "out")], exampleCopy("minimal", { [file]: text }));
      expect(run.stderr.split("\n")[0]).toBe(expected);
      expect(run.status).toBe(1);
    });
  }
});

describe("a fragment whose values have every wrong type", () => {
  const frontmatters = [
    "wbs: [1]\nmonth: 2026-10\n",
    "part: { a: 1 }\nmonth: 2026-10\n",
    'wbs: "4.2"\nmonth: 5\nmilestones:\n  - { id: A2330, status: completed, completed: 2026-10-14 }\n',
    'wbs: "4.2"\nmonth: 2026-13\n',
    'wbs: "4.2"\nmonth: 2026-10\nmilestones: x\n',
    'wbs: "4.2"\nmonth: 2026-10\nmilestones: [5, null, []]\n',
    'wbs: "4.2"\nmonth: 2026-10\nmilestones:\n  - { id: { a: 1 }, status: 3, completed: [1], forecast: {}, note: 7, title: [] }\n',
    'wbs: "4.2"\nmonth: 2026-10\nmilestones:\n  - { id: [1, A2330], status: delayed, forecast: 2026-13-01 }\n',
    "wbs: 4.2\npart: summary\nmonth: [2026-10]\n",
  ];
  for (const frontmatter of frontmatters) {
    it(`answers ${JSON.stringify(frontmatter)} with errors at their place, never an exception`, async () => {
      const file = "months/2026-10/4.2.md";
      const source = exampleCopy("minimal", { [file]: `---\n${frontmatter}---\n\n## Highlights\n\nText.\n` });
      const linted = lint({ cwd: source, today: "2026-11-24" }).sources[0]!.diagnostics.filter((found) => found.file === file);
      expect(linted.some((found) => found.severity === "error")).toBe(true);
      for (const found of linted) expect(found.line).toBeGreaterThanOrEqual(2);
      const built = await build({ source, month: "2026-10", formats: ["md"], write: false });
      expect(built.diagnostics.some((found) => found.severity === "error")).toBe(true);
    });
  }
});

describe("a pattern of dmreport.yaml that backtracks without end", () => {
  const configOf = (source: string) => readFileSync(join(source, "dmreport.yaml"), "utf8");
  const lineOf = (config: string, key: string) => config.split("\n").findIndex((line) => line.startsWith(key)) + 1;

  it("stops the checks at the time limit, in lint of the source and of one fragment and in build, with a diagnostic on the config", () => {
    const source = exampleCopy("minimal");
    const config = `${configOf(source)}milestones:\n  idPattern: '^(?:(A+)+|[A-Z][A-Z0-9-]*)$'\n`;
    writeFileSync(join(source, "dmreport.yaml"), config);
    const path = join(source, fragment);
    writeFileSync(
      path,
      readFileSync(path, "utf8").replace("milestones:\n", `milestones:\n  - { id: ${"A".repeat(40)}!, status: on-track }\n`),
    );
    for (const args of [["lint"], ["lint", fragment], ["build", "--out", tempFolder()]]) {
      const started = Date.now();
      const run = runCli(args, source, { DMREPORT_TIME_LIMIT_MS: "700" });
      expect(Date.now() - started, args.join(" ")).toBeLessThan(15_000);
      expect(run.status, `${args.join(" ")}: ${run.stderr}`).toBe(1);
      expect(`${run.stdout}${run.stderr}`, args.join(" ")).toContain("checking the source took more than 0.7 s and was stopped");
      if (args[0] === "build") expect(run.stderr).toContain(`dmreport.yaml:${lineOf(config, "links:")}:1: error: checking the source`);
    }
  });

  it("stops the rendering at the time limit in build", () => {
    const source = exampleCopy("minimal");
    writeFileSync(
      join(source, "dmreport.yaml"),
      configOf(source).replace("pattern: '\\bKSW-\\d+\\b'", () => "pattern: '(a+)+$'"),
    );
    const path = join(source, fragment);
    writeFileSync(path, `${readFileSync(path, "utf8")}\n${"a".repeat(40)}!\n`);
    const started = Date.now();
    const run = runCli(["build", "--out", tempFolder()], source, { DMREPORT_TIME_LIMIT_MS: "700" });
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("dmreport.yaml:1:1: error: rendering the report took more than 0.7 s and was stopped");
  });
});
