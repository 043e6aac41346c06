/** Rules on the written text itself: ticket keys and trailing whitespace, each with a safe fix. */
import type { Root } from "mdast";
import { isScalar, visit as visitYaml } from "yaml";
import { visit } from "unist-util-visit";
import { location } from "vfile-location";
import { diagnostic, type Diagnostic } from "../diagnostics.js";
import type { FragmentSource, YamlSource } from "../load/index.js";

/**
 * Ticket keys written wrongly in a fragment's text: `DM 12779` (fixed to `DM-12779`) and
 * `DM-` with no number. Code is left alone.
 */
export function checkTicketKeys(fragment: FragmentSource, prefixes: readonly string[]): Diagnostic[] {
  if (!prefixes.length) return [];
  const alternatives = prefixes.map((prefix) => prefix.replace(/[^A-Za-z0-9]/g, "")).join("|");
  const spaced = new RegExp(`\\b(${alternatives})(?: +|- +)(\\d+)\\b`, "g");
  const bare = new RegExp(`\\b(${alternatives})-(?![A-Za-z0-9]|\\s+\\d)`, "g");
  const place = location(fragment.text);
  const bodyOffset = place.toOffset(fragment.bodyStart) ?? 0;
  const diagnostics: Diagnostic[] = [];
  visit(fragment.body as Root, "text", (node) => {
    const start = node.position?.start;
    if (!start || start.offset === undefined) return;
    // The parse was padded with blank lines so that lines match the file: undo that for offsets.
    const offset = start.offset - (fragment.bodyStart.line - 1) + bodyOffset;
    // Positions inside the text are exact only when the source says exactly what the text says.
    const exact = fragment.text.slice(offset, offset + node.value.length) === node.value;
    const at = (index: number) => {
      const point = exact ? place.toPoint(offset + index) : undefined;
      return point ? { line: point.line, column: point.column } : { line: start.line, column: start.column };
    };
    for (const match of node.value.matchAll(spaced)) {
      const found = diagnostic(fragment.file, at(match.index!), "ticket-key",
        `ticket key \`${match[0]}\` is written with a space: write \`${match[1]}-${match[2]}\``);
      if (exact) found.fix = { start: offset + match.index!, end: offset + match.index! + match[0].length, text: `${match[1]}-${match[2]}` };
      diagnostics.push(found);
    }
    for (const match of node.value.matchAll(bare)) {
      diagnostics.push(diagnostic(fragment.file, at(match.index!), "ticket-key",
        `ticket key \`${match[0]}\` has no number: write the whole key, such as \`${match[1]}-12779\``));
    }
  });
  return diagnostics;
}

/**
 * Spaces and tabs at the end of lines, where they mean nothing: not a Markdown hard line break
 * (two spaces before a line that goes on), not inside code, not inside a YAML block scalar.
 */
export function checkTrailingWhitespace(
  file: string,
  text: string,
  keep: { fromLine: number; toLine: number }[],
  markdownFromLine = Number.POSITIVE_INFINITY,
): Diagnostic[] {
  const lines = text.split("\n");
  const diagnostics: Diagnostic[] = [];
  let offset = 0;
  lines.forEach((line, index) => {
    const number = index + 1;
    const trailing = /[ \t]+$/.exec(line);
    const kept = keep.some((range) => number >= range.fromLine && number <= range.toLine);
    const next = lines[index + 1];
    const hardBreak = number >= markdownFromLine && / {2,}$/.test(line) && line.trim() !== "" && next !== undefined && next.trim() !== "";
    if (trailing && !kept && !hardBreak) {
      const found = diagnostic(file, { line: number, column: trailing.index + 1 }, "trailing-whitespace",
        "spaces at the end of this line mean nothing: remove them");
      found.fix = { start: offset + trailing.index, end: offset + line.length, text: "" };
      diagnostics.push(found);
    }
    offset += line.length + 1;
  });
  return diagnostics;
}

/** The lines of a Markdown body whose whitespace is content: code blocks. */
export function codeLines(body: Root): { fromLine: number; toLine: number }[] {
  const ranges: { fromLine: number; toLine: number }[] = [];
  visit(body, "code", (node) => {
    if (node.position) ranges.push({ fromLine: node.position.start.line, toLine: node.position.end.line });
  });
  return ranges;
}

/** The lines of a YAML text whose whitespace is content: block scalars (`note: |`). */
export function blockScalarLines(source: YamlSource): { fromLine: number; toLine: number }[] {
  const ranges: { fromLine: number; toLine: number }[] = [];
  visitYaml(source.doc, {
    Scalar(_key, node) {
      if (isScalar(node) && (node.type === "BLOCK_LITERAL" || node.type === "BLOCK_FOLDED") && node.range) {
        ranges.push({ fromLine: source.positionAt(node.range[0]).line, toLine: source.positionAt(node.range[2]).line });
      }
    },
  });
  return ranges;
}
