// The documentation, tested as code: the README is a short front door that starts with the two
// set-up commands CI runs; the rule index lists every rule as the code has it; every key of
// dmreport.yaml is in the reference; every relative link and anchor resolves; the README's
// fragment and lint output are what dmreport does with them. (The workflows shown are validated
// in action.test.ts, the Neovim recipes run in lsp-neovim.test.ts.)
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import GithubSlugger from "github-slugger";
import { describe, expect, it } from "vitest";
import { RULES } from "../src/core/rules.js";
import { exampleCopy, REPO, runCli } from "./helpers.js";

const read = (path: string) => readFileSync(join(REPO, path), "utf8");

/** Every Markdown page of the documentation, by path in the repository. */
function pages(): string[] {
  const found = ["README.md", "CONTRIBUTING.md"];
  const walk = (folder: string) => {
    for (const name of readdirSync(join(REPO, folder)).sort()) {
      const path = `${folder}/${name}`;
      if (statSync(join(REPO, path)).isDirectory()) walk(path);
      else if (name.endsWith(".md")) found.push(path);
    }
  };
  walk("docs");
  return found;
}

/** The page's text with its fenced code blocks blanked out (headings and links there are neither). */
const unfenced = (text: string) => text.replace(/^( *)(```|~~~)[^\n]*\n[\s\S]*?^ *\2[ \t]*$/gm, "");

/** The page's text with its code blocks and code spans blanked out (links there are not links). */
const prose = (text: string) => unfenced(text).replace(/`[^`\n]*`/g, "``");

/** The anchors GitHub gives the page's headings. */
function anchors(text: string): Set<string> {
  const slugger = new GithubSlugger();
  return new Set([...unfenced(text).matchAll(/^#{1,6}\s+(.+?)\s*#*$/gm)].map((heading) => slugger.slug(heading[1]!.replace(/[`*_]/g, ""))));
}

describe("the README", () => {
  const readme = read("README.md");

  it("is a front door of at most 250 lines that starts with the two set-up commands, the second the one CI runs", () => {
    expect(readme.split("\n").length).toBeLessThanOrEqual(250);
    const commands = /^# dmreport\n\n```sh\n(.+)\n(.+)\n```\n/.exec(readme);
    expect(commands, "the README opens with a block of two commands").not.toBeNull();
    const command = (line: string) => line.replace(/\s+#.*$/, "");
    expect(command(commands![1]!)).toBe("npm ci && npx dmreport build examples/lsst-dm --month 2017-12 --out out");
    const ci = read(".ci/run").trim().split("\n").pop()!;
    expect(command(commands![2]!)).toBe(ci);
  });

  it("shows a fragment that lints clean, and the very lint output of a mistake in it", () => {
    const fragment = /```markdown\n([\s\S]*?)```/.exec(readme)![1]!;
    const shown = /\(here `4\.1\.3` typed for `4\.1\.2`\):\n\n```\n([\s\S]*?)```/.exec(readme)![1]!;
    const source = exampleCopy("minimal");
    mkdirSync(join(source, "months", "2026-11"));
    const file = "months/2026-11/4.1.2.md";
    writeFileSync(join(source, file), fragment);
    expect(runCli(["lint", file], source, { DMREPORT_NO_SERVER: "1" })).toEqual({ status: 0, stdout: "", stderr: "" });
    writeFileSync(join(source, file), fragment.replace('wbs: "4.1.2"', 'wbs: "4.1.3"'));
    expect(runCli(["lint", file], source, { DMREPORT_NO_SERVER: "1" })).toMatchObject({ status: 1, stdout: shown });
  });

  it("names dmreport's repository as package.json does, wherever the docs name it", () => {
    const homepage = (JSON.parse(read("package.json")) as { homepage: string }).homepage.replace(/#.*$/, "");
    const repository = new URL(homepage).pathname.slice(1);
    for (const page of pages()) {
      const text = read(page);
      for (const [, owner] of text.matchAll(/uses: ([\w.-]+\/dmreport)@/g)) expect(owner, page).toBe(repository);
      for (const [, url] of text.matchAll(/(https:\/\/github\.com\/[\w.-]+\/dmreport)\b/g)) expect(url, page).toBe(homepage);
    }
  });
});

describe("the fast tier of the tests (npm run test:fast)", () => {
  it("starts no process: no CLI, browser, Java, pre-commit or Neovim", async () => {
    const { FAST } = await import("../vitest.config.js");
    expect(FAST.length).toBeGreaterThan(5);
    for (const name of FAST) expect(read(`test/${name}.test.ts`), name).not.toMatch(/runCli|spawn|child_process|launchChromium|playwright/);
  });
});

describe("the documentation", () => {
  it("has a page for each part of the guide and the reference, and CONTRIBUTING.md for developers", () => {
    for (const page of [
      "guide/monthly-cycle.md",
      "guide/milestones.md",
      "guide/structure-and-publishing.md",
      "guide/ci.md",
      "guide/editors.md",
      "reference/source.md",
      "reference/commands.md",
      "reference/outputs.md",
      "reference/templates.md",
      "reference/library.md",
      "reference/diagnostics.md",
    ])
      expect(existsSync(join(REPO, "docs", page)), page).toBe(true);
    expect(read("CONTRIBUTING.md")).toContain("npm test");
  });

  it("lists every rule in the rule index, with its severity and what it finds", () => {
    const index = read("docs/rules/README.md");
    for (const [id, info] of Object.entries(RULES)) {
      const severity = info.configurable ? info.severity : `${info.severity} (fixed)`;
      expect(index, id).toContain(`| [\`${id}\`](${id}.md) | ${severity} | ${info.description} |`);
    }
    // And no rule that is gone.
    const listed = [...index.matchAll(/^\| \[`([\w-]+)`\]/gm)].map((row) => row[1]);
    expect(listed.sort()).toEqual(Object.keys(RULES).sort());
  });

  it("documents every key of dmreport.yaml, those init writes among them", () => {
    const reference = read("docs/reference/source.md");
    const schema = JSON.parse(read("schemas/dmreport.schema.json")) as {
      properties: Record<string, { properties?: Record<string, unknown> }>;
    };
    for (const [key, value] of Object.entries(schema.properties)) {
      expect(reference, key).toContain(`\`${key}`);
      for (const inner of Object.keys(value.properties ?? {}))
        expect(reference, `${key}.${inner}`).toMatch(new RegExp(`\`(?:${key}\\.)?${inner}\``));
    }
    const init = runCli(["init", join(exampleCopy("minimal"), "fresh"), "--month", "2026-11"]);
    expect(init.status).toBe(0);
  });

  it("links only to files and headings that exist", () => {
    const broken: string[] = [];
    for (const page of pages()) {
      const text = read(page);
      for (const [, target] of prose(text).matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
        if (/^[a-z][\w+.-]*:/i.test(target!)) continue;
        const [path, anchor] = target!.split("#") as [string, string | undefined];
        const file = path ? join(dirname(join(REPO, page)), decodeURIComponent(path)) : join(REPO, page);
        if (!existsSync(file)) {
          broken.push(`${page}: ${target} (no ${relative(REPO, file)})`);
          continue;
        }
        if (anchor && file.endsWith(".md") && !anchors(readFileSync(file, "utf8")).has(anchor))
          broken.push(`${page}: ${target} (no heading #${anchor})`);
      }
    }
    expect(broken).toEqual([]);
  });
});
