/** Where a report source's committed files are: the git work tree it is in, and whether a path lies there. */
import { existsSync, realpathSync } from "node:fs";
import { dirname, isAbsolute, join, relative, resolve } from "node:path";

/**
 * The folders a browser must not come from: the git work tree holding the source `root` (a
 * report source is often a folder of a larger repository, checked out by CI where anyone may
 * commit), or the source itself outside git.
 */
export function committedFolders(root: string): string[] {
  let folder = resolve(root);
  for (;;) {
    if (existsSync(join(folder, ".git"))) return [realFolder(folder)];
    const parent = dirname(folder);
    if (parent === folder) return [realFolder(root)];
    folder = parent;
  }
}

function realFolder(folder: string): string {
  try {
    return realpathSync(folder);
  } catch {
    return resolve(folder);
  }
}

/** Whether the file at `path` (links followed) lies in one of `folders`. */
export function inFolders(path: string, folders: readonly string[]): boolean {
  let real = path;
  try {
    real = realpathSync(path);
  } catch {
    // Not there: judged by its path.
  }
  return folders.some((folder) => {
    const inside = relative(folder, real);
    return inside === "" || (!inside.startsWith("..") && !isAbsolute(inside));
  });
}
