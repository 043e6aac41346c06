/** Write stage: put output files in place atomically, all or none. */
import { lstatSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { randomBytes } from "node:crypto";

export interface OutputFile {
  /** File name inside the output folder. */
  name: string;
  content: string | Uint8Array;
  /** File mode to give the file (a fixed source keeps its own). */
  mode?: number;
}

/**
 * Write every file to a temporary name beside its target, then rename each into place, so that
 * a reader never sees a half-written report and a failure leaves earlier outputs as they were.
 * Returns the paths written.
 */
export function writeOutputs(folder: string, files: readonly OutputFile[]): string[] {
  mkdirSync(folder, { recursive: true });
  const staged: { temp: string; target: string }[] = [];
  try {
    for (const file of files) {
      const target = join(folder, file.name);
      const temp = join(folder, `.${file.name}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
      staged.push({ temp, target });
      writeFileSync(temp, file.content, file.mode === undefined ? undefined : { mode: file.mode & 0o777 });
    }
    for (const { temp, target } of staged) renameSync(temp, target);
  } catch (error) {
    for (const { temp } of staged) rmSync(temp, { force: true });
    throw error;
  }
  return staged.map(({ target }) => target);
}

/**
 * The files `folder` does not already hold to the byte (with their mode, where one is given): one
 * that is the same is not written again, so its time does not change for what watches the folder
 * (rsync, make, a web server's cache). Only a regular file of the very size is read.
 */
export function changedFiles(folder: string, files: readonly OutputFile[]): OutputFile[] {
  return files.filter((file) => {
    const bytes = typeof file.content === "string" ? Buffer.from(file.content) : file.content;
    let held: ReturnType<typeof lstatSync>;
    try {
      held = lstatSync(join(folder, file.name));
    } catch {
      return true;
    }
    if (!held.isFile() || held.size !== bytes.length) return true;
    if (file.mode !== undefined && (held.mode & 0o777) !== (file.mode & 0o777)) return true;
    return !readFileSync(join(folder, file.name)).equals(bytes);
  });
}
