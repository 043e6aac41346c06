/** Write stage for the report source itself: what dmreport writes into a source goes through the source's one door. */
import { UsageError } from "../core/errors.js";
import type { SourceFiles } from "../load/source-files.js";
import { writeOutputs } from "./index.js";

/**
 * Write `content` to the file `name` (a path in the source) atomically, through the source's door:
 * a link to a file inside the source is written where it points, and stays a link; a link or
 * folder outside the source is refused with a UsageError and nothing is written. Returns the path
 * written.
 */
export function writeSourceFile(files: SourceFiles, name: string, content: string | Uint8Array): string {
  return writeSourceFiles(files, [{ name, content }])[0]!;
}

/**
 * Write several files of the source, each as `writeSourceFile` does; where each goes is settled
 * first, so that one refused leaves every other unwritten. Returns the paths written.
 */
export function writeSourceFiles(files: SourceFiles, outputs: readonly { name: string; content: string | Uint8Array }[]): string[] {
  const targets = outputs.map((output) => ({ output, target: files.writeTarget(output.name) }));
  for (const { target } of targets) if ("refusal" in target) throw new UsageError(`${target.refusal.message}; nothing was written`);
  return targets.flatMap(({ output, target }) =>
    "refusal" in target ? [] : writeOutputs(target.folder, [{ name: target.name, content: output.content, mode: target.mode }]),
  );
}
