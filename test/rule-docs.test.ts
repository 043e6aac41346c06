// Every rule has its page, and the pages' examples are true: the wrong one breaks the rule, the right one does not.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { toString as plainText } from "mdast-util-to-string";
import remarkParse from "remark-parse";
import { unified } from "unified";
import { describe, expect, it } from "vitest";
import { lint } from "../src/lint.js";
import { RULES, type RuleInfo } from "../src/core/rules.js";
import { ruleHelpUri } from "../src/core/rule-docs.js";
import { exampleCopy, REPO } from "./helpers.js";

const TODAY = "2026-11-24";
const DOCS = join(REPO, "docs", "rules");
const ids = Object.keys(RULES);

/** The examples of a page's section: code blocks whose info string names the file they go in (`+`: added at its end). */
function examples(page: string, section: "Wrong" | "Right"): { file: string; append: boolean; text: string }[] {
  const found: { file: string; append: boolean; text: string }[] = [];
  let current = "";
  for (const node of unified().use(remarkParse).parse(page).children) {
    if (node.type === "heading") current = plainText(node);
    else if (node.type === "code" && current === section && node.meta) {
      found.push({ file: node.meta.replace(/\+$/, ""), append: node.meta.endsWith("+"), text: `${node.value}\n` });
    }
  }
  return found;
}

/** The rules lint reports on the minimal example with `files` written into it. */
function rulesFound(files: { file: string; append: boolean; text: string }[]): string[] {
  const source = exampleCopy("minimal");
  const written: Record<string, string> = {};
  for (const { file, append, text } of files) {
    const before = written[file] ?? (append ? readFileSync(join(source, file), "utf8") : "");
    written[file] = append ? before + text : text;
  }
  const copy = exampleCopy("minimal", written);
  return lint({ cwd: copy, today: TODAY }).sources[0]!.diagnostics.map((found) => found.rule);
}

describe("the rule pages", () => {
  it("has a page for every rule, and no page for a rule that does not exist", () => {
    const pages = readdirSync(DOCS)
      .filter((name) => name !== "README.md")
      .map((name) => name.replace(/\.md$/, ""))
      .sort();
    expect(pages).toEqual([...ids].sort());
    const index = readFileSync(join(DOCS, "README.md"), "utf8");
    for (const id of ids) expect(index).toContain(`[\`${id}\`](${id}.md)`);
  });

  it.each(ids)("%s: says what, why, and how to turn it off", (id) => {
    const page = readFileSync(join(DOCS, `${id}.md`), "utf8");
    const info = (RULES as Record<string, RuleInfo>)[id]!;
    expect(page.startsWith(`# \`${id}\`\n`)).toBe(true);
    for (const heading of ["## What it checks", "## Why", "## Turning it off"]) expect(page).toContain(`\n${heading}\n`);
    expect(page).toContain(`Severity: ${info.severity}`);
    if (info.configurable) expect(page).toContain(`rules:\n  ${id}: off\n`);
    else expect(page).toContain("It cannot be turned off");
  });

  const checkable = ids.filter((id) => examples(readFileSync(join(DOCS, `${id}.md`), "utf8"), "Wrong").length);

  it("shows a wrong example lint can check for most rules", () => {
    expect(checkable.length).toBeGreaterThanOrEqual(55);
  });

  it.each(checkable)("%s: the wrong example breaks the rule, and the right one does not", (id) => {
    const page = readFileSync(join(DOCS, `${id}.md`), "utf8");
    expect(rulesFound(examples(page, "Wrong"))).toContain(id);
    const right = examples(page, "Right");
    if (right.length) expect(rulesFound(right)).not.toContain(id);
  });

  it("links each rule to its page, for SARIF and JSON", () => {
    expect(ruleHelpUri("wbs-unknown")).toMatch(/^https:\/\/.+\/docs\/rules\/wbs-unknown\.md$/);
    for (const id of ids) expect(existsSync(join(DOCS, `${id}.md`))).toBe(true);
  });
});

describe("the rules in the config schema", () => {
  // A rule a project may turn off or change is named in dmreport.yaml's `rules:`, which the schema checks.
  it("lists every configurable rule, and no other, in `rules:` of dmreport.schema.json", () => {
    const schema = JSON.parse(readFileSync(join(REPO, "schemas", "dmreport.schema.json"), "utf8"));
    const configurable = Object.entries(RULES)
      .filter(([, info]) => info.configurable)
      .map(([id]) => id);
    expect(schema.properties.rules.propertyNames.enum).toEqual(configurable);
  });
});
