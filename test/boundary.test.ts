// The source's one door: every file a build reads is refused when a link leads it outside the
// source (or into .git), with a positioned error from lint and build and no output holding it;
// the same links inside the source still work. And no source file is read any other way.
import { spawnSync } from "node:child_process";
import {
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { CLI, exampleCopy, REPO, runCli, tempFolder, unwrapped } from "./helpers.js";
import { lint } from "../src/lint.js";

const MARKER = "MARKER-7f3a9c-SECRET";

/** A file outside any source holding the marker, in a form the file it stands for would read. */
function outsideFile(name: string, text: string): string {
  const path = join(tempFolder(), name);
  writeFileSync(path, text);
  return path;
}

/** Every file under `folder`, with its text. */
function everything(folder: string): string {
  if (!existsSync(folder)) return "";
  return readdirSync(folder, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => readFileSync(join(entry.parentPath, entry.name), "utf8"))
    .join("\n");
}

interface LinkCase {
  /** What is linked, as the issue names it. */
  what: string;
  /** The path in the source that becomes a link. */
  path: string;
  /** What the file outside holds (with the marker). */
  text: string;
  /** Changes the source needs first (a config naming a template folder). */
  prepare?: (source: string) => void;
  /** The first line of the diagnostic, for a link to `target` (paths relative to the source). */
  expected: (target: string) => string;
}

const templated = (source: string) => {
  const config = readFileSync(join(source, "dmreport.yaml"), "utf8");
  writeFileSync(join(source, "dmreport.yaml"), `${config}\ntemplates: look\n`);
  mkdirSync(join(source, "look", "html"), { recursive: true });
};

const outsideMessage = (path: string, target: string) =>
  `${path}:1:1: error: \`${path}\` is a link to ${target}, outside the source: dmreport reads only files inside the report source, so copy the file in [file-outside-source]`;

const cases: LinkCase[] = [
  {
    what: "a template file",
    path: "look/html/report.css",
    text: `body { color: red } /* ${MARKER} */\n`,
    prepare: templated,
    expected: (target) => outsideMessage("look/html/report.css", target),
  },
  {
    what: "a template partial",
    path: "look/html/toc.hbs",
    text: `<p>${MARKER}</p>\n`,
    prepare: templated,
    expected: (target) => outsideMessage("look/html/toc.hbs", target),
  },
  {
    what: "the register",
    path: "milestones.yaml",
    text: `${MARKER}: 1\nmilestones: []\n`,
    expected: (target) => outsideMessage("milestones.yaml", target),
  },
  { what: "the WBS tree", path: "wbs.yaml", text: `${MARKER}: 1\n`, expected: (target) => outsideMessage("wbs.yaml", target) },
  { what: "the config", path: "dmreport.yaml", text: `title: ${MARKER}\n`, expected: (target) => outsideMessage("dmreport.yaml", target) },
  {
    what: "a schedule snapshot",
    path: "schedule/2026-10.yaml",
    text: `month: 2026-10\n${MARKER}: 1\n`,
    expected: (target) => outsideMessage("schedule/2026-10.yaml", target),
  },
  {
    what: "the publish record",
    path: "published.yaml",
    text: `${MARKER}: 1\n`,
    expected: (target) => outsideMessage("published.yaml", target),
  },
];

describe("files linked outside the source", () => {
  for (const linkCase of cases) {
    for (const form of ["relative", "absolute"] as const) {
      it(`refuses ${linkCase.what} linked outside (${form} link), in lint and build, and no output holds it`, () => {
        const source = exampleCopy("minimal");
        linkCase.prepare?.(source);
        const target = outsideFile(linkCase.path.split("/").pop()!, linkCase.text);
        const link = join(source, linkCase.path);
        mkdirSync(join(link, ".."), { recursive: true });
        rmSync(link, { force: true });
        const written = form === "relative" ? relative(join(link, ".."), target) : target;
        symlinkSync(written, link);
        const out = tempFolder();
        // Lint in this process, the build as a user runs it.
        const linted = JSON.stringify(lint({ cwd: source }).sources[0]!.diagnostics);
        expect(linted).toContain('"rule":"file-outside-source"');
        expect(linted).not.toContain(MARKER);
        const run = runCli(["build", "--format", "md,html,print", "--out", out], source);
        expect(run.status, run.stderr).toBe(1);
        // The link as written: where it would lead on this machine is not looked at.
        expect(run.stderr.split("\n")).toContain(linkCase.expected(written));
        expect(`${run.stdout}${run.stderr}`).not.toContain(MARKER);
        expect(readdirSync(out)).toEqual([]);
        // The link is left as it was.
        expect(lstatSync(link).isSymbolicLink()).toBe(true);
      });
    }
  }

  it("refuses a template folder, and a format folder in it, that lead outside the source", () => {
    const source = exampleCopy("minimal");
    const outside = tempFolder();
    mkdirSync(join(outside, "html"));
    writeFileSync(join(outside, "html", "report.css"), `/* ${MARKER} */\n`);
    // The folder dmreport.yaml names is a link outside: refused at the config's key.
    const config = readFileSync(join(source, "dmreport.yaml"), "utf8");
    writeFileSync(join(source, "dmreport.yaml"), `${config}\ntemplates: look\n`);
    symlinkSync(outside, join(source, "look"));
    const line = config.split("\n").length + 1;
    let run = runCli(["build", "--format", "html", "--out", tempFolder()], source);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(
      `dmreport.yaml:${line}:12: error: templates folder \`look\` is outside the source; templates must live inside the folder of dmreport.yaml [config-templates]`,
    );
    expect(run.stderr).not.toContain(MARKER);
    // A format folder inside it that is a link outside: refused where it is.
    rmSync(join(source, "look"));
    mkdirSync(join(source, "look"));
    symlinkSync(join(outside, "html"), join(source, "look", "html"));
    for (const args of [["lint"], ["build", "--format", "html", "--out", tempFolder()]]) {
      run = runCli(args, source);
      expect(run.status).toBe(1);
      expect(`${run.stdout}${run.stderr}`).not.toContain(MARKER);
    }
    expect(run.stderr).toContain(outsideMessage("look/html", join(outside, "html")));
  });

  it("refuses a template linked into the source's own .git folder", () => {
    const source = exampleCopy("minimal");
    mkdirSync(join(source, ".git"));
    writeFileSync(join(source, ".git", "config"), `[http]\n\textraheader = AUTHORIZATION: basic ${MARKER}\n`);
    templated(source);
    symlinkSync("../../.git/config", join(source, "look", "html", "report.css"));
    const out = tempFolder();
    const run = runCli(["build", "--format", "html", "--out", out], source);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(
      "look/html/report.css:1:1: error: `look/html/report.css` is a link into git's own folder (../../.git/config), which is not part of the source: copy the file in [file-outside-source]",
    );
    expect(`${run.stdout}${run.stderr}${everything(out)}`).not.toContain(MARKER);
  });

  it("still follows links that stay inside the source", () => {
    const source = exampleCopy("minimal");
    templated(source);
    mkdirSync(join(source, "shared"));
    writeFileSync(join(source, "shared", "report.css"), `body { color: #123 } /* ${MARKER} */\n`);
    symlinkSync("../../shared/report.css", join(source, "look", "html", "report.css"));
    // The register kept in a folder of its own, and linked where dmreport looks for it.
    mkdirSync(join(source, "data"));
    writeFileSync(join(source, "data", "milestones.yaml"), readFileSync(join(source, "milestones.yaml")));
    rmSync(join(source, "milestones.yaml"));
    symlinkSync("data/milestones.yaml", join(source, "milestones.yaml"));
    expect(runCli(["lint"], source)).toMatchObject({ status: 0, stdout: "" });
    const out = tempFolder();
    const run = runCli(["build", "--format", "md,html", "--out", out], source);
    expect(run.status, run.stderr).toBe(0);
    expect(readFileSync(join(out, "kestrel-2026-10.html"), "utf8")).toContain(MARKER);
    const plain = exampleCopy("minimal");
    const plainOut = tempFolder();
    expect(runCli(["build", "--format", "md", "--out", plainOut], plain).status).toBe(0);
    expect(readFileSync(join(out, "kestrel-2026-10.md"), "utf8")).toBe(readFileSync(join(plainOut, "kestrel-2026-10.md"), "utf8"));
  });

  it("reports a schema copy linked outside the source, and does not read it", () => {
    const source = exampleCopy("minimal");
    mkdirSync(join(source, ".dmreport", "schemas"), { recursive: true });
    symlinkSync(outsideFile("w.json", `{"${MARKER}": 1}`), join(source, ".dmreport", "schemas", "wbs.schema.json"));
    const run = runCli(["lint"], source);
    expect(run.status).toBe(1);
    expect(run.stdout).toContain(".dmreport/schemas/wbs.schema.json\n  1:1  error  `.dmreport/schemas/wbs.schema.json` is a link to");
    expect(run.stdout).not.toContain(MARKER);
  });

  it("builds every month past a link that loops back to its own folder", () => {
    const source = exampleCopy("minimal");
    symlinkSync(".", join(source, "months", "2026-10", "loop"));
    const run = runCli(["build", "--all", "--format", "md", "--out", tempFolder()], source);
    expect(run.stderr).not.toContain("internal error");
    expect(run.status).toBe(0);
    expect(run.stderr).toContain("`months/2026-10/loop` is a link, not a fragment, and is left out of the report");
    expect(runCli(["lint", "months/2026-10"], source).status).toBe(0);
  });

  it("checks and carries an image written by reference as it does any other", () => {
    const source = exampleCopy("minimal");
    const fragment = join(source, "months/2026-10/4.2.md");
    const original = readFileSync(fragment, "utf8");
    writeFileSync(
      join(source, "months/2026-10/plot.png"),
      Buffer.from("89504e470d0a1a0a0000000d4948445200000001000000010806000000", "hex"),
    );
    writeFileSync(fragment, `${original}\n![Fringes][plot]\n\n[plot]: plot.png\n`);
    const out = tempFolder();
    expect(runCli(["build", "--format", "html", "--out", out], source).status).toBe(0);
    expect(readFileSync(join(out, "kestrel-2026-10.html"), "utf8")).toContain('<img src="data:image/png;base64,iVBORw0KGgo');
    writeFileSync(fragment, `${original}\n![Secrets][leak]\n\n[leak]: ../../../../../../../../etc/hostname\n`);
    const run = runCli(["lint"], source);
    expect(run.status).toBe(1);
    expect(unwrapped(run.stdout)).toContain(
      "image `../../../../../../../../etc/hostname` is outside the source; images must live in the source, so copy it in",
    );
  });

  it("refuses an image in a folder linked outside the source", () => {
    const source = exampleCopy("minimal");
    const outside = tempFolder();
    writeFileSync(join(outside, "plot.png"), Buffer.from("89504e470d0a1a0a", "hex"));
    symlinkSync(outside, join(source, "figures"));
    const fragment = join(source, "months/2026-10/4.2.md");
    writeFileSync(fragment, `${readFileSync(fragment, "utf8")}\n![plot](../../figures/plot.png)\n`);
    const run = runCli(["lint"], source);
    expect(run.status).toBe(1);
    expect(unwrapped(run.stdout)).toContain(
      "image `../../figures/plot.png` is outside the source; images must live in the source, so copy it in",
    );
  });
});

describe("what a build runs", () => {
  it("never a browser the source names by a path of its own", () => {
    const source = exampleCopy("minimal");
    const ran = join(tempFolder(), "ran");
    mkdirSync(join(source, "tools"));
    writeFileSync(join(source, "tools", "chrome"), `#!/bin/sh\necho ran > ${ran}\nexit 3\n`, { mode: 0o755 });
    const config = readFileSync(join(source, "dmreport.yaml"), "utf8");
    const line = config.split("\n").indexOf("output:") + 2;
    for (const browser of ["tools/chrome", "./tools/chrome", join(source, "tools", "chrome")]) {
      writeFileSync(join(source, "dmreport.yaml"), config.replace("output:\n", `output:\n  browser: ${browser}\n  formats: [md, pdf]\n`));
      for (const args of [["lint"], ["build", "--out", tempFolder()]]) {
        const run = runCli(args, source);
        expect(run.status, `${browser} ${args[0]}`).toBe(1);
        expect(`${run.stdout}${run.stderr}`, browser).toContain("config-browser");
      }
      expect(runCli(["build", "--out", tempFolder()], source).stderr).toContain(`dmreport.yaml:${line}:12: error: the browser \``);
      expect(existsSync(ran), browser).toBe(false);
    }
  });
});

describe("writing through the door", () => {
  it("fixes a file reached by two paths once", () => {
    const source = exampleCopy("minimal");
    const fragment = join(source, "months/2026-10/4.2.md");
    const text = readFileSync(fragment, "utf8").replace("## Highlights\n", "## Highlights   \n");
    writeFileSync(fragment, text);
    mkdirSync(join(source, "months/2026-10/alias"));
    symlinkSync("../4.2.md", join(source, "months/2026-10/alias/copy.md"));
    runCli(["lint", "--fix"], source);
    expect(readFileSync(fragment, "utf8")).toBe(text.replace("## Highlights   \n", "## Highlights\n"));
  });

  it("writes nothing of an import when one of its files would lead outside the source", () => {
    const source = exampleCopy("minimal");
    const register = readFileSync(join(source, "milestones.yaml"), "utf8");
    const csv = join(tempFolder(), "e.csv");
    writeFileSync(csv, "task_code,task_name,wbs_id,base_end_date,end_date\nKSW-M-7,Pointing model,4.1.1,2026-11-30,2026-12-31\n");
    const elsewhere = tempFolder();
    symlinkSync(elsewhere, join(source, "schedule"));
    const run = runCli(["import-milestones", csv, "--month", "2026-10"], source);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("nothing was written");
    expect(readFileSync(join(source, "milestones.yaml"), "utf8")).toBe(register);
    expect(readdirSync(elsewhere)).toEqual([]);
  });
});

describe("--fix through the door", () => {
  it("fixes the file a fragment links to inside the source, and keeps the link", () => {
    const source = exampleCopy("minimal");
    const fragment = join(source, "months/2026-10/4.2.md");
    mkdirSync(join(source, "drafts"));
    writeFileSync(join(source, "drafts", "4.2.md"), `${readFileSync(fragment, "utf8")}\nFixed KSW 88.\n`);
    rmSync(fragment);
    symlinkSync("../../drafts/4.2.md", fragment);
    const run = runCli(["lint", "--fix", "months/2026-10/4.2.md"], source);
    expect(run).toMatchObject({ status: 0, stderr: "fixed 1 problem in 1 file\n" });
    expect(lstatSync(fragment).isSymbolicLink()).toBe(true);
    expect(readlinkSync(fragment)).toBe("../../drafts/4.2.md");
    expect(readFileSync(join(source, "drafts", "4.2.md"), "utf8")).toContain("Fixed KSW-88.");
  });

  it("keeps every line it does not fix byte for byte, whatever its line ending", () => {
    const source = exampleCopy("minimal");
    const fragment = join(source, "months/2026-10/4.2.md");
    const lines = [
      "---\r\n",
      'wbs: "4.2"\n',
      "month: 2026-10\r\n",
      "---\n",
      "\r\n",
      "## Highlights\n",
      "\n",
      "Fixed KSW 88 today.\r\n",
      "Mac line\r",
      "Last line  \r\n",
    ];
    writeFileSync(fragment, Buffer.from(`\uFEFF${lines.join("")}`));
    const run = runCli(["lint", "--fix", "months/2026-10/4.2.md"], source);
    expect(run.stderr).toBe("fixed 2 problems in 1 file\n");
    const expected = [...lines];
    expected[7] = "Fixed KSW-88 today.\r\n";
    expected[9] = "Last line\r\n";
    expect(readFileSync(fragment)).toEqual(Buffer.from(`\uFEFF${expected.join("")}`));
  });
});

describe("what reaches a terminal", () => {
  const ESCAPES = "\u001b[2J\u001b]0;pwned\u0007\u001b]8;;https://evil.example\u001b\\click\u001b]8;;\u001b\\\u009b31m\u202e";
  const SHOWN = "\\e[2J\\e]0;pwned\\a\\e]8;;https://evil.example\\e\\click\\e]8;;\\e\\\\x9b31m\\u202e";

  it("escapes the control characters of a fragment's key in every format, as raw bytes", () => {
    const source = exampleCopy("minimal");
    const path = join(source, "months/2026-10/4.2.md");
    writeFileSync(path, readFileSync(path, "utf8").replace("month: 2026-10\n", `month: 2026-10\n'${ESCAPES}': 1\n`));
    for (const format of ["stylish", "github", "json", "sarif", "gitlab"]) {
      const run = spawnSync(process.execPath, [CLI, "lint", "--format", format, "months/2026-10/4.2.md"], {
        cwd: source,
        env: { ...process.env, FORCE_COLOR: "1" },
      });
      expect(run.status, format).toBe(1);
      const bytes = Buffer.concat([run.stdout, run.stderr]);
      // Neither ESC, BEL nor the C1 CSI (0xC2 0x9B in UTF-8), nor the right-to-left override.
      for (const control of [[0x07], [0xc2, 0x9b], [0xe2, 0x80, 0xae]])
        expect(bytes.includes(Buffer.from(control)), `${format}: ${control}`).toBe(false);
      if (format === "stylish") expect(bytes.includes(0x1b)).toBe(false);
      const text = bytes.toString("utf8");
      if (format === "stylish" || format === "github") expect(text).toContain(SHOWN);
      else expect(JSON.stringify(JSON.parse(text))).toContain(JSON.stringify(ESCAPES).slice(1, -1));
    }
  });

  it("never lets a line feed of a file's name or key start a line (a CI runner's command)", () => {
    const source = exampleCopy("minimal");
    writeFileSync(
      join(source, "months/2026-10", "x\n::error file=dmreport.yaml,line=1::SPOOFED\n::set-output name=built::true\n.txt"),
      "x",
    );
    writeFileSync(
      join(source, "dmreport.yaml"),
      `${readFileSync(join(source, "dmreport.yaml"), "utf8")}"k\\n::warning::SPOOFED by a key": 1\n`,
    );
    for (const args of [["lint"], ["lint", "--format", "github"], ["build", "--out", tempFolder()], ["status"]]) {
      const run = runCli(args, source);
      const lines = `${run.stdout}\n${run.stderr}`.split("\n");
      // dmreport's own annotations (github format) start lines; the file's text never does.
      expect(
        lines.filter((line) => /^::(error file=dmreport\.yaml,line=1::SPOOFED|set-output|warning::SPOOFED)/.test(line)),
        args.join(" "),
      ).toEqual([]);
      if (args[0] === "lint" && args.length === 1)
        expect(run.stdout).toContain("x\\n::error file=dmreport.yaml,line=1::SPOOFED\\n::set-output name=built::true\\n.txt");
    }
  });

  it("escapes those of a schedule export's header", () => {
    const source = exampleCopy("minimal");
    const csv = join(tempFolder(), "export.csv");
    writeFileSync(csv, `task_code,task_name,${ESCAPES}\nX-1,A milestone,1\n`);
    const run = spawnSync(process.execPath, [CLI, "import-milestones", csv], { cwd: source });
    expect(run.status).toBe(1);
    const bytes = Buffer.concat([run.stdout, run.stderr]);
    expect(bytes.includes(0x1b) || bytes.includes(0x07)).toBe(false);
    expect(bytes.toString("utf8")).toContain(`its columns are: task_code, task_name, ${SHOWN}`);
  });
});

describe("lint of paths that name nothing", () => {
  it("exits 2 and says what was expected, unless told to leave such paths out", () => {
    const source = exampleCopy("minimal");
    expect(runCli(["lint", "no-such-file.md"], source)).toEqual({
      status: 2,
      stdout: "",
      stderr:
        "dmreport: no-such-file.md does not exist; nothing was checked for it (--no-error-on-unmatched-pattern leaves such paths out)\n",
    });
    writeFileSync(join(source, "months/2026-10/4.2.MD"), "x");
    const typo = runCli(["lint", "months/2026-10/4.2.MD", "months/2026-10/4.2.md"], source);
    expect(typo.status).toBe(2);
    expect(typo.stderr).toContain(
      "dmreport: months/2026-10/4.2.MD is not a file dmreport reads; lint reads fragments (months/YYYY-MM/*.md)",
    );
    expect(runCli(["lint", "--no-error-on-unmatched-pattern", "no-such-file.md", "months/2026-10/4.2.MD"], source)).toEqual({
      status: 0,
      stdout: "",
      stderr: "",
    });
    // Machine formats carry them too: a JSON report of a run that exits 2 says why.
    const json = runCli(["lint", "--format", "json", "no-such-file.md"], source);
    expect(json.status).toBe(2);
    expect(JSON.parse(json.stdout).unmatched).toEqual([{ path: "no-such-file.md", reason: "no-such-file.md does not exist" }]);
    expect(runCli(["lint", "--format", "github", "no-such-file.md"], source).stdout).toBe(
      "::error title=dmreport lint::no-such-file.md does not exist\n",
    );
  });

  it("lints a template file or folder given, readable or refused, with the whole source", () => {
    const source = exampleCopy("minimal");
    templated(source);
    writeFileSync(join(source, "look", "html", "report.css"), "body { color: #123 }\n");
    for (const path of ["look/html/report.css", "look/html", "look"])
      expect(runCli(["lint", path], source), path).toEqual({ status: 0, stdout: "", stderr: "" });
    symlinkSync(outsideFile("x.css", `/* ${MARKER} */`), join(source, "look", "html", "toc.hbs"));
    for (const path of ["look/html/toc.hbs", "look/html", "look"]) {
      const run = runCli(["lint", path], source);
      expect(run.status, path).toBe(1);
      expect(run.stdout, path).toContain("look/html/toc.hbs\n  1:1  error  `look/html/toc.hbs` is a link to");
    }
  });
});

describe("the readers of source files", () => {
  it("open files of a source only through src/load/source-files.ts", () => {
    // Each module that calls Node's file reading, and what it reads: none of them a source file.
    const allowed: Record<string, string> = {
      "src/load/source-files.ts": "the door itself",
      "src/core/package-root.ts": "dmreport's own package.json",
      "src/core/rule-docs.ts": "dmreport's own rule pages",
      "src/render/templates.ts": "dmreport's own templates",
      "src/validate/schema-copies.ts": "dmreport's own schemas",
      "src/monthly/schemas.ts": "dmreport's own schemas",
      "src/archive/index.ts": "dmreport's own templates, and the archive's manifest in the output folder",
      "src/preview/site.ts": "the pages the preview built in its own temporary folder",
      "src/load/history.ts": "the history cache in the user's private cache folder",
      "src/archive/store.ts": "each month's parsed and rendered content, in the user's private cache folder",
      "src/schedule/read-export.ts": "the schedule export named on the command line",
      "src/import/write-source.ts": "the earlier report named on the command line",
      "src/schedule/import-milestones.ts": "the annotations file named on the command line",
      "src/monthly/init.ts": "the folder a new source is made in, to see that it is empty",
      "src/write/index.ts": "an output in the output folder, to leave one that already holds the same bytes",
    };
    const readers = readdirSync(join(REPO, "src"), { recursive: true })
      .map(String)
      .filter((file) => file.endsWith(".ts") && !file.endsWith(".generated.ts"))
      .filter((file) =>
        /\b(readFileSync|readFile|createReadStream|openSync|readdirSync|opendirSync)\s*\(/.test(
          readFileSync(join(REPO, "src", file), "utf8"),
        ),
      )
      .map((file) => `src/${file.split("\\").join("/")}`)
      .sort();
    expect(readers).toEqual(Object.keys(allowed).sort());
  });
});

describe("a browser from the repository", () => {
  it("is never run, whether the source is the repository or a folder of it", () => {
    const repo = tempFolder();
    mkdirSync(join(repo, ".git"));
    mkdirSync(join(repo, "tools"));
    const ran = join(tempFolder(), "ran");
    writeFileSync(join(repo, "tools", "chrome"), `#!/bin/sh\necho ran > ${ran}\nexit 3\n`, { mode: 0o755 });
    const source = join(repo, "report");
    cpSync(exampleCopy("minimal"), source, { recursive: true });
    const config = readFileSync(join(source, "dmreport.yaml"), "utf8");
    for (const browser of [join(repo, "tools", "chrome"), `${source}/../tools/chrome`]) {
      writeFileSync(join(source, "dmreport.yaml"), config.replace("output:\n", `output:\n  browser: ${browser}\n  formats: [md, pdf]\n`));
      const run = runCli(["build", "report", "--out", tempFolder()], repo);
      expect(run.status, browser).toBe(1);
      expect(run.stderr, browser).toContain("is inside the repository of the report source, so a commit could change what a build runs");
      expect(existsSync(ran)).toBe(false);
    }
    // On PATH, first (as npm run puts node_modules/.bin): passed over for the machine's own.
    mkdirSync(join(repo, "node_modules", ".bin"), { recursive: true });
    writeFileSync(join(repo, "node_modules", ".bin", "chromium"), `#!/bin/sh\necho ran > ${ran}\nexit 3\n`, { mode: 0o755 });
    writeFileSync(join(source, "dmreport.yaml"), config.replace("output:\n", "output:\n  formats: [md, pdf]\n"));
    runCli(["build", "report", "--out", tempFolder()], repo, { PATH: `${join(repo, "node_modules", ".bin")}:${process.env.PATH}` });
    expect(existsSync(ran)).toBe(false);
  });
});

describe("the floors of the house (.dependency-cruiser.cjs)", () => {
  const cruise = (cwd: string) =>
    spawnSync(
      process.execPath,
      [
        join(REPO, "node_modules", "dependency-cruiser", "bin", "dependency-cruise.mjs"),
        "src",
        "--config",
        join(REPO, ".dependency-cruiser.cjs"),
        "--output-type",
        "err-long",
      ],
      { cwd, encoding: "utf8" },
    );

  it("hold in src/: no circle, type imports included; core/ imports nothing outside it; stages look back only; commands are leaves", () => {
    const run = cruise(REPO);
    expect(run.stdout + run.stderr).toMatch(/no dependency violations found/);
    // A parser that fails to load cruises nothing and finds nothing: the house was read.
    expect(Number(/\((\d+) modules/.exec(run.stdout + run.stderr)?.[1])).toBeGreaterThan(150);
    expect(run.status).toBe(0);
  }, 60_000);

  it("are checked: a circle of types, a stage that looks ahead, a core that imports from outside and a stage that imports a command's work are each found", () => {
    const house = tempFolder();
    const files: Record<string, string> = {
      "tsconfig.json": JSON.stringify({ compilerOptions: { module: "NodeNext", moduleResolution: "NodeNext" }, include: ["src"] }),
      "src/core/model.ts":
        'import type { Rule } from "./rules.js";\nimport type { Build } from "../build.js";\nexport interface Project { rule: Rule; build?: Build }\n',
      "src/core/rules.ts": 'import type { Project } from "./model.js";\nexport interface Rule { project?: Project }\n',
      "src/build.ts": "export interface Build { months: number }\n",
      "src/load/index.ts": 'import { render } from "../render/index.js";\nexport const load = () => render();\n',
      "src/render/index.ts": "export const render = () => 1;\n",
      "src/validate/index.ts": 'import type { Archive } from "../archive/index.js";\nexport type Checked = Archive;\n',
      "src/archive/index.ts": "export interface Archive { months: number }\n",
    };
    for (const [name, text] of Object.entries(files)) {
      mkdirSync(join(house, name, ".."), { recursive: true });
      writeFileSync(join(house, name), text);
    }
    const run = cruise(house);
    expect(run.status).not.toBe(0);
    for (const rule of ["no-circular", "core-imports-nothing-outside", "stage-load-looks-back", "pipeline-knows-no-command"])
      expect(run.stdout).toContain(`error ${rule}:`);
  }, 60_000);
});

describe("the code's style (biome.jsonc)", () => {
  const biome = (cwd: string, ...args: string[]) =>
    spawnSync(join(REPO, "node_modules", ".bin", "biome"), ["ci", "--colors=off", "--error-on-warnings", ...args], {
      cwd,
      encoding: "utf8",
    });

  it("is Biome's: every file formatted, no lint finding", () => {
    const run = biome(REPO);
    expect(run.stdout + run.stderr).not.toMatch(/Found \d+ error/);
    expect(run.status).toBe(0);
  }, 60_000);

  it("is checked: a file out of format and a lint finding each fail the check", () => {
    const house = tempFolder();
    cpSync(join(REPO, "biome.jsonc"), join(house, "biome.jsonc"));
    mkdirSync(join(house, "src"));
    writeFileSync(join(house, "src", "a.ts"), "export const a = {b:1};\n");
    writeFileSync(
      join(house, "src", "b.ts"),
      "export function b(list: number[]) {\n  let total;\n  total = list.length;\n  return total;\n}\n",
    );
    const run = biome(house, "--config-path", join(house, "biome.jsonc"));
    expect(run.status).not.toBe(0);
    expect(run.stdout + run.stderr).toContain("src/a.ts format");
    expect(run.stdout + run.stderr).toContain("lint/suspicious/noImplicitAnyLet");
  }, 60_000);
});
