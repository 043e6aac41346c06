/** Rules on the written text itself: ticket keys and trailing whitespace, each with a safe fix. */
import type { Root } from "mdast";
import { isScalar, visit as visitYaml } from "yaml";
import { location } from "vfile-location";
import { diagnostic, withSuggestions, type Diagnostic } from "../core/diagnostics.js";
import type { LinkRule } from "../core/model.js";
import type { FragmentSource } from "../load/fragment-source.js";
import type { YamlSource } from "../load/yaml-source.js";
import { bodyNodes } from "./body-nodes.js";

/**
 * Ticket keys written wrongly in a fragment's text: `DM 12779` (fixed to `DM-12779`), `DM-` with
 * no number, and a key whose prefix is not a ticket prefix but nearly one (`Dm-12779`,
 * `RCF-12`), with the prefix meant. Code is left alone, and so is whatever a link pattern of
 * dmreport.yaml matches (document handles such as `LDM-503`).
 */
export function checkTicketKeys(fragment: FragmentSource, prefixes: readonly string[], links: readonly LinkRule[] = []): Diagnostic[] {
  if (!prefixes.length) return [];
  const alternatives = prefixes.map((prefix) => prefix.replace(/[^A-Za-z0-9]/g, "")).join("|");
  const spaced = new RegExp(`\\b(${alternatives})(?: +|- +)(\\d+)\\b`, "g");
  const bare = new RegExp(`\\b(${alternatives})-(?![A-Za-z0-9]|\\s+\\d)`, "g");
  const keyLike = /\b([A-Za-z][A-Za-z0-9]*)-(\d+)\b/g;
  const diagnostics: Diagnostic[] = [];
  for (const { value, place, position } of textsOf(fragment)) {
    const matches = [
      ...[...value.matchAll(spaced)].map((match) => ({ match, kind: "spaced" as const })),
      ...[...value.matchAll(bare)].map((match) => ({ match, kind: "bare" as const })),
      ...[...value.matchAll(keyLike)].map((match) => ({ match, kind: "prefix" as const })),
    ].sort((a, b) => a.match.index! - b.match.index!);
    for (const { match, kind } of matches) {
      if (kind === "prefix") {
        const meant = nearPrefix(match[1]!, prefixes);
        if (!meant || links.some((link) => wholeMatch(link.pattern, match[0]))) continue;
        const offset = place(match[0]);
        const at = position(offset);
        const span = offset === undefined ? undefined : { start: at, end: position(offset + match[1]!.length) };
        diagnostics.push(
          withSuggestions(
            diagnostic(
              fragment.file,
              at,
              "ticket-prefix",
              `\`${match[1]}\` is not a ticket prefix of this project (${prefixes.join(", ")}): did you mean \`${meant}-${match[2]}\`?`,
            ),
            [meant],
            span,
          ),
        );
      } else if (kind === "spaced") {
        const offset = place(match[0]);
        const found = diagnostic(
          fragment.file,
          position(offset),
          "ticket-key",
          `ticket key \`${match[0]}\` is written with a space: write \`${match[1]}-${match[2]}\``,
        );
        if (offset !== undefined) found.fix = { start: offset, end: offset + match[0].length, text: `${match[1]}-${match[2]}` };
        diagnostics.push(found);
      } else {
        diagnostics.push(
          diagnostic(
            fragment.file,
            position(place(match[0])),
            "ticket-key",
            `ticket key \`${match[0]}\` has no number: write the whole key, such as \`${match[1]}-12779\``,
          ),
        );
      }
    }
  }
  return diagnostics;
}

/**
 * The ticket prefix `prefix` was meant to be, if any: the same letters in another case, or one
 * letter changed or two swapped in a prefix of three letters or more. A prefix of another length
 * is another name (`LDM` is not `DM`).
 */
function nearPrefix(prefix: string, prefixes: readonly string[]): string | undefined {
  if (prefixes.includes(prefix)) return undefined;
  const sameLetters = prefixes.find((known) => known.toLowerCase() === prefix.toLowerCase());
  if (sameLetters) return sameLetters;
  if (prefix.length < 3) return undefined;
  const lower = prefix.toLowerCase();
  return prefixes.find((known) => known.length === prefix.length && oneSlip(known.toLowerCase(), lower));
}

/** Two strings of the same length that differ by one letter, or by two neighbouring letters swapped. */
function oneSlip(a: string, b: string): boolean {
  const at = [...a].map((_, index) => index).filter((index) => a[index] !== b[index]);
  return at.length === 1 || (at.length === 2 && at[1] === at[0]! + 1 && a[at[0]!] === b[at[1]!] && a[at[1]!] === b[at[0]!]);
}

function wholeMatch(pattern: RegExp, text: string): boolean {
  const flags = pattern.flags.replace(/[gy]/g, "");
  const match = new RegExp(pattern.source, flags).exec(text);
  return match !== null && match[0] === text;
}

/**
 * The text nodes of a fragment's body, each with the means to find a piece of its text again in
 * the file: a node's value can differ from its source (escapes, spaces the parser drops), so a
 * piece that cannot be found is placed at the node.
 */
function textsOf(fragment: FragmentSource) {
  const locator = location(fragment.text);
  const bodyOffset = locator.toOffset(fragment.bodyStart) ?? 0;
  return bodyNodes(fragment.body as Root).texts.flatMap((node) => {
    const { start, end } = node.position ?? {};
    if (!start || !end || start.offset === undefined || end.offset === undefined) return [];
    // The parse was padded with blank lines so that lines match the file: undo that for offsets.
    const shift = bodyOffset - (fragment.bodyStart.line - 1);
    const to = end.offset + shift;
    let cursor = start.offset + shift;
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
    return [{ value: node.value, place, position }];
  });
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
      const found = diagnostic(
        file,
        { line: number, column: trailing.index + 1 },
        "trailing-whitespace",
        "spaces at the end of this line mean nothing: remove them",
      );
      found.fix = { start: offset + trailing.index, end: offset + line.length, text: "" };
      diagnostics.push(found);
    }
    offset += line.length + 1;
  });
  return diagnostics;
}

/** The lines of a Markdown body whose whitespace is content: code blocks. */
export function codeLines(body: Root): { fromLine: number; toLine: number }[] {
  return bodyNodes(body).code.flatMap((node) =>
    node.position ? [{ fromLine: node.position.start.line, toLine: node.position.end.line }] : [],
  );
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
