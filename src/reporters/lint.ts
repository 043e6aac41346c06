/** Lint reports in the formats tools read: stylish (people), json, github (workflow commands), gitlab (Code Quality), sarif. */
import { createHash } from "node:crypto";
import { styleText } from "node:util";
import wrapAnsi from "wrap-ansi";
import type { Diagnostic, Span } from "../core/diagnostics.js";
import { RULES, type RuleInfo } from "../core/rules.js";
import { plural, shownPath } from "./compact.js";
import { printable, printableJson } from "./printable.js";
import { INFORMATION_URI, ruleHelpUri, rulePage } from "../core/rule-docs.js";

import type { LintFormat } from "./lint-formats.js";

/** A diagnostic with its file as the user sees it. */
export interface ShownDiagnostic extends Diagnostic {
  path: string;
}

/** Diagnostics of several sources with paths relative to `cwd`, in a stable order. */
export function shownDiagnostics(sources: readonly { root: string; diagnostics: readonly Diagnostic[] }[], cwd: string): ShownDiagnostic[] {
  return sources
    .flatMap((source) => source.diagnostics.map((found) => ({ ...found, path: shownPath(found.file, { root: source.root, cwd }) })))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : a.line - b.line || a.column - b.column));
}

/** A path given to lint that names no file of a report source, as the JSON and GitHub formats carry it. */
export interface UnmatchedShown {
  path: string;
  reason: string;
}

/** The report text for `format`; `unmatched` paths are carried where the format has a place for them (json, github). */
export function formatLint(
  format: LintFormat,
  diagnostics: readonly ShownDiagnostic[],
  options: { color: boolean; version: string; unmatched?: readonly UnmatchedShown[]; columns?: number },
): string {
  const unmatched = options.unmatched ?? [];
  switch (format) {
    case "stylish":
      return stylish(diagnostics, options.color, options.columns ?? 80);
    case "json":
      return `${printableJson(JSON.stringify({ ...json(diagnostics), ...(unmatched.length && { unmatched }) }, null, 2))}\n`;
    case "github":
      return [
        ...diagnostics.map(github),
        ...unmatched.map((path) => `::error title=dmreport lint::${escapeData(printable(path.reason))}\n`),
      ].join("");
    case "gitlab":
      return `${printableJson(JSON.stringify(gitlab(diagnostics), null, 2))}\n`;
    case "sarif":
      return `${printableJson(JSON.stringify(sarif(diagnostics, options.version), null, 2))}\n`;
  }
}

/**
 * For people at a terminal `columns` wide, as ESLint's stylish: each file's path, then a line per
 * problem (position, severity, message, rule id after it), the message wrapped under itself so
 * that no line is wider than the terminal; then the count.
 */
function stylish(diagnostics: readonly ShownDiagnostic[], color: boolean, columns: number): string {
  if (!diagnostics.length) return "";
  const paint = (style: Parameters<typeof styleText>[0], text: string) => (color ? styleText(style, text) : text);
  const byFile = new Map<string, ShownDiagnostic[]>();
  for (const found of diagnostics) byFile.set(printable(found.path), [...(byFile.get(printable(found.path)) ?? []), found]);
  const blocks = [...byFile].map(([path, found]) => {
    const positions = found.map(({ line, column }) => `${line}:${column}`);
    const place = Math.max(...positions.map((position) => position.length));
    const severity = found.some((each) => each.severity === "warning") ? "warning".length : "error".length;
    const indent = 2 + place + 2 + severity + 2;
    // Too narrow a terminal for columns: the message goes under its position, indented a little.
    const beside = columns - indent >= MIN_MESSAGE_WIDTH;
    const lines = found.map((each, index) => {
      const rule = printable(each.rule);
      const text = `${printable(each.message)}  ${rule}`;
      const wrapped = wrapAnsi(text, beside ? columns - indent : Math.max(columns - 4, MIN_MESSAGE_WIDTH), { trim: true }).split("\n");
      // Words are never broken (a path or a link stays whole, to be copied; the terminal wraps it if it must).
      // The rule id ends the last line: dimmed there.
      const last = wrapped.length - 1;
      if (wrapped[last]!.endsWith(rule)) wrapped[last] = `${wrapped[last]!.slice(0, -rule.length)}${paint("dim", rule)}`;
      const head = `  ${paint("dim", positions[index]!.padEnd(place))}  ${each.severity === "error" ? paint("red", "error".padEnd(severity)) : paint("yellow", "warning".padEnd(severity))}`;
      return beside
        ? [`${head}  ${wrapped[0]}`, ...wrapped.slice(1).map((line) => `${" ".repeat(indent)}${line}`)].join("\n")
        : [head.trimEnd(), ...wrapped.map((line) => `    ${line}`)].join("\n");
    });
    return `${paint("underline", path)}\n${lines.join("\n")}\n`;
  });
  const errors = diagnostics.filter((found) => found.severity === "error").length;
  const warnings = diagnostics.length - errors;
  const counts = [
    errors && paint("red", `✖ ${plural(errors, "error")}`),
    warnings && paint("yellow", `⚠ ${plural(warnings, "warning")}`),
  ].filter(Boolean);
  const summary = counts.length > 1 ? `${plural(diagnostics.length, "problem")} (${counts.join(", ")})` : counts[0];
  return `${blocks.join("\n")}\n${summary}\n`;
}

