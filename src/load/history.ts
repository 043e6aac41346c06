/**
 * Milestone completions reported in earlier months, read from their fragments' frontmatter.
 * A source ten years old has thousands of such fragments, and each lint or build of the latest
 * month needs them all: with a cache folder, each fragment's completions are kept there under
 * its size and modification time (as git keeps its index), and a fragment is only parsed again
 * when either changes. The cache is safe to delete at any time: it is only read back when it
 * was written by this version of dmreport for this very file.
 */
import { createHash } from "node:crypto";
import { lstatSync, mkdirSync, readFileSync, realpathSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { endOfMonth } from "../calendar.js";
import { VERSION } from "../package-root.js";
import type { FragmentSource } from "./fragment-source.js";
import { plainValue } from "./yaml-source.js";

/** A completion a fragment reports; whether its milestone is in the register is validate's to judge. */
export interface ReportedCompletion {
  id: string;
  /** YYYY-MM-DD: the completion date given, or the last day of the month that reported it. */
  date: string;
  /** The fragment that reported it. */
  file: string;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Every completion a fragment's frontmatter reports. Malformed entries are skipped rather than
 * reported: lint reports them in their own month.
 */
export function completionsReported(fragment: FragmentSource): ReportedCompletion[] {
  if (!fragment.frontmatter || fragment.frontmatter.doc.errors.length) return [];
  const value = plainValue(fragment.frontmatter).value as { milestones?: unknown } | null | undefined;
  if (!value || !Array.isArray(value.milestones)) return [];
  const completions: ReportedCompletion[] = [];
  for (const entry of value.milestones as ({ id?: unknown; status?: unknown; completed?: unknown } | null)[]) {
    if (!entry || typeof entry !== "object" || entry.status !== "completed") continue;
    const date = typeof entry.completed === "string" && DATE.test(entry.completed) ? entry.completed : endOfMonth(fragment.folderMonth);
    for (const id of ([] as unknown[]).concat(entry.id)) if (typeof id === "string") completions.push({ id, date, file: fragment.file });
  }
  return completions;
}

/** The per-user cache folder: `$DMREPORT_CACHE_DIR`, else `$XDG_CACHE_HOME/dmreport`, else `~/.cache/dmreport`; none with `DMREPORT_NO_CACHE` set. */
export function userCacheFolder(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.DMREPORT_NO_CACHE) return undefined;
  if (env.DMREPORT_CACHE_DIR) return env.DMREPORT_CACHE_DIR;
  const base = env.XDG_CACHE_HOME || (homedir() ? join(homedir(), ".cache") : "");
  return base ? join(base, "dmreport") : undefined;
}

/** What the cache keeps of one fragment: size, modification time, and its completions as [id, date]. */
type Entry = [size: number, mtime: number, completions: [string, string][]];

interface CacheFile {
  version: 1;
  tool: string;
  root: string;
  files: Record<string, Entry>;
}

/**
 * A file changed within this many milliseconds of being read could change again within the
 * same clock tick, keeping its size and time: it is not cached until it is older.
 */
const SETTLE_MS = 2000;

export interface HistoryReader {
  /** The completions of the fragment `file` (relative to the root), parsing it with `parse` unless cached. */
  completionsOf(file: string, parse: () => FragmentSource | undefined): ReportedCompletion[];
  /** Keep what was learned, for the next run (nothing is written when nothing changed). */
  save(): void;
}

/** A reader of fragments' completions, through the cache in `folder` when one is given. */
export function historyReader(root: string, folder: string | undefined): HistoryReader {
  if (!folder) return { completionsOf: (_file, parse) => completionsFrom(parse()), save: () => undefined };
  let realRoot: string;
  try {
    realRoot = realpathSync(root);
  } catch {
    return historyReader(root, undefined);
  }
  const path = join(folder, `history-${createHash("sha256").update(realRoot).digest("hex").slice(0, 16)}.json`);
  const known = readCache(path, realRoot);
  const kept: Record<string, Entry> = {};
  let changed = false;
  const now = Date.now();
  return {
    completionsOf(file, parse) {
      let stat;
      try {
        stat = lstatSync(join(root, file));
      } catch {
        return completionsFrom(parse());
      }
      const cached = known[file];
      if (Array.isArray(cached) && cached[0] === stat.size && cached[1] === stat.mtimeMs && Array.isArray(cached[2])) {
        kept[file] = cached;
        return cached[2].map(([id, date]) => ({ id, date, file }));
      }
      const completions = completionsFrom(parse());
      changed = true;
      if (stat.isFile() && now - stat.mtimeMs > SETTLE_MS) kept[file] = [stat.size, stat.mtimeMs, completions.map(({ id, date }) => [id, date])];
      return completions;
    },
    save() {
      // Files gone since the last run drop out too: the cache never outgrows the source.
      if (!changed && Object.keys(kept).length === Object.keys(known).length) return;
      const content: CacheFile = { version: 1, tool: VERSION, root: realRoot, files: kept };
      const temporary = `${path}.${process.pid}.tmp`;
      try {
        mkdirSync(folder, { recursive: true });
        writeFileSync(temporary, JSON.stringify(content));
        renameSync(temporary, path);
      } catch {
        // A cache that cannot be written (read-only home, full disk) only costs the next run time.
        try {
          rmSync(temporary, { force: true });
        } catch {
          // Nothing was made.
        }
      }
    },
  };
}

function completionsFrom(fragment: FragmentSource | undefined): ReportedCompletion[] {
  return fragment ? completionsReported(fragment) : [];
}

function readCache(path: string, realRoot: string): Record<string, Entry> {
  try {
    const cache = JSON.parse(readFileSync(path, "utf8")) as CacheFile;
    if (cache.version === 1 && cache.tool === VERSION && cache.root === realRoot && cache.files && typeof cache.files === "object") return cache.files;
  } catch {
    // Missing or unreadable: start afresh.
  }
  return {};
}
