/** Apply diagnostics' safe fixes to source files through the source's door, changing only the bytes each fix replaces. */
import type { Diagnostic, TextEdit } from "../core/diagnostics.js";
import { SourceFiles } from "../load/source-files.js";
import { writeSourceFile } from "./source.js";

/** Larger than any file lint reads (its own limit is set in dmreport.yaml and was met already). */
const MAX_FIXED_BYTES = 64 * 1024 * 1024;

/**
 * Apply the fixes of `diagnostics` (paths relative to `root`) and return the files changed. Edits
 * are offsets in the text as read (LF line endings, no BOM); they are mapped back onto the file's
 * own bytes, so every line a fix does not touch keeps its bytes, its line ending included.
 * Overlapping edits after the first are left for the next run. A fragment that is a link to a
 * file inside the source is fixed where it points, and stays a link.
 */
export function applyFixes(root: string, diagnostics: readonly Diagnostic[]): string[] {
  const byFile = new Map<string, TextEdit[]>();
  for (const found of diagnostics) if (found.fix) byFile.set(found.file, [...(byFile.get(found.file) ?? []), found.fix]);
  const files = new SourceFiles(root);
  const changed: string[] = [];
  // A file reached by two paths (a fragment and a link to it) was judged twice, with the same
  // edits: they are applied once, to the file as it was read.
  const fixedFiles = new Set<string>();
  for (const [file, edits] of [...byFile].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const found = files.locate(file);
    if ("refusal" in found || fixedFiles.has(found.real)) continue;
    fixedFiles.add(found.real);
    const read = files.readBytes(file, MAX_FIXED_BYTES);
    if ("refusal" in read) continue;
    const original = read.bytes.toString("utf8");
    const content = editedText(original, edits);
    if (content === original) continue;
    writeSourceFile(files, file, content);
    changed.push(file);
  }
  return changed;
}

/**
 * `original` with `edits` applied, each edit's offsets (in the text as read: no BOM, every line
 * ending a LF) mapped onto `original`. A fix that writes a line break writes the file's own.
 */
export function editedText(original: string, edits: readonly TextEdit[]): string {
  const toOriginal = offsetMap(original);
  const lineEnding = original.includes("\r\n") ? "\r\n" : "\n";
  let text = original;
  let limit = Number.POSITIVE_INFINITY;
  // From the end, so that each edit's offsets still hold when it is applied.
  for (const edit of [...edits].sort((a, b) => b.start - a.start || b.end - a.end)) {
    if (edit.end > limit) continue;
    const start = toOriginal(edit.start);
    const end = toOriginal(edit.end);
    text = text.slice(0, start) + edit.text.replace(/\n/g, lineEnding) + text.slice(end);
    limit = edit.start;
  }
  return text;
}

/** A map from offsets in the text as read (no BOM, LF line endings) to offsets in `original`. */
function offsetMap(original: string): (offset: number) => number {
  const bom = original.startsWith("\uFEFF") ? 1 : 0;
  // Where a line ending took two characters in the file, as offsets of the text as read.
  const wide: number[] = [];
  let offset = 0;
  for (let index = bom; index < original.length; index++, offset++) {
    if (original[index] === "\r" && original[index + 1] === "\n") {
      wide.push(offset);
      index++;
    }
  }
  return (at: number) => {
    // How many wide line endings start before `at`: each adds one character in the file.
    let low = 0;
    let high = wide.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (wide[middle]! < at) low = middle + 1;
      else high = middle;
    }
    return bom + at + low;
  };
}
