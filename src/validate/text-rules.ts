/** Rules on the written text itself: ticket keys and trailing whitespace, each with a safe fix. */
import type { Root } from "mdast";
import { isScalar, visit as visitYaml } from "yaml";
import { location } from "vfile-location";
import { diagnostic, type Diagnostic } from "../diagnostics.js";
import type { FragmentSource, YamlSource } from "../load/index.js";
import { bodyNodes } from "./body-nodes.js";

/**
 * Ticket keys written wrongly in a fragment's text: `DM 12779` (fixed to `DM-12779`) and
 * `DM-` with no number. Code is left alone.
 */
export function checkTicketKeys(fragment: FragmentSource, prefixes: readonly string[]): Diagnostic[] {
  if (!prefixes.length) return [];
  const alternatives = prefixes.map((prefix) => prefix.replace(/[^A-Za-z0-9]/g, "")).join("|");
  const spaced = new RegExp(`\\b(${alternatives})(?: +|- +)(\\d+)\\b`, "g");
  const bare = new RegExp(`\\b(${alternatives})-(?![A-Za-z0-9]|\\s+\\d)`, "g");
  const locator = location(fragment.text);
  const bodyOffset = locator.toOffset(fragment.bodyStart) ?? 0;
  const diagnostics: Diagnostic[] = [];
  for (const node of bodyNodes(fragment.body as Root).texts) {
    const { start, end } = node.position ?? {};
    if (!start || !end || start.offset === undefined || end.offset === undefined) continue;
    // The parse was padded with blank lines so that lines match the file: undo that for offsets.
    const shift = bodyOffset - (fragment.bodyStart.line - 1);
    const from = start.offset + shift;
    const to = end.offset + shift;
    // A text node's value can differ from its source (escapes, spaces the parser drops), so each
    // match is found again in the source; one that cannot be is reported at the node, unfixed.
    let cursor = from;
    const place = (found: string) => {
      const index = fragment.text.indexOf(found, cursor);
      if (index < 0 || index + found.length > to) return undefined;
      cursor = index + found.length;
      return index;
    };
    const position = (offset: number | undefined) => {
      const point = offset === undefined ? undefined : locator.toPoint(offset);
      return point ? { line: point.line, column: point.column } : { line: start.line, column: start.column };
    };
    const matches = [
      ...[...node.value.matchAll(spaced)].map((match) => ({ match, spaced: true })),
      ...[...node.value.matchAll(bare)].map((match) => ({ match, spaced: false })),
    ].sort((a, b) => a.match.index! - b.match.index!);
    for (const { match, spaced: withSpace } of matches) {
      const offset = place(match[0]);
      if (withSpace) {
        const found = diagnostic(fragment.file, position(offset), "ticket-key",
          `ticket key \`${match[0]}\` is written with a space: write \`${match[1]}-${match[2]}\``);
        if (offset !== undefined) found.fix = { start: offset, end: offset + match[0].length, text: `${match[1]}-${match[2]}` };
        diagnostics.push(found);
      } else {
        diagnostics.push(diagnostic(fragment.file, position(offset), "ticket-key",
          `ticket key \`${match[0]}\` has no number: write the whole key, such as \`${match[1]}-12779\``));
      }
    }
  }
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
  return bodyNodes(body).code.flatMap((node) => (node.position ? [{ fromLine: node.position.start.line, toLine: node.position.end.line }] : []));
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
