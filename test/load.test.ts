// Load stage: positions of YAML values and fragment parts are positions in the file.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { findSourceRoot, listMonths, loadSource } from "../src/load/index.js";
import { locate } from "../src/load/yaml-source.js";
import { parseFragmentSource } from "../src/load/fragment-source.js";
import { parseYamlSource, type YamlTokens } from "../src/load/yaml-source.js";
import { parseDocument, visit, type CST } from "yaml";
import { exampleCopy, REPO, tempFolder } from "./helpers.js";

describe("parseYamlSource", () => {
  it("keeps dates as the text the author wrote", () => {
    const { source } = parseYamlSource("m.yaml", "due: 2018-01-31\nid: 2017\n");
    expect(source.doc.toJS()).toEqual({ due: "2018-01-31", id: 2017 });
  });

  it("locates values, keys, list entries, and the entry lacking a missing field", () => {
    const text = "milestones:\n  - id: A1\n    due: 2018-01-31\n  - id: A2\n";
    const { source } = parseYamlSource("m.yaml", text);
    expect(locate(source, ["milestones", 0, "due"])).toEqual({ line: 3, column: 10 });
    expect(locate(source, ["milestones", 0, "due"], "key")).toEqual({ line: 3, column: 5 });
    expect(locate(source, ["milestones", 1, "due"])).toEqual({ line: 4, column: 5 });
  });

  it("offsets positions of YAML embedded in a larger file", () => {
    const file = "---\nwbs: x\nmonth: 2017-12\n---\n";
    const { source } = parseYamlSource("f.md", file, file.slice(3, file.indexOf("\n---", 3)), 3);
    expect(locate(source, ["month"])).toEqual({ line: 3, column: 8 });
  });

  it("reports syntax errors at their place", () => {
    const { diagnostics } = parseYamlSource("w.yaml", "a: 1\na: 2\n");
    expect(diagnostics).toEqual([
      {
        file: "w.yaml",
        line: 2,
        column: 1,
        severity: "error",
        rule: "yaml-syntax",
        message: "YAML syntax error: Map keys must be unique (remove one of the two entries)",
      },
    ]);
  });

  it("reads collections 64 deep, and refuses deeper ones where they first go too deep, at any depth, where the stack would run out", () => {
    const tooDeep = (line: number, column: number) => [
      {
        file: "d.yaml",
        line,
        column,
        severity: "error",
        rule: "yaml-syntax",
        message: "YAML syntax error: this nests collections more than 64 deep, and dmreport reads no deeper (flatten it)",
      },
    ];
    const flow = (depth: number) => `extra: ${"[".repeat(depth)}${"]".repeat(depth)}\n`;
    // The map and 63 lists in it: 64.
    expect(parseYamlSource("d.yaml", flow(63)).diagnostics).toEqual([]);
    for (const depth of [64, 2000, 20_000]) {
      const { source, diagnostics } = parseYamlSource("d.yaml", flow(depth));
      expect(diagnostics).toEqual(tooDeep(1, 8 + 63));
      expect(source.doc.toJS()).toBeNull();
    }
    // Block collections, and keys: a map 65 deep, in a list after one that is not too deep.
    const block = (depth: number) => Array.from({ length: depth }, (_, level) => `${"  ".repeat(level)}k${level}:`).join("\n") + " 1\n";
    expect(parseYamlSource("d.yaml", `- ${block(63).replaceAll("\n", "\n  ")}`).diagnostics).toEqual([]);
    expect(parseYamlSource("d.yaml", `- 1\n- ${block(64).replaceAll("\n", "\n  ")}`).diagnostics).toEqual(tooDeep(65, 2 + 2 * 63 + 1));
    expect(parseYamlSource("d.yaml", `${"[".repeat(64)}{ a: 1 }${"]".repeat(64)}: 2\n`).diagnostics).toEqual(tooDeep(1, 64));
  });
});

