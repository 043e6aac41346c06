// Validate stage: WBS codes, sections, config patterns, and the typed project it hands on.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadSource } from "../src/load/index.js";
import { ParseMemo } from "../src/load/memo.js";
import { parseMarkdown } from "../src/load/markdown.js";
import { parseYamlSource } from "../src/load/yaml-source.js";
import { checkConfig, DEFAULT_MILESTONE_ID, DEFAULT_SECTIONS } from "../src/validate/config.js";
import { validateSource } from "../src/validate/index.js";
import { splitSections } from "../src/validate/sections.js";
import { checkWbs, continuedCode } from "../src/validate/wbs.js";
import { exampleCopy, REPO } from "./helpers.js";

describe("continuedCode", () => {
  it("accepts children that repeat or drop the parent's leading segments", () => {
    expect(continuedCode("1.02C.06", "1.02C.06.02")).toBe("1.02C.06.02");
    expect(continuedCode("1.02C.06", "02C.06.02")).toBe("1.02C.06.02");
    expect(continuedCode("1.02C.06.02", "02C.06.02.03")).toBe("1.02C.06.02.03");
  });

  it("refuses a child that does not continue its parent", () => {
    expect(continuedCode("1.02C.06", "02C.07.01")).toBeUndefined();
    expect(continuedCode("1.02C.06", "1.02C.06")).toBeUndefined();
    expect(continuedCode("4.1", "5.1.2")).toBeUndefined();
  });
});

describe("checkWbs", () => {
  it("finds elements by printed and full code, in report order", () => {
    const { source } = parseYamlSource(
      "wbs.yaml",
      "elements:\n  - code: 1.02C.03\n    title: AP\n    children:\n      - { code: 02C.03.01, title: SFP }\n  - { code: 1.02C.04, title: DRP }\n",
    );
    const { wbs, diagnostics } = checkWbs(source);
    expect(diagnostics).toEqual([]);
    expect(wbs!.elements.map((element) => element.fullCode)).toEqual(["1.02C.03", "1.02C.03.01", "1.02C.04"]);
    expect(wbs!.find("02C.03.01")).toBe(wbs!.find("1.02C.03.01"));
    expect(wbs!.find("02C.03.01")!.parent!.code).toBe("1.02C.03");
  });

  it("reports a code used twice, at the second use", () => {
    const { source } = parseYamlSource("wbs.yaml", "elements:\n  - { code: A.1, title: One }\n  - { code: A.1, title: Two }\n");
    expect(checkWbs(source).diagnostics).toEqual([
      {
        file: "wbs.yaml",
        line: 3,
        column: 13,
        severity: "error",
        rule: "wbs-duplicate",
        message: "WBS code `A.1` is used twice (also for `One`); give each element its own code",
      },
    ]);
  });
});

describe("splitSections", () => {
  const split = (markdown: string) => splitSections("f.md", parseMarkdown(markdown), DEFAULT_SECTIONS);

  it("splits by section headings, keeping deeper headings inside their section", () => {
    const { sections, diagnostics } = split("## Current accomplishments\n\nA.\n\n### Detail\n\nB.\n\n## planned activities:\n\nC.\n");
    expect(diagnostics).toEqual([]);
    expect([...sections.keys()]).toEqual(["accomplishments", "planned"]);
    expect(sections.get("accomplishments")!.content.children.map((node) => node.type)).toEqual(["paragraph", "heading", "paragraph"]);
    expect(sections.get("accomplishments")!.headingDepth).toBe(2);
  });

  it("lets HTML comments stand before the first section", () => {
    expect(split("<!-- last month's plans: ... -->\n\n## Planned activities\n\nC.\n").diagnostics).toEqual([]);
  });

  it("reports a repeated section and warns about an empty one", () => {
    const { diagnostics } = split("## Planned activities\n\n## Current accomplishments\n\nA.\n\n## Current accomplishments\n\nB.\n");
    expect(diagnostics.map((d) => [d.line, d.rule, d.severity])).toEqual([
      [1, "fragment-empty-section", "warning"],
      [7, "fragment-duplicate-section", "error"],
    ]);
  });
});

