/** Parse YAML text into a document that remembers where every value stands in its file. */
import { Composer, isMap, isScalar, isSeq, Parser, YAMLParseError, type CST, type Document, type Node } from "yaml";
import { location } from "vfile-location";
import { diagnostic, type Diagnostic, type Position, type Span } from "../core/diagnostics.js";
import type { YamlSource } from "../core/model.js";

export type { YamlSource } from "../core/model.js";

/** A path into a YAML value: map keys and sequence indexes. */
export type ValuePath = readonly (string | number)[];

/**
 * The syntax tokens of YAML texts parsed before, kept between runs (the archive keeps those of the
 * source's own files in the user's cache): lexing is most of a parse, and a register grows with
 * the years. `lex` gives the tokens of a text none are kept for.
 */
export interface YamlTokens {
  tokens(text: string, lex: () => CST.Token[]): CST.Token[];
}

/**
 * Parse `yamlText`, which starts at `offsetInFile` of the file whose whole text is `fileText`.
 * YAML 1.2 core schema: `2018-01-31` stays the string the author wrote. With `kept`, its tokens
 * come from there when it has them.
 */
export function parseYamlSource(
  file: string,
  fileText: string,
  yamlText: string = fileText,
  offsetInFile = 0,
  kept?: YamlTokens,
): { source: YamlSource; diagnostics: Diagnostic[] } {
  let doc: Document.Parsed | undefined;
  try {
    doc =
      kept &&
      composed(
        yamlText,
        kept.tokens(yamlText, () => [...new Parser().parse(yamlText)]),
      );
  } catch {
    // Tokens that compose no document are not used: the text is lexed anew.
  }
  doc ??= composed(yamlText, new Parser().parse(yamlText));
  const place = location(fileText);
  const positionAt = (offset: number): Position => {
    const point = place.toPoint(Math.min(offset + offsetInFile, fileText.length));
    return point ? { line: point.line, column: point.column } : { line: 1, column: 1 };
  };
  const source: YamlSource = { file, text: fileText, offset: offsetInFile, doc, positionAt };
  const diagnostics = [...doc.errors, ...doc.warnings].map((error) =>
    diagnostic(file, positionAt(error.pos[0]), "yaml-syntax", yamlMessage(error.code, error.message)),
  );
  return { source, diagnostics };
}

/**
 * How deep collections may nest in a YAML file: far deeper than any source needs (a WBS tree ten
 * levels down nests twenty), far shallower than the library's composer can go before the stack
 * runs out, which it does at a depth that varies with the thread and how warm its code is.
 */
export const YAML_NESTING_LIMIT = 64;

/**
 * The document the tokens of `text` make, as the library's parseDocument composes it (its
 * lexing apart): the first document, and an error for a second one. Tokens that nest deeper than
 * `YAML_NESTING_LIMIT` are not composed: the document is empty, with an error where they first go too deep.
 */
function composed(text: string, tokens: Iterable<CST.Token>): Document.Parsed {
  const all = [...tokens];
  const tooDeep = tooDeepAt(all);
  let doc: Document.Parsed | undefined;
  for (const next of new Composer({ schema: "core", prettyErrors: false, uniqueKeys: true }).compose(
    tooDeep === undefined ? all : [],
    true,
    text.length,
  )) {
    if (!doc) doc = next;
    else {
      doc.errors.push(new YAMLParseError([next.range[0], next.range[1]], "MULTIPLE_DOCS", "Source contains multiple documents"));
      break;
    }
  }
  // Not composed: the document is empty, with this error, so that nothing is judged of it but this.
  if (tooDeep !== undefined)
    doc!.errors.push(
      new YAMLParseError(
        [tooDeep, tooDeep + 1],
        "RESOURCE_EXHAUSTION",
        `this nests collections more than ${YAML_NESTING_LIMIT} deep, and dmreport reads no deeper (flatten it)`,
      ),
    );
  return doc!;
}

/** Where the tokens first nest a collection deeper than `YAML_NESTING_LIMIT` (walked without recursion), if they do. */
function tooDeepAt(tokens: readonly CST.Token[]): number | undefined {
  let first: number | undefined;
  const stack: [CST.Token, number][] = tokens.map((token) => [token, 0]);
  for (let next = stack.pop(); next; next = stack.pop()) {
    const [token, depth] = next;
    if (token.type === "document") {
      if (token.value) stack.push([token.value, depth]);
    } else if (token.type === "block-map" || token.type === "block-seq" || token.type === "flow-collection") {
      if (depth >= YAML_NESTING_LIMIT) {
        first = Math.min(first ?? token.offset, token.offset);
        continue;
      }
      for (const item of token.items) {
        if ("key" in item && item.key) stack.push([item.key, depth + 1]);
        if (item.value) stack.push([item.value, depth + 1]);
      }
    }
  }
  return first;
}

