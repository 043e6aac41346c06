/** Read a fragment file: YAML frontmatter (with positions) and a Markdown body (parsed once). */
import matter from "gray-matter";
import type { Root } from "mdast";
import { visit } from "unist-util-visit";
import { location } from "vfile-location";
import { diagnostic, type Diagnostic, type Position } from "../core/diagnostics.js";
import { parseMarkdown, type MarkdownTrees } from "./markdown.js";
import { parseYamlSource, type YamlSource } from "./yaml-source.js";

export interface FragmentSource {
  /** Path of the file, as shown in diagnostics. */
  file: string;
  /** The month named by the folder the fragment sits in (`2017-12`). */
  folderMonth: string;
  /** The frontmatter, or null when the file has none. */
  frontmatter: YamlSource | null;
  /** The Markdown after the frontmatter, positions relative to the whole file. */
  body: Root;
  /** Where the body starts in the file. */
  bodyStart: Position;
  /** The whole file's text (LF line endings, no BOM). */
  text: string;
  /** `<!-- dmreport-disable ... -->` comments in the body, in file order. */
  directives: Directive[];
}

/** An inline comment that turns rules off for part of a file. */
export interface Directive {
  kind: "disable" | "enable" | "disable-next-line" | "disable-file";
  /** The rules named; empty for every rule. */
  rules: string[];
  line: number;
}

const DIRECTIVE = /<!--\s*dmreport-(disable-next-line|disable-file|disable|enable)\b([^>]*?)-->/g;

/** The directives in the HTML comments of a Markdown body. */
function directivesIn(body: Root, text: string): Directive[] {
  const directives: Directive[] = [];
  // Most fragments have none: a directive's HTML comment holds this text as written.
  if (!text.includes("dmreport-")) return directives;
  visit(body, "html", (node) => {
    for (const match of node.value.matchAll(DIRECTIVE)) {
      const before = node.value.slice(0, match.index);
      directives.push({
        kind: match[1] as Directive["kind"],
        rules: match[2]!.split(/[\s,]+/).filter(Boolean),
        line: (node.position?.start.line ?? 1) + (before.match(/\n/g)?.length ?? 0),
      });
    }
  });
  return directives;
}

// gray-matter's own YAML engine turns dates into Date objects; we only let it find the
// frontmatter and parse that text ourselves with `yaml`, keeping values and positions exact.
const splitOnly = { engines: { yaml: { parse: () => ({}), stringify: () => "" } } };

/**
 * How deep lists and block quotes nest, from each line's leading markers, before parsing: a
 * parser walks nesting recursively, and thousands of levels would exhaust its stack.
 */
function nestingDepth(markdown: string): { depth: number; line: number } {
  let deepest = { depth: 0, line: 1 };
  markdown.split("\n").forEach((text, index) => {
    const lead = /^[ \t>]*(?:[-*+]|\d+[.)])?/.exec(text)![0];
    const quotes = lead.split(">").length - 1;
    const indent = lead
      .replace(/>/g, "")
      .replace(/\t/g, "    ")
      .search(/[^ ]|$/);
    const depth = quotes + Math.floor(indent / 2);
    if (depth > deepest.depth) deepest = { depth, line: index + 1 };
  });
  return deepest;
}

/**
 * The emphasis marks (`*`, `_`) of a fragment's body outside fenced code, and the line where they
 * pass `EMPHASIS_LIMIT`: the parser pairs a paragraph's marks in time that grows with the square of
 * their number, and what it makes of them costs time and memory with their number (20,000 marks in
 * one paragraph took 4 s and 200 MiB; 200,000 in a 1 MiB fragment, 47 s and 2 GiB).
 */
function emphasisMarks(markdown: string): { marks: number; line?: number } {
  let marks = 0;
  let line: number | undefined;
  let fence: string | undefined;
  markdown.split("\n").forEach((text, index) => {
    const opens = /^ {0,3}(`{3,}|~{3,})/.exec(text)?.[1];
    if (fence !== undefined) {
      if (opens !== undefined && opens[0] === fence[0] && opens.length >= fence.length && text.trim() === opens) fence = undefined;
      return;
    }
    if (opens) {
      fence = opens;
      return;
    }
    for (const character of text) if (character === "*" || character === "_") marks++;
    if (marks > EMPHASIS_LIMIT) line ??= index + 1;
  });
  return { marks, ...(line !== undefined && { line }) };
}

/** More emphasis marks than this in a fragment and it is not parsed (see `emphasisMarks`): a long fragment holds a few hundred. */
export const EMPHASIS_LIMIT = 10_000;

/** Split and parse one fragment's text. */
export function parseFragmentSource(
  file: string,
  folderMonth: string,
  text: string,
  options: { body?: boolean; nesting?: number; trees?: MarkdownTrees } = {},
): { fragment?: FragmentSource; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  let frontmatter: YamlSource | null = null;
  let bodyOffset = 0;
  if (/^---[ \t]*\r?\n/.test(text)) {
    if (!/\r?\n---[ \t]*(\r?\n|$)/.test(text)) {
      diagnostics.push(
        diagnostic(
          file,
          { line: 1, column: 1 },
          "frontmatter-unclosed",
          "the frontmatter that opens on line 1 is never closed: add a line `---` after the last key",
        ),
      );
      // Where the frontmatter ends is unknown, so nothing of the file can be placed in the report.
      return { diagnostics };
    }
    const split = matter(text, splitOnly as never);
    if (text.endsWith(split.content)) {
      bodyOffset = text.length - split.content.length;
      // gray-matter's `matter` is the text between the two delimiters, starting right after `---`.
      const parsed = parseYamlSource(file, text, split.matter, 3);
      frontmatter = parsed.source;
      diagnostics.push(...parsed.diagnostics);
    }
  }
  const point = location(text).toPoint(bodyOffset);
  const bodyStart = point ? { line: point.line, column: point.column } : { line: 1, column: 1 };
  // Earlier months are read for their milestone history only: their Markdown is not parsed (the
  // tree of an empty text, made without the parser, whose set-up alone costs 50 µs a call).
  let body: Root = {
    type: "root",
    children: [],
    position: { start: { line: 1, column: 1, offset: 0 }, end: { line: 1, column: 1, offset: 0 } },
  };
  if (options.body !== false) {
    const markdown = text.slice(bodyOffset);
    const depth = nestingDepth(markdown);
    const limit = options.nesting ?? 32;
    if (depth.depth > limit) {
      diagnostics.push(
        diagnostic(
          file,
          { line: bodyStart.line + depth.line - 1, column: 1 },
          "markdown-too-deep",
          `lists and quotes nest ${depth.depth} deep here, more than the ${limit} dmreport reads (limits.nesting in dmreport.yaml); the fragment is left out`,
        ),
      );
      return { diagnostics };
    }
    const marks = emphasisMarks(markdown);
    if (marks.line !== undefined) {
      diagnostics.push(
        diagnostic(
          file,
          { line: bodyStart.line + marks.line - 1, column: 1 },
          "markdown-too-deep",
          `the fragment has ${marks.marks} emphasis marks (\`*\`, \`_\`), more than the ${EMPHASIS_LIMIT} dmreport reads, from here on: the Markdown parser's time grows with the square of their number; write less emphasis, or put code in a code block; the fragment is left out`,
        ),
      );
      return { diagnostics };
    }
    body = options.trees ? options.trees.parse(markdown, bodyStart.line) : parseMarkdown(markdown, bodyStart.line);
  }
  return { fragment: { file, folderMonth, frontmatter, body, bodyStart, text, directives: directivesIn(body, text) }, diagnostics };
}
