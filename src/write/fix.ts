/** Apply diagnostics' safe fixes to source files, keeping each file's line endings and BOM. */
import { readFileSync, statSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import type { Diagnostic, TextEdit } from "../diagnostics.js";
import { writeOutputs } from "./index.js";

/**
 * Apply the fixes of `diagnostics` (paths relative to `root`) and return the files changed. Edits
 * are offsets in the text as read (LF line endings, no BOM); overlapping edits after the first are
 * left for the next run.
 */
export function applyFixes(root: string, diagnostics: readonly Diagnostic[]): string[] {
  const byFile = new Map<string, TextEdit[]>();
  for (const found of diagnostics) if (found.fix) byFile.set(found.file, [...(byFile.get(found.file) ?? []), found.fix]);
  const changed: string[] = [];
  for (const [file, edits] of [...byFile].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const path = join(root, file);
    const original = readFileSync(path, "utf8");
    const bom = original.startsWith("\uFEFF");
    const crlf = original.includes("\r\n");
    let text = original.replace(/^\uFEFF/, "").replace(/\r\n?/g, "\n");
    let limit = Number.POSITIVE_INFINITY;
    for (const edit of [...edits].sort((a, b) => b.start - a.start || b.end - a.end)) {
      if (edit.end > limit) continue;
      text = text.slice(0, edit.start) + edit.text + text.slice(edit.end);
      limit = edit.start;
    }
    const content = (bom ? "\uFEFF" : "") + (crlf ? text.replace(/\n/g, "\r\n") : text);
    if (content === original) continue;
    writeOutputs(dirname(path), [{ name: basename(path), content, mode: statSync(path).mode }]);
    changed.push(file);
  }
  return changed;
}
