/**
 * The per-user cache folder dmreport keeps between runs (history, compiled code, the lint
 * server's socket), used only when it is the user's alone; imported by bin/dmreport too, so it
 * imports nothing of dmreport.
 */
import { chmodSync, lstatSync, mkdirSync, statSync, type Stats } from "node:fs";
import { homedir } from "node:os";
import { dirname, join } from "node:path";

/** `$DMREPORT_CACHE_DIR`, else `$XDG_CACHE_HOME/dmreport`, else `~/.cache/dmreport`; none with `DMREPORT_NO_CACHE` set. */
export function userCacheFolder(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.DMREPORT_NO_CACHE) return undefined;
  if (env.DMREPORT_CACHE_DIR) return env.DMREPORT_CACHE_DIR;
  const base = env.XDG_CACHE_HOME || (homedir() ? join(homedir(), ".cache") : "");
  return base ? join(base, "dmreport") : undefined;
}

/** The cache folder to use, or why there is none: it is not the current user's alone. */
export interface CacheFolder {
  /** The folder, private to the current user (mode 0700, owned by them). */
  folder?: string;
  /**
   * Why the folder named by the settings is not used, in a sentence, when that is for its
   * safety: another user's, or open to others. A folder that cannot be made (a read-only home)
   * only costs time, and is left out without a word.
   */
  problem?: string;
  /** The facts behind `problem` (owner, mode), for DMREPORT_DEBUG. */
  detail?: string;
  /** What to do about `problem`, when it is not the usual (a folder of your own). */
  advice?: string;
}

/**
 * The user's cache folder, made (mode 0700) when missing and used only when it is theirs alone:
 * a folder another user owns, or one that others may write to, could answer lint for them or
 * rewrite what a report shows, so it is not used (as tmux and OpenSSH refuse such folders). A
 * folder of the user's that others may only read is made private.
 */
export function privateCacheFolder(env: NodeJS.ProcessEnv = process.env): CacheFolder {
  const folder = userCacheFolder(env);
  if (!folder) return {};
  // Where there are no user ids (Windows), the folder is the profile's and not checked.
  const uid = process.getuid?.();
  // Others who may rename entries of the parent (no sticky bit) could swap the folder for theirs,
  // whoever owns the parent: looked at before anything is made there.
  try {
    const parent = statSync(dirname(folder));
    if (uid !== undefined && parent.mode & 0o002 && !(parent.mode & 0o1000))
      return {
        problem: `the cache folder ${folder} is in a folder anyone may change (${dirname(folder)})`,
        detail: `mode ${(parent.mode & 0o7777).toString(8).padStart(4, "0")} for ${dirname(folder)}`,
      };
  } catch {
    // No parent yet: it is made below, the user's.
  }
  let link: Stats;
  let stat: Stats;
  try {
    mkdirSync(folder, { recursive: true, mode: 0o700 });
    link = lstatSync(folder);
    stat = statSync(folder);
  } catch {
    return {};
  }
  if (!stat.isDirectory()) return {};
  if (uid === undefined) return { folder };
  const detail = `mode ${(stat.mode & 0o7777).toString(8).padStart(4, "0")}, owner uid ${stat.uid}${link.isSymbolicLink() ? ` (through a link owned by uid ${link.uid})` : ""}; you are uid ${uid}`;
  if (stat.uid !== uid || link.uid !== uid) return { problem: `the cache folder ${folder} belongs to another user`, detail };
  if (stat.mode & 0o022)
    return {
      problem: `the cache folder ${folder} can be written by other users`,
      detail,
      advice: `if what is in it is yours, make it private (chmod 700 ${folder}); else set DMREPORT_CACHE_DIR to a folder of your own`,
    };
  if (stat.mode & 0o077) {
    try {
      chmodSync(folder, 0o700);
    } catch {
      return { problem: `the cache folder ${folder} can be read by other users and cannot be made private`, detail };
    }
  }
  return { folder };
}
