/** Lint reports in the formats tools read: stylish (people), json, github (workflow commands), sarif. */
import { VFile } from "vfile";
import { reporter } from "vfile-reporter";
import type { Diagnostic } from "../diagnostics.js";
import { RULES, type RuleInfo } from "../rules.js";
import { shownPath } from "./compact.js";

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

/** The report text for `format`. */
export function formatLint(format: LintFormat, diagnostics: readonly ShownDiagnostic[], options: { color: boolean; version: string }): string {
  switch (format) {
    case "stylish":
      return stylish(diagnostics, options.color);
    case "json":
      return `${JSON.stringify(json(diagnostics), null, 2)}\n`;
    case "github":
      return diagnostics.map(github).join("");
    case "sarif":
      return `${JSON.stringify(sarif(diagnostics, options.version), null, 2)}\n`;
  }
}

function stylish(diagnostics: readonly ShownDiagnostic[], color: boolean): string {
  if (!diagnostics.length) return "";
  const files = new Map<string, VFile>();
  for (const found of diagnostics) {
    const file = files.get(found.path) ?? new VFile({ path: found.path });
    files.set(found.path, file);
    const message = file.message(found.message, { place: { line: found.line, column: found.column }, ruleId: found.rule });
    message.fatal = found.severity === "error";
  }
  return `${reporter([...files.values()], { color })}\n`;
}

/**
 * The JSON report, version 1: `{ version, summary: { errors, warnings, fixable }, diagnostics:
 * [{ file, line, column, severity, rule, message, fixable }] }`, files relative to the working folder.
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
    })),
  };
}

/** A GitHub Actions workflow command, so that the problem shows on the pull request's line. */
function github(found: ShownDiagnostic): string {
  const property = (value: string) => escapeData(value).replace(/:/g, "%3A").replace(/,/g, "%2C");
  return `::${found.severity} file=${property(found.path)},line=${found.line},col=${found.column},title=${property(`dmreport ${found.rule}`)}::${escapeData(found.message)}\n`;
}

function escapeData(value: string): string {
  return value.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
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
            rules: ids.map((id) => ({
              id,
              shortDescription: { text: (RULES as Record<string, RuleInfo>)[id]!.description },
              defaultConfiguration: { level: (RULES as Record<string, RuleInfo>)[id]!.severity },
            })),
          },
        },
        results: diagnostics.map((found) => ({
          ruleId: found.rule,
          ...(ids.includes(found.rule) ? { ruleIndex: ids.indexOf(found.rule) } : {}),
          level: found.severity,
          message: { text: found.message },
          locations: [
            { physicalLocation: { artifactLocation: { uri: found.path.split("\\").join("/") }, region: { startLine: found.line, startColumn: found.column } } },
          ],
        })),
      },
    ],
  };
}