describe("parseYamlSource from kept syntax tokens", () => {
  const texts = [
    ...["lsst-dm", "minimal"].flatMap((example) =>
      readdirSync(join(REPO, "examples", example))
        .filter((name) => name.endsWith(".yaml"))
        .map((name) => readFileSync(join(REPO, "examples", example, name), "utf8")),
    ),
    "",
    "# a comment alone\n",
    "a: 1\na: 2\n",
    "a:\n\t- b\n",
    "---\na: 1\n---\nb: 2\n",
    "a: [1, 2\n",
    "key: 'open\n",
    "a: &x 1\nb: *x\n",
    "? complex\n: value\n",
    "a: |\n  block\n  text\nb: >-\n  folded\n\n  more\n",
    'milestones:\n  - { id: X-1, title: "T", due: 2018-01-31 } # done\n  - id: X-2\n    due: 2018-02-28\n',
    "wbs: 1.02C\n  bad: indent\n",
  ];
  /** Each node of the document, with its kind, place and comments. */
  const shape = (doc: { contents: unknown }) => {
    const nodes: unknown[] = [];
    visit(doc as Parameters<typeof visit>[0], {
      Node: (_key, node) => void nodes.push([node.constructor.name, node.range, node.commentBefore, node.comment, node.toJSON()]),
    });
    return nodes;
  };
  const kept: YamlTokens = { tokens: (_text, lex) => JSON.parse(JSON.stringify(lex())) as CST.Token[] };

  it("gives the document and the findings of the library's own parse, every place the same", () => {
    for (const text of texts) {
      const library = parseDocument(text, { schema: "core", prettyErrors: false, uniqueKeys: true });
      const fresh = parseYamlSource("f.yaml", text);
      const fromKept = parseYamlSource("f.yaml", text, text, 0, kept);
      for (const { source } of [fresh, fromKept]) {
        expect(shape(source.doc), text).toEqual(shape(library));
        expect(
          source.doc.errors.map((error) => [error.code, error.pos]),
          text,
        ).toEqual(library.errors.map((error) => [error.code, error.pos]));
        expect(
          source.doc.warnings.map((error) => [error.code, error.pos]),
          text,
        ).toEqual(library.warnings.map((error) => [error.code, error.pos]));
      }
      expect(fromKept.diagnostics, text).toEqual(fresh.diagnostics);
    }
  });

  it("lexes anew where the kept tokens compose no document", () => {
    const broken: YamlTokens = { tokens: () => [{ type: "document", offset: 0 } as unknown as CST.Token] };
    const text = "a: 1\nb: [2, 3]\n";
    expect(parseYamlSource("f.yaml", text, text, 0, broken).source.doc.toJS()).toEqual({ a: 1, b: [2, 3] });
  });
});

describe("parseFragmentSource", () => {
  const text = "---\nwbs: 02C.03.01\nmonth: 2017-12\n---\n\n## Current accomplishments\n\n- Done.\n";

  it("gives body nodes their line in the file", () => {
    const { fragment } = parseFragmentSource("f.md", "2017-12", text);
    expect(fragment!.bodyStart).toEqual({ line: 5, column: 1 });
    expect(fragment!.body.children[0]!.position!.start).toMatchObject({ line: 6, column: 1 });
    expect(locate(fragment!.frontmatter!, ["wbs"])).toEqual({ line: 2, column: 6 });
  });

  it("places values and body the same way with CRLF line endings", () => {
    const { fragment } = parseFragmentSource("f.md", "2017-12", text.replace(/\n/g, "\r\n"));
    expect(locate(fragment!.frontmatter!, ["month"])).toEqual({ line: 3, column: 8 });
    expect(fragment!.body.children[0]!.position!.start.line).toBe(6);
  });

  it("treats a file with no frontmatter as all body", () => {
    const { fragment, diagnostics } = parseFragmentSource("f.md", "2017-12", "## Planned activities\n");
    expect(fragment!.frontmatter).toBeNull();
    expect(diagnostics).toEqual([]);
  });
});

describe("findSourceRoot and loadSource", () => {
  it("finds the nearest dmreport.yaml above a folder, like git", () => {
    const source = exampleCopy("minimal");
    expect(findSourceRoot(join(source, "months", "2026-10"))).toBe(source);
    expect(findSourceRoot(join(source, "months", "2026-10", "4.2.md"))).toBe(source);
    expect(findSourceRoot(tempFolder())).toBeNull();
  });

  it("lists month folders in order and warns about anything else in months/", () => {
    const source = exampleCopy("minimal");
    mkdirSync(join(source, "months", "october"));
    const diagnostics: unknown[] = [];
    expect(listMonths(source, diagnostics as never)).toEqual(["2026-09", "2026-10"]);
    expect(diagnostics).toMatchObject([{ file: "months/october", rule: "month-folder-name", severity: "warning" }]);
  });

  it("reads only the months asked for, and warns about files that are not fragments", () => {
    const source = exampleCopy("minimal");
    writeFileSync(join(source, "months", "2026-10", "notes.txt"), "draft");
    const { source: loaded, diagnostics } = loadSource(source, { months: ["2026-10"] });
    expect(loaded.fragments.map((fragment) => fragment.file)).toEqual([
      "months/2026-10/4.1.1.md",
      "months/2026-10/4.1.2.md",
      "months/2026-10/4.2.md",
      "months/2026-10/summary.md",
    ]);
    expect(diagnostics).toMatchObject([{ file: "months/2026-10/notes.txt", rule: "fragment-not-markdown", severity: "warning" }]);
  });

  it("reports a file that is not UTF-8 without reading it as text", () => {
    const source = exampleCopy("minimal");
    writeFileSync(join(source, "months", "2026-10", "4.2.md"), Buffer.from([0x2d, 0x2d, 0x2d, 0x0a, 0xff, 0xfe, 0x0a]));
    const { diagnostics } = loadSource(source, { months: ["2026-10"] });
    expect(diagnostics).toEqual([
      {
        file: "months/2026-10/4.2.md",
        line: 1,
        column: 1,
        severity: "error",
        rule: "file-encoding",
        message: "`months/2026-10/4.2.md` is not valid UTF-8 text: save it as UTF-8",
      },
    ]);
  });
});