/** The parser's message without its own position suffix, with a hint for common mistakes. */
function yamlMessage(code: string, message: string): string {
  const text = message
    .split("\n")[0]!
    .replace(/ at line \d+, column \d+:?$/, "")
    .replace(/\.$/, "");
  if (code === "MULTIPLE_DOCS") return "YAML syntax error: this file holds more than one YAML document (a `---` line inside it); keep one";
  const hints: Record<string, string> = {
    DUPLICATE_KEY: "remove one of the two entries",
    TAB_AS_INDENT: "indent with spaces, not tabs",
    BAD_INDENT: "check the indentation of this line against the lines above",
    BLOCK_AS_IMPLICIT_KEY: "a key must fit on one line; check for a missing `:` or a stray indentation",
    MULTILINE_IMPLICIT_KEY: "a key must fit on one line; check for a missing `:` or a stray indentation",
  };
  // A missing character is usually a quote or bracket left open, but the parser says which.
  const hint =
    hints[code] ??
    (code === "MISSING_CHAR" && /quote|[\]}]/.test(text)
      ? "a quote or bracket is not closed"
      : /without - indicator/.test(text)
        ? "check the indentation of this line against the lines above"
        : undefined);
  return `YAML syntax error: ${text}${hint ? ` (${hint})` : ""}`;
}

/** The node at `path`, or undefined when the path does not exist. */
export function nodeAt(source: YamlSource, path: ValuePath): Node | undefined {
  let node: unknown = source.doc.contents;
  for (const segment of path) {
    if (isMap(node)) {
      const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === String(segment));
      if (!pair) return undefined;
      node = pair.value;
    } else if (isSeq(node)) {
      node = node.items[Number(segment)];
    } else {
      return undefined;
    }
  }
  return (node ?? undefined) as Node | undefined;
}

/**
 * Where the value at `path` stands; with `key`, where its key stands. A path that does not exist
 * is placed at the deepest value that does, so a missing field points at the entry that lacks it.
 */
export function locate(source: YamlSource, path: ValuePath, part: "value" | "key" = "value"): Position {
  let node: unknown = source.doc.contents;
  let offset = rangeStart(node) ?? 0;
  for (const [index, segment] of path.entries()) {
    const last = index === path.length - 1;
    if (isMap(node)) {
      const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === String(segment));
      if (!pair) break;
      if (last && part === "key") return source.positionAt(rangeStart(pair.key) ?? offset);
      node = pair.value;
      // A key with no value (`due:`) has no range of its own: point at the key.
      offset = rangeStart(node) ?? rangeStart(pair.key) ?? offset;
    } else if (isSeq(node)) {
      node = node.items[Number(segment)];
      if (node === undefined) break;
      offset = rangeStart(node) ?? offset;
    } else {
      break;
    }
  }
  return source.positionAt(offset);
}

/**
 * The text of the value (or key) at `path`, without its quotes: what a suggested value replaces.
 * Undefined when the path does not exist or its value is not a single scalar.
 */
export function spanAt(source: YamlSource, path: ValuePath, part: "value" | "key" = "value"): Span | undefined {
  let node: unknown = source.doc.contents;
  for (const [index, segment] of path.entries()) {
    const last = index === path.length - 1;
    if (isMap(node)) {
      const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === String(segment));
      if (!pair) return undefined;
      node = last && part === "key" ? pair.key : pair.value;
    } else if (isSeq(node)) {
      node = node.items[Number(segment)];
    } else {
      return undefined;
    }
  }
  if (!isScalar(node) || !node.range) return undefined;
  const quoted = node.type === "QUOTE_DOUBLE" || node.type === "QUOTE_SINGLE" ? 1 : 0;
  const [start, end] = [node.range[0] + quoted, node.range[1] - quoted];
  return end > start ? { start: source.positionAt(start), end: source.positionAt(end) } : undefined;
}

function rangeStart(node: unknown): number | undefined {
  const range = (node as { range?: [number, number, number] } | null)?.range;
  return range ? range[0] : undefined;
}

/** Aliases a document may expand before it is refused as a resource exhaustion ("billion laughs"). */
const MAX_ALIASES = 1000;

/**
 * The plain value of a YAML source, or a diagnostic when it cannot be one: aliases that expand
 * without end (a "billion laughs"), or an alias to a value that contains it.
 */
export function plainValue(source: YamlSource): { value?: unknown; diagnostics: Diagnostic[] } {
  let value: unknown;
  try {
    value = source.doc.toJS({ maxAliasCount: MAX_ALIASES });
  } catch (error) {
    const text = (error as Error).message;
    const unresolved = /^Unresolved alias.*: (.+)$/.exec(text);
    const message = unresolved
      ? `the alias \`*${unresolved[1]}\` names no anchor: set \`&${unresolved[1]}\` on a value before it, or write the value out`
      : /alias/i.test(text)
        ? "this YAML expands too many aliases (`*name`); write the values out, or use fewer aliases"
        : `this YAML cannot be read: ${text}`;
    return { diagnostics: [diagnostic(source.file, locate(source, []), "yaml-aliases", message)] };
  }
  if (cyclic(value)) {
    return {
      diagnostics: [
        diagnostic(
          source.file,
          locate(source, []),
          "yaml-aliases",
          "an alias (`*name`) refers to a value that contains it, which never ends; write the value out",
        ),
      ],
    };
  }
  return { value, diagnostics: [] };
}

function cyclic(value: unknown, ancestors = new Set<object>()): boolean {
  if (value === null || typeof value !== "object") return false;
  if (ancestors.has(value)) return true;
  ancestors.add(value);
  const found = Object.values(value).some((child) => cyclic(child, ancestors));
  ancestors.delete(value);
  return found;
}