/** The narrowest column a message is wrapped in. */
const MIN_MESSAGE_WIDTH = 24;

/**
 * The JSON report, version 1: `{ version, summary: { errors, warnings, fixable }, diagnostics:
 * [{ file, line, column, severity, rule, message, fixable, help, suggestions?, replaces? }] }`, files relative to the
 * working folder. `replaces` (`{ line, column, endLine, endColumn }`, the end not included) is the
 * text each suggestion would take the place of; `help` is the rule's page.
 */
export function json(diagnostics: readonly ShownDiagnostic[]) {
  return {
    version: 1,
    summary: {
      errors: diagnostics.filter((found) => found.severity === "error").length,
      warnings: diagnostics.filter((found) => found.severity === "warning").length,
      fixable: diagnostics.filter((found) => found.fix).length,
    },
    diagnostics: diagnostics.map((found) => ({
      file: found.path,
      line: found.line,
      column: found.column,
      severity: found.severity,
      rule: found.rule,
      message: found.message,
      fixable: Boolean(found.fix),
      help: ruleHelpUri(found.rule),
      ...(found.suggestions && { suggestions: found.suggestions }),
      ...(found.suggestions && found.span && { replaces: spanFields(found.span) }),
    })),
  };
}

function spanFields(span: Span) {
  return { line: span.start.line, column: span.start.column, endLine: span.end.line, endColumn: span.end.column };
}

/** A GitHub Actions workflow command, so that the problem shows on the pull request's line. */
function github(found: ShownDiagnostic): string {
  const property = (value: string) => escapeData(value).replace(/:/g, "%3A").replace(/,/g, "%2C");
  // A stretch on one line is underlined as such; GitHub ignores columns across lines.
  const end =
    found.span && found.span.start.line === found.line && found.span.end.line === found.line ? `,endColumn=${found.span.end.column}` : "";
  return `::${found.severity} file=${property(printable(found.path))},line=${found.line},col=${found.column}${end},title=${property(`dmreport ${printable(found.rule)}`)}::${escapeData(printable(found.message))}\n`;
}

/** A workflow command's data, escaped as GitHub reads it: a message from input cannot end the command or start another. */
export function escapeData(value: string): string {
  return value.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

/**
 * A GitLab Code Quality report (`artifacts: reports: codequality`), so that findings show in the
 * merge request. The fingerprint is the rule, file and message, not the line: the same problem
 * moved to another line keeps it; the same problem twice in a file is told apart by its order.
 */
export function gitlab(diagnostics: readonly ShownDiagnostic[]) {
  const seen = new Map<string, number>();
  return diagnostics.map((found) => {
    const path = found.path.split("\\").join("/");
    const key = `${found.rule}\0${path}\0${found.message}`;
    const occurrence = seen.get(key) ?? 0;
    seen.set(key, occurrence + 1);
    return {
      description: found.message,
      check_name: found.rule,
      fingerprint: createHash("sha256").update(`${key}\0${occurrence}`).digest("hex").slice(0, 32),
      severity: found.severity === "error" ? "major" : "minor",
      location: { path, lines: { begin: found.line } },
    };
  });
}

/** A rule's description as a sentence, as SARIF's text fields are meant to be. */
function sentence(text: string): string {
  return `${text[0]!.toUpperCase()}${text.slice(1)}.`;
}

function sarifRegion(span: Span) {
  return { startLine: span.start.line, startColumn: span.start.column, endLine: span.end.line, endColumn: span.end.column };
}

/** SARIF 2.1.0, for code scanning dashboards. */
function sarif(diagnostics: readonly ShownDiagnostic[], version: string) {
  const ids = Object.keys(RULES);
  return {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "dmreport",
            version,
            informationUri: INFORMATION_URI,
            rules: ids.map((id) => {
              const page = rulePage(id);
              return {
                id,
                shortDescription: { text: sentence((RULES as Record<string, RuleInfo>)[id]!.description) },
                helpUri: ruleHelpUri(id),
                // Code scanning shows the rule's page beside each result.
                ...(page && {
                  help: {
                    text: `${sentence((RULES as Record<string, RuleInfo>)[id]!.description)} See ${ruleHelpUri(id)}`,
                    markdown: page,
                  },
                }),
                defaultConfiguration: { level: (RULES as Record<string, RuleInfo>)[id]!.severity },
              };
            }),
          },
        },
        results: diagnostics.map((found) => {
          const uri = found.path.split("\\").join("/");
          const region = found.span ? sarifRegion(found.span) : { startLine: found.line, startColumn: found.column };
          return {
            ruleId: found.rule,
            ...(ids.includes(found.rule) ? { ruleIndex: ids.indexOf(found.rule) } : {}),
            level: found.severity,
            message: { text: found.message },
            locations: [{ physicalLocation: { artifactLocation: { uri }, region } }],
            // Suggestions are offered as fixes a person applies: one per nearest value.
            ...(found.suggestions?.length &&
              found.span && {
                fixes: found.suggestions.map((suggestion) => ({
                  description: { text: `Replace with \`${suggestion}\`` },
                  artifactChanges: [
                    {
                      artifactLocation: { uri },
                      replacements: [{ deletedRegion: sarifRegion(found.span!), insertedContent: { text: suggestion } }],
                    },
                  ],
                })),
              }),
          };
        }),
      },
    ],
  };
}
