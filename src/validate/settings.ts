/** Apply a project's rule settings and inline disable comments to the diagnostics found. */
import type { Diagnostic } from "../core/diagnostics.js";
import type { Directive } from "../load/fragment-source.js";
import { RULES, type RuleInfo } from "../core/rules.js";

export type RuleSetting = "off" | "warning" | "error";

/**
 * Diagnostics after `rules:` of dmreport.yaml (off, or another severity) and the files' own
 * `dmreport-disable` comments. Structural rules are never changed: without them the source
 * cannot be read.
 */
export function applyRuleSettings(
  diagnostics: readonly Diagnostic[],
  settings: Readonly<Record<string, RuleSetting>>,
  directives: ReadonlyMap<string, readonly Directive[]>,
): Diagnostic[] {
  return diagnostics.flatMap((found) => {
    const info = (RULES as Record<string, RuleInfo>)[found.rule];
    if (!info?.configurable) return [found];
    if (disabledAt(directives.get(found.file) ?? [], found.rule, found.line)) return [];
    const setting = settings[found.rule];
    if (setting === "off") return [];
    return [setting ? { ...found, severity: setting } : found];
  });
}

/** Whether the file's directives turn `rule` off at `line`. */
function disabledAt(directives: readonly Directive[], rule: string, line: number): boolean {
  const names = (directive: Directive) => directive.rules.length === 0 || directive.rules.includes(rule);
  if (directives.some((directive) => directive.kind === "disable-file" && names(directive))) return true;
  if (directives.some((directive) => directive.kind === "disable-next-line" && directive.line + 1 === line && names(directive)))
    return true;
  let disabled = false;
  for (const directive of directives) {
    if (directive.line > line) break;
    if (directive.kind === "disable" && names(directive)) disabled = true;
    if (directive.kind === "enable" && names(directive)) disabled = false;
  }
  return disabled;
}
