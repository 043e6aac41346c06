// build --all: every month and an index, rebuilding only what changed.
import { spawnSync } from "node:child_process";
import {
  appendFileSync,
  cpSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { gunzipSync, gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { Parser, CST } from "yaml";
import { MonthStore, SourceStore } from "../src/archive/store.js";
import { parseMarkdown } from "../src/load/markdown.js";
import { CLI, exampleCopy, OTHER_PIXEL, PIXEL, REPO, runCli, tempFolder } from "./helpers.js";

describe("dmreport build --all", () => {
  it("builds every month and an index, then rebuilds only the month that changed", () => {
    const source = exampleCopy("minimal");
    const out = tempFolder();
    const first = runCli(["build", "--all", "--format", "md,html", "--out", out], source);
    expect(first.stderr).toBe("");
    expect(first.stdout).toMatch(/^built 2 months \(2 rebuilt, 0 unchanged\), 7 files written, in \d+ ms\n$/);
    expect(readdirSync(out).sort()).toEqual([
      ".dmreport-cache",
      "index.html",
      "index.md",
      "kestrel-2026-09.html",
      "kestrel-2026-09.md",
      "kestrel-2026-10.html",
      "kestrel-2026-10.md",
      "milestones.html",
    ]);
    expect(readFileSync(join(out, "index.md"), "utf8")).toBe(
      [
        "# Kestrel Array Software Monthly Report",
        "",
        "| Month | Report | Completed | Delayed | At risk |",
        "| --- | --- | --- | --- | --- |",
        "| October 2026 | [md](kestrel-2026-10.md), [html](kestrel-2026-10.html) | 1 | 1 | 0 |",
        "| September 2026 | [md](kestrel-2026-09.md), [html](kestrel-2026-09.html) | 0 | 0 | 1 |",
        "",
      ].join("\n"),
    );
    const october = readFileSync(join(out, "kestrel-2026-10.md"), "utf8");
    expect(october).toBe(readFileSync(join(import.meta.dirname, "golden", "kestrel-2026-10.md"), "utf8"));
    // The register: each milestone's slip, one done by how much it was late or early, one open by its forecast's.
    const rows = [
      ...readFileSync(join(out, "milestones.html"), "utf8").matchAll(/<span class="milestone-id">([^<]+)<.*?<td class="number">([^<]*)</g),
    ];
    expect(rows.map((row) => [row[1], row[2]])).toEqual([
      ["A2330", "\u22121 day"],
      ["CAMM6995", "+51 days"],
      ["KSW-M-7", ""],
    ]);
    // The counts part the register, each milestone in one; those past due are said apart, not counted again.
    const dashboard = readFileSync(join(out, "milestones.html"), "utf8");
    const counts = [...dashboard.matchAll(/<li class="count [a-z-]+"><strong>(\d+)<\/strong>/g)].map((count) => Number(count[1]));
    expect(counts.reduce((sum, count) => sum + count, 0)).toBe(3);
    expect(dashboard).toContain('<p class="overdue-note"><strong>1</strong> of them past their due date and not completed.</p>');

    // Nothing changed, nothing written: the dashboard as it stands keeps its files and their times.
    const earlier = new Date("2026-01-01T00:00:00Z");
    utimesSync(join(out, "index.html"), earlier, earlier);
    expect(runCli(["build", "--all", "--format", "md,html", "--out", out], source).stdout).toMatch(
      /^built 2 months \(0 rebuilt, 2 unchanged\), nothing written, in \d+ ms\n$/,
    );
    expect(statSync(join(out, "index.html")).mtime).toEqual(earlier);
    appendFileSync(join(source, "months", "2026-10", "4.2.md"), "\nOne more line.\n");
    // The month's two files; the dashboard's counts are the same.
    expect(runCli(["build", "--all", "--format", "md,html", "--out", out], source).stdout).toMatch(
      /^built 2 months \(1 rebuilt, 1 unchanged\), 2 files written, in \d+ ms\n$/,
    );
    expect(readFileSync(join(out, "kestrel-2026-10.md"), "utf8")).toContain("One more line.");
    // The cache is only a cache: without it, everything is built again, to the same bytes.
    rmSync(join(out, ".dmreport-cache"), { recursive: true });
    const before = readFileSync(join(out, "kestrel-2026-09.html"), "utf8");
    expect(runCli(["build", "--all", "--format", "md,html", "--out", out], source).stdout).toMatch(/\(2 rebuilt, 0 unchanged\)/);
    expect(readFileSync(join(out, "kestrel-2026-09.html"), "utf8")).toBe(before);
  });

  it("rebuilds the one month that shows an image from elsewhere in the source when the image changes, and keeps nothing of a dead run", () => {
    const source = exampleCopy("minimal");
    mkdirSync(join(source, "figures"));
    const image = join(source, "figures", "plot.png");
    writeFileSync(image, PIXEL);
    appendFileSync(join(source, "months", "2026-10", "4.2.md"), "\n![Plot](../../figures/plot.png)\n");
    const out = tempFolder();
    const build = () => runCli(["build", "--all", "--format", "md,html", "--out", out], source);
    expect(build().stdout).toMatch(/\(2 rebuilt, 0 unchanged\)/);
    expect(build().stdout).toMatch(/\(0 rebuilt, 2 unchanged\)/);
    // Another image of the same size, its times put back: October is built again, September is not.
    const { atime, mtime } = statSync(image);
    writeFileSync(image, OTHER_PIXEL);
    utimesSync(image, atime, mtime);
    // A run killed while building leaves its staging folder; the next run removes it.
    const dead = spawnSync(process.execPath, ["-e", "0"]).pid;
    mkdirSync(join(out, ".dmreport-cache", `staging-${dead}`), { recursive: true });
    writeFileSync(join(out, ".dmreport-cache", `staging-${dead}`, "kestrel-2026-10.html"), "a report of a run that was killed");
    expect(build().stdout).toMatch(/\(1 rebuilt, 1 unchanged\)/);
    expect(readFileSync(join(out, "kestrel-2026-10.html"), "utf8")).toContain(`data:image/png;base64,${OTHER_PIXEL.toString("base64")}`);
    expect(readdirSync(join(out, ".dmreport-cache"))).toEqual(["manifest.json"]);
    // A day-old staging whose process id a live process has taken since is dead as well.
    const taken = join(out, ".dmreport-cache", `staging-${process.pid}`);
    mkdirSync(taken);
    const yesterday = new Date(Date.now() - 25 * 3600 * 1000);
    utimesSync(taken, yesterday, yesterday);
    build();
    expect(readdirSync(join(out, ".dmreport-cache"))).toEqual(["manifest.json"]);
    // An output folder that is a file is a usage error, not an internal one.
    const file = join(tempFolder(), "report");
    writeFileSync(file, "");
    expect(runCli(["build", "--all", "--out", join(file, "site")], source)).toEqual({
      status: 2,
      stdout: "",
      stderr: `dmreport: --out ${join(file, "site")}: ${file} is a file, not a folder; choose a folder for the outputs\n`,
    });
    expect(runCli(["build", "--out", file], source)).toEqual({
      status: 2,
      stdout: "",
      stderr: `dmreport: --out ${file}: it is a file, not a folder; choose a folder for the outputs\n`,
    });
  });

  it("rebuilds a month when an image it shows through a link to a folder in its own folder changes", () => {
    const source = exampleCopy("minimal");
    mkdirSync(join(source, "assets"));
    const image = join(source, "assets", "plot.png");
    writeFileSync(image, PIXEL);
    symlinkSync("../../assets", join(source, "months", "2026-10", "shared"));
    appendFileSync(join(source, "months", "2026-10", "summary.md"), "\n![Plot](shared/plot.png)\n");
    const out = tempFolder();
    const build = () => runCli(["build", "--all", "--format", "html", "--out", out], source);
    expect(build().stdout).toMatch(/\(2 rebuilt, 0 unchanged\)/);
    writeFileSync(image, OTHER_PIXEL);
    expect(build().stdout).toMatch(/\(1 rebuilt, 1 unchanged\)/);
    expect(readFileSync(join(out, "kestrel-2026-10.html"), "utf8")).toContain(`data:image/png;base64,${OTHER_PIXEL.toString("base64")}`);
  });

  it("says a finding of a file every month reads once, as lint does", () => {
    const source = exampleCopy("minimal");
    const register = join(source, "milestones.yaml");
    writeFileSync(register, readFileSync(register, "utf8").replace("milestones:\n", "milestones: \n"));
    const run = runCli(["build", "--all", "--format", "md", "--out", tempFolder()], source);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).toBe(
      "milestones.yaml:2:12: warning: spaces at the end of this line mean nothing: remove them [trailing-whitespace]\n1 warning\n",
    );
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

/** The minimal example with 21 more months made of its October fragments: enough for worker threads. */
function longSource(): string {
  const source = exampleCopy("minimal");
  const october = readdirSync(join(source, "months", "2026-10"));
  for (let index = 0; index < 21; index++) {
    const month = `${2024 + Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, "0")}`;
    mkdirSync(join(source, "months", month), { recursive: true });
    for (const file of october) {
      const text = readFileSync(join(source, "months", "2026-10", file), "utf8")
        .replace("month: 2026-10", `month: ${month}`)
        .replace(/ {4}completed: 2026-10-14\n/, "")
        .replace("status: completed", "status: on-track");
      writeFileSync(join(source, "months", month, file), text);
    }
  }
  return source;
}

describe("dmreport build --all in worker threads", () => {
  it("builds a long archive in workers to the same bytes as month-by-month builds", () => {
    const source = longSource();
    const out = tempFolder();
    const archive = runCli(["build", "--all", "--format", "md", "--out", out], source);
    expect(archive.stderr).toBe("");
    // Run as users run it (from the code cache, after the first build of the suite), with a worker on each other core.
    const threads = availableParallelism() > 1 ? ` on ${availableParallelism()} threads` : "";
    expect(archive.stdout).toMatch(new RegExp(`^built 23 months \\(23 rebuilt, 0 unchanged\\)${threads}, \\d+ files written`));
    for (const month of ["2024-01", "2025-09", "2026-10"]) {
      const single = tempFolder();
      expect(runCli(["build", "--month", month, "--format", "md", "--out", single], source).status).toBe(0);
      expect(readFileSync(join(out, `kestrel-${month}.md`), "utf8")).toBe(readFileSync(join(single, `kestrel-${month}.md`), "utf8"));
    }
  });

  it("reports an error in any month, wherever it was built, and writes nothing", () => {
    const source = longSource();
    // Months late in the order are built by whichever lane is free: the worker, or this thread.
    for (const month of ["2025-04", "2025-09"])
      writeFileSync(
        join(source, "months", month, "4.2.md"),
        readFileSync(join(source, "months", month, "4.2.md"), "utf8").replace('wbs: "4.2"', 'wbs: "4.9"'),
      );
    const out = tempFolder();
    const run = runCli(["build", "--all", "--format", "md,html", "--out", out], source);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("months/2025-04/4.2.md:2:6: error: WBS code `4.9`");
    expect(run.stderr).toContain("months/2025-09/4.2.md:2:6: error: WBS code `4.9`");
    // Not one file: the months staged before the error went with the staging folder.
    expect(readdirSync(out, { recursive: true, withFileTypes: true }).filter((entry) => !entry.isDirectory())).toEqual([]);
  });
  it("stops a dashboard template that never ends at the time limit, writing nothing", () => {
    const source = exampleCopy("minimal", { "look/archive/report.hbs": "{{> p1}}\n" });
    for (let n = 1; n <= 30; n++)
      writeFileSync(join(source, "look", "archive", `p${n}.hbs`), n === 30 ? "x" : `{{> p${n + 1}}}{{> p${n + 1}}}`);
    writeFileSync(join(source, "dmreport.yaml"), `${readFileSync(join(source, "dmreport.yaml"), "utf8")}\ntemplates: look\n`);
    const out = tempFolder();
    const run = runCli(["build", "--all", "--format", "html", "--out", out], source, { DMREPORT_TIME_LIMIT_MS: "700" });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("rendering the dashboard took more than 0.7 s and was stopped");
    expect(readdirSync(out).filter((name) => !name.startsWith("."))).toEqual([]);
  });

  it("builds the dashboard with dmreport's own archive template when the source overrides the html one", () => {
    const source = exampleCopy("minimal", { "look/html/report.hbs": readFileSync(join(REPO, "templates", "html", "report.hbs"), "utf8") });
    writeFileSync(join(source, "dmreport.yaml"), `${readFileSync(join(source, "dmreport.yaml"), "utf8")}\ntemplates: look\n`);
    const out = tempFolder();
    const run = runCli(["build", "--all", "--format", "html", "--out", out], source);
    expect(run.status, run.stderr).toBe(0);
    expect(readFileSync(join(out, "milestones.html"), "utf8")).toContain("Every milestone");
  });
});

describe("what build --all keeps of each month in the user's cache", () => {
  const formats = ["--format", "md,html,print"];

  it("rebuilds a changed month from its kept Markdown trees and rendered content, to the bytes of a build that keeps nothing", () => {
    const source = exampleCopy("lsst-dm");
    const cache = tempFolder();
    const out = tempFolder();
    const build = () => runCli(["build", "--all", ...formats, "--out", out], source, { DMREPORT_CACHE_DIR: cache });
    /** The outputs, as a build of a fresh folder with nothing kept writes them. */
    const sameAsKeepingNothing = () => {
      const fresh = tempFolder();
      expect(runCli(["build", "--all", ...formats, "--out", fresh], source, { DMREPORT_NO_CACHE: "1" }).status).toBe(0);
      const names = readdirSync(fresh).filter((name) => !name.startsWith("."));
      expect(names.length).toBe(9);
      for (const name of names) expect(readFileSync(join(out, name), "utf8"), name).toBe(readFileSync(join(fresh, name), "utf8"));
    };
    expect(build().stdout).toMatch(/\(2 rebuilt, 0 unchanged\)/);
    const [kept] = readdirSync(cache).filter((name) => name.startsWith("archive-"));
    const stores = join(cache, kept!);
    const january = join(stores, "2018-01.json.gz");
    expect(readdirSync(stores).sort()).toEqual(["2017-12.json.gz", "2018-01.json.gz", "source.json.gz"]);
    // The report's text is the user's alone.
    expect(statSync(stores).mode & 0o777).toBe(0o700);
    expect(statSync(january).mode & 0o777).toBe(0o600);
    const store = () => JSON.parse(gunzipSync(readFileSync(january)).toString("utf8")) as { trees: object; rendered: object };
    // A tree for each text (fragments of the same text share one).
    const { trees, rendered } = store();
    expect(Object.keys(trees).length).toBeGreaterThan(40);

    // Edited again and again, a month keeps what it holds now, and nothing of what it held.
    const fragment = join(
      source,
      "months",
      "2018-01",
      readdirSync(join(source, "months", "2018-01")).find((name) => name.endsWith(".md"))!,
    );
    for (const edit of [1, 2, 3]) {
      appendFileSync(fragment, `\nEdit ${edit}, with a [link](https://example.org/${edit}) and *emphasis*.\n`);
      expect(build().stdout).toMatch(/\(1 rebuilt, 1 unchanged\)/);
    }
    expect(Object.keys(store().trees).length).toBe(Object.keys(trees).length);
    expect(Object.keys(store().rendered).length).toBe(Object.keys(rendered).length);
    expect(readFileSync(join(out, "lsst-dm-monthly-2018-01.md"), "utf8")).toContain("Edit 3, with a [link](https://example.org/3)");
    sameAsKeepingNothing();

    // A store cut short, or not a store at all, costs time, never the build.
    writeFileSync(january, readFileSync(january).subarray(0, 200));
    appendFileSync(fragment, "\nEdit 4.\n");
    expect(build().status).toBe(0);
    sameAsKeepingNothing();
    writeFileSync(january, "not a store");
    appendFileSync(fragment, "\nEdit 5.\n");
    expect(build().status).toBe(0);
    sameAsKeepingNothing();
    // Nor a store changed to hold what no parse gives: the month is built again without it.
    const held = store();
    const broken = Object.fromEntries(Object.keys(held.trees).map((key) => [key, '{"type":"root","children":[null]}']));
    writeFileSync(january, gzipSync(JSON.stringify({ ...held, trees: broken, rendered: {} })));
    appendFileSync(fragment, "\nEdit 5b.\n");
    const mended = build();
    expect(mended.status, mended.stderr).toBe(0);
    sameAsKeepingNothing();
    // Nor does a store that cannot be written: its folder a file.
    rmSync(stores, { recursive: true });
    writeFileSync(stores, "");
    appendFileSync(fragment, "\nEdit 6.\n");
    const unwritable = build();
    expect(unwritable.status).toBe(0);
    expect(unwritable.stderr).not.toMatch(/Error|ENOTDIR|\n\s+at /);
    sameAsKeepingNothing();
    // Some twenty builds of the example: a loaded machine takes over a minute.
  }, 180_000);

  it("hands back a kept tree without parsing its text, and keeps only what this dmreport wrote for this month and source", () => {
    const cache = tempFolder();
    const root = tempFolder();
    const text = "Some *text* with a [link](https://example.org).\n";
    const first = MonthStore.open(cache, root, "2026-10");
    expect(first.parse(text, 4)).toEqual(parseMarkdown(text, 4));
    expect(first.rendered("a key", () => "<p>rendered</p>")).toBe("<p>rendered</p>");
    first.save();
    const [folder] = readdirSync(cache);
    const path = join(cache, folder!, "2026-10.json.gz");
    const kept = JSON.parse(gunzipSync(readFileSync(path)).toString("utf8")) as { tool: string; trees: Record<string, string> };
    // What the store holds is what the next run gets: an empty tree kept for the text is handed back as it is.
    const key = Object.keys(kept.trees)[0]!;
    const rewrite = (file: object) => writeFileSync(path, gzipSync(JSON.stringify(file)));
    rewrite({ ...kept, trees: { [key]: JSON.stringify({ type: "root", children: [] }) } });
    const second = MonthStore.open(cache, root, "2026-10");
    expect(second.parse(text, 4)).toEqual({ type: "root", children: [] });
    expect(second.rendered("a key", () => "anew")).toBe("<p>rendered</p>");
    // Another month's, another source's or another dmreport's store is not read; nor is a tree that is not one.
    expect(MonthStore.open(cache, root, "2026-09").parse(text, 4)).toEqual(parseMarkdown(text, 4));
    expect(MonthStore.open(cache, tempFolder(), "2026-10").parse(text, 4)).toEqual(parseMarkdown(text, 4));
    rewrite({ ...kept, tool: "0.0.1", trees: { [key]: JSON.stringify({ type: "root", children: [] }) } });
    expect(MonthStore.open(cache, root, "2026-10").parse(text, 4)).toEqual(parseMarkdown(text, 4));
    rewrite({ ...kept, trees: { [key]: "[1, 2]" } });
    expect(MonthStore.open(cache, root, "2026-10").parse(text, 4)).toEqual(parseMarkdown(text, 4));
    // Nor one that would unpack to far more than a store packs to (it is not unpacked whole).
    const empty = JSON.stringify({ ...kept, trees: { [key]: JSON.stringify({ type: "root", children: [] }) } });
    writeFileSync(path, gzipSync(`${empty}${" ".repeat(8 * 1024 * 1024)}`));
    expect(MonthStore.open(cache, root, "2026-10").parse(text, 4)).toEqual(parseMarkdown(text, 4));
    writeFileSync(path, gzipSync(`${empty}${" ".repeat(1024)}`));
    expect(MonthStore.open(cache, root, "2026-10").parse(text, 4)).toEqual({ type: "root", children: [] });
    // Without a cache folder nothing is kept, and nothing is written.
    const none = MonthStore.open(undefined, root, "2026-10");
    expect(none.parse(text, 4)).toEqual(parseMarkdown(text, 4));
    none.save();
    expect(readdirSync(cache)).toEqual([folder]);
  });

  it("hands back the kept syntax tokens of the source's YAML files, only those that give back the text, and reads a source anew that fails with them", () => {
    const cache = tempFolder();
    const root = tempFolder();
    const text = "milestones:\n  - { id: K-1, title: One, wbs: '4.1', due: 2026-10-31 }\n";
    const lexed = () => [...new Parser().parse(text)];
    const refuse = (): CST.Token[] => {
      throw new Error("lexed again");
    };
    const first = SourceStore.open(cache, root);
    expect(first.tokens(text, lexed)).toEqual(lexed());
    first.save();
    expect(SourceStore.open(cache, root).tokens(text, refuse)).toEqual(lexed());
    // Another source's or another dmreport's store is not read; nor tokens that are not the text's.
    expect(SourceStore.open(cache, tempFolder()).tokens(text, lexed)).toEqual(lexed());
    const [folder] = readdirSync(cache);
    const path = join(cache, folder!, "source.json.gz");
    const held = JSON.parse(gunzipSync(readFileSync(path)).toString("utf8")) as { tool: string; tokens: Record<string, string> };
    const key = Object.keys(held.tokens)[0]!;
    const rewrite = (file: object) => writeFileSync(path, gzipSync(JSON.stringify(file)));
    rewrite({ ...held, tool: "0.0.1" });
    expect(SourceStore.open(cache, root).tokens(text, lexed)).toEqual(lexed());
    const other = "milestones: []\n";
    rewrite({ ...held, tokens: { [key]: JSON.stringify([...new Parser().parse(other)]) } });
    expect(SourceStore.open(cache, root).tokens(text, lexed)).toEqual(lexed());
    rewrite({ ...held, tokens: { [key]: "[1, 2]" } });
    expect(SourceStore.open(cache, root).tokens(text, lexed)).toEqual(lexed());

    // End to end: a register whose kept tokens say something else than its text, and still give it back, is read anew.
    const source = exampleCopy("minimal");
    const out = tempFolder();
    const build = () => runCli(["build", "--all", "--format", "md", "--out", out], source, { DMREPORT_CACHE_DIR: cache });
    expect(build().status).toBe(0);
    const expected = readFileSync(join(out, "kestrel-2026-10.md"), "utf8");
    const own = readdirSync(cache).find((name) => name !== folder)!;
    const store = join(cache, own, "source.json.gz");
    const kept = JSON.parse(gunzipSync(readFileSync(store)).toString("utf8")) as { tokens: Record<string, string> };
    const register = readFileSync(join(source, "milestones.yaml"), "utf8");
    const givesBack = (json: string) => (JSON.parse(json) as CST.Token[]).map((token) => CST.stringify(token)).join("");
    const registerKey = Object.keys(kept.tokens).find((name) => givesBack(kept.tokens[name]!) === register)!;
    // The same characters, each a plain scalar of its own line: no milestone in it.
    const scrambled = register.split(/(?<=\n)/).map((line) => ({ type: "scalar", offset: 0, indent: 0, source: line }));
    writeFileSync(store, gzipSync(JSON.stringify({ ...kept, tokens: { ...kept.tokens, [registerKey]: JSON.stringify(scrambled) } })));
    rmSync(out, { recursive: true });
    const again = build();
    expect(again.status, again.stderr).toBe(0);
    expect(readFileSync(join(out, "kestrel-2026-10.md"), "utf8")).toBe(expected);
  });

  it("builds every month anew with --fresh, or when dmreport is built anew with the same version, and sweeps what no build uses", () => {
    const source = exampleCopy("minimal");
    const cache = tempFolder();
    const out = tempFolder();
    const build = (args: string[] = [], cli = CLI) => {
      const run = spawnSync(process.execPath, [cli, "build", "--all", "--format", "md,html", "--out", out, ...args], {
        cwd: source,
        encoding: "utf8",
        env: { ...process.env, DMREPORT_CACHE_DIR: cache, NO_COLOR: "1" },
      });
      expect(run.status, run.stderr).toBe(0);
      return run.stdout;
    };
    // What no build has used for 30 days goes (a source moved or deleted), and what a killed run left half-written.
    const old = new Date(Date.now() - 31 * 24 * 3600 * 1000);
    for (const name of ["archive-0000000000000000", "archive-1111111111111111"]) mkdirSync(join(cache, name));
    utimesSync(join(cache, "archive-0000000000000000"), old, old);
    expect(build()).toMatch(/\(2 rebuilt, 0 unchanged\)/);
    const own = readdirSync(cache).find((name) => name.startsWith("archive-") && !/^archive-(0+|1+)$/.test(name))!;
    writeFileSync(join(cache, own, "2026-10.json.gz.4242-abcd.tmp"), "cut short");
    writeFileSync(join(cache, own, "2026-10.json.gz.4343-abcd.tmp"), "being written");
    // A month the source no longer has.
    writeFileSync(join(cache, own, "2026-08.json.gz"), "a month deleted since");
    utimesSync(join(cache, own, "2026-10.json.gz.4242-abcd.tmp"), old, old);
    utimesSync(join(cache, own), old, old);
    expect(build()).toMatch(/\(0 rebuilt, 2 unchanged\)/);
    expect(
      readdirSync(cache)
        .filter((name) => name.startsWith("archive-"))
        .sort(),
    ).toEqual(["archive-1111111111111111", own].sort());
    expect(readdirSync(join(cache, own)).sort()).toEqual([
      "2026-09.json.gz",
      "2026-10.json.gz",
      "2026-10.json.gz.4343-abcd.tmp",
      "source.json.gz",
    ]);
    // Built, its folder is marked used.
    expect(Date.now() - statSync(join(cache, own)).mtimeMs).toBeLessThan(60_000);

    // --fresh: every month built anew, to the same bytes, what is kept made anew.
    const before = readFileSync(join(out, "kestrel-2026-10.html"), "utf8");
    expect(build(["--fresh"])).toMatch(/\(2 rebuilt, 0 unchanged\)/);
    expect(readFileSync(join(out, "kestrel-2026-10.html"), "utf8")).toBe(before);
    expect(build()).toMatch(/\(0 rebuilt, 2 unchanged\)/);

    // A dmreport built anew (another build id, the same version) reuses nothing an older build kept.
    const copy = tempFolder();
    for (const name of ["package.json", "bin", "dist", "templates", "schemas"])
      cpSync(join(REPO, name), join(copy, name), { recursive: true });
    symlinkSync(join(REPO, "node_modules"), join(copy, "node_modules"));
    const copied = join(copy, "bin", "dmreport");
    expect(build([], copied)).toMatch(/\(0 rebuilt, 2 unchanged\)/);
    writeFileSync(join(copy, "dist", "build-id"), "another build\n");
    expect(build([], copied)).toMatch(/\(2 rebuilt, 0 unchanged\)/);
    expect(readFileSync(join(out, "kestrel-2026-10.html"), "utf8")).toBe(before);
  }, 120_000);
});
