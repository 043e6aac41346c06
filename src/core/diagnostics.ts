/** Diagnostics: problems found in a report source, as plain data with a position and a rule id. */
import { defaultSeverity, type Severity } from "./rules.js";
import type { Position } from "./model.js";

export type { Position } from "./model.js";

export interface Diagnostic {
  /** Path of the file, relative to the source root where possible. */
  file: string;
  line: number;
  column: number;
  severity: Severity;
  /** Stable id of the rule that found the problem, e.g. `wbs-unknown`. */
  rule: string;
  message: string;
  /** A safe mechanical fix, applied by `lint --fix`. */
  fix?: TextEdit;
  /** Known values near an unknown one, nearest first: offered, never applied by themselves. */
  suggestions?: string[];
  /** The text each suggestion replaces: from `start` up to, not including, `end`. */
  span?: Span;
}

/** A stretch of a file, from `start` up to, not including, `end`. */
export interface Span {
  start: Position;
  end: Position;
}

/** Replace the text between two offsets of a file (its text as read: LF line endings, no BOM). */
export interface TextEdit {
  start: number;
  end: number;
  text: string;
}

/** Make a diagnostic at a position of a file, with its rule's default severity unless told. */
export function diagnostic(
  file: string,
  position: Position,
  rule: string,
  message: string,
  severity: Severity = defaultSeverity(rule),
): Diagnostic {
  return { file, line: position.line, column: position.column, severity, rule, message };
}

/** `found` offering `suggestions` for the text at `span` (nothing changes when there are none). */
export function withSuggestions(found: Diagnostic, suggestions: readonly string[], span: Span | undefined): Diagnostic {
  if (!suggestions.length) return found;
  return { ...found, suggestions: [...suggestions], ...(span && { span }) };
}

/** True when any diagnostic is an error. */
export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === "error");
}

/**
 * Diagnostics in a stable order (by file, then line, then column, then rule), each once: a finding
 * that several months' builds make of one source file is one finding.
 */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  const order = (a: Diagnostic, b: Diagnostic) =>
    compare(a.file, b.file) ||
    a.line - b.line ||
    a.column - b.column ||
    severityRank(a) - severityRank(b) ||
    compare(a.rule, b.rule) ||
    compare(a.message, b.message);
  return [...diagnostics].sort(order).filter((found, index, sorted) => index === 0 || order(sorted[index - 1]!, found) !== 0);
}

/** At one place, errors come before warnings. */
function severityRank(found: Diagnostic): number {
  return found.severity === "error" ? 0 : 1;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