describe("checkConfig", () => {
  const config = (yaml: string) => checkConfig(REPO, parseYamlSource("dmreport.yaml", yaml).source);

  it("fills in the defaults of the reference report", () => {
    const { config: checked, diagnostics } = config("title: Monthly Report\n");
    expect(diagnostics).toEqual([]);
    expect(checked).toMatchObject({
      title: "Monthly Report",
      locale: "en-US",
      sections: DEFAULT_SECTIONS,
      output: { name: "report-{month}", formats: ["md"] },
    });
  });

  it("accepts every real milestone id by default", () => {
    const pattern = new RegExp(DEFAULT_MILESTONE_ID, "u");
    for (const id of ["LDM-503-2", "DM-DRP-14", "DLP-579", "DMTC-7400-2090", "DM-NCSA-27", "A2330", "CAMM6995", "LDM-503-EFDa"])
      expect(pattern.test(id), id).toBe(true);
    for (const id of ["", "-DM", "DM--1", "DM 12"]) expect(pattern.test(id), id).toBe(false);
  });

  it("reports a link pattern that is not a regular expression, at the pattern", () => {
    const { diagnostics } = config("title: T\nlinks:\n  - pattern: 'DM-(\\d+'\n    url: https://jira.example/{0}\n");
    expect(diagnostics).toMatchObject([{ line: 3, column: 14, rule: "config-pattern" }]);
    expect(diagnostics[0]!.message).toMatch(/^link pattern is not a valid regular expression: /);
  });

  it("reports an unknown locale", () => {
    expect(config("title: T\nlocale: xx-notreal-123456789\n").diagnostics).toMatchObject([{ line: 2, column: 9, rule: "config-locale" }]);
  });
});

describe("schema messages", () => {
  it("show invisible characters in the value, escaped", () => {
    const source = exampleCopy("minimal", { "months/2026-10/4.2.md": '---\nwbs: "4.2"\nmonth: "2026-10\\t"\n---\n' });
    const { diagnostics } = validateSource(loadSource(source, { months: ["2026-10"] }).source);
    expect(diagnostics.map((d) => d.message)).toEqual(["`month` must look like 2017-12, got `2026-10\\t`"]);
  });
});

describe("validateSource", () => {
  it("types the LSST example: tree, register and fragments", () => {
    const { source, diagnostics: loadProblems } = loadSource(`${REPO}/examples/lsst-dm`, { months: ["2017-12"] });
    const { project, diagnostics } = validateSource(source);
    expect([...loadProblems, ...diagnostics]).toEqual([]);
    expect(project!.wbs.elements).toHaveLength(64);
    expect(project!.milestones.size).toBe(34);
    expect(project!.fragments).toHaveLength(59);
    const grouped = project!.fragments.flatMap((fragment) => fragment.milestones).find((status) => status.ids.length > 1);
    expect(grouped).toMatchObject({
      ids: ["DLP-538", "DLP-539", "DLP-541", "DLP-544"],
      title: "Assorted ICDs updated to Phase 3",
      status: "delayed",
    });
  });

  it("gives no project while any error remains", () => {
    const source = exampleCopy("minimal", { "months/2026-10/4.2.md": "---\nwbs: '9.9'\nmonth: 2026-10\n---\n" });
    const { project, diagnostics } = validateSource(loadSource(source, { months: ["2026-10"] }).source);
    expect(project).toBeUndefined();
    expect(diagnostics.map((d) => d.rule)).toEqual(["wbs-unknown"]);
  });
});

describe("validateSource, judging a fragment's text once per parse of it", () => {
  it("judges it anew whenever the settings its text rules read change, however their text is laid out", () => {
    const source = exampleCopy("minimal");
    const fragment = join(source, "months", "2026-10", "4.1.1.md");
    writeFileSync(fragment, readFileSync(fragment, "utf8").replace(/\n*$/, "\n\nSee Kws-77 and DOC-3.\n"));
    const memo = new ParseMemo();
    // Each setting as a lint server meets it after an edit of dmreport.yaml, the fragment unchanged (its parse kept).
    const settings = [
      ["tickets: [KSW]", "tickets: [KSW, DOC]"],
      // One link whose url holds a newline and the text of a second link, then the two links apart.
      [
        "links:\n  - name: Tracker issues\n    pattern: '\\bKSW-\\d+\\b'\n    url: 'https://tracker.kestrel.example/issues/{0}'",
        'links:\n  - pattern: "ZZZ"\n    url: "https://x\\n\\\\bKws-\\\\d+\\\\b gu https://a.example/{0}"',
      ],
      [
        "links:\n  - name: Tracker issues\n    pattern: '\\bKSW-\\d+\\b'\n    url: 'https://tracker.kestrel.example/issues/{0}'",
        'links:\n  - pattern: "ZZZ"\n    url: "https://x"\n  - pattern: "\\\\bKws-\\\\d+\\\\b"\n    url: "https://a.example/{0}"',
      ],
    ];
    const original = readFileSync(join(source, "dmreport.yaml"), "utf8");
    const judged = (memoToUse?: ParseMemo) => {
      const loaded = loadSource(source, { months: ["2026-10"], memo: memoToUse });
      return validateSource(loaded.source, { today: "2026-11-30" }).diagnostics.filter((found) => found.file.endsWith("4.1.1.md"));
    };
    const seen = new Set<string>();
    for (const [from, to] of [["", ""], ...settings]) {
      writeFileSync(join(source, "dmreport.yaml"), original.replace(from!, to!));
      const fresh = judged();
      seen.add(JSON.stringify(fresh));
      expect(judged(memo)).toEqual(fresh);
    }
    // The settings do change what is found: the memo was put to the test.
    expect(seen.size).toBeGreaterThan(2);
  });
});
