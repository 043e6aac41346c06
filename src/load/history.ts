/**
 * Milestone statuses reported in earlier months, read from their fragments' frontmatter.
 * A source ten years old has thousands of such fragments, and each lint or build of the latest
 * month needs them all: with a cache folder, each fragment's completions are kept there under
 * its stat (size, modification and change times, inode and device, as git keeps its index), and
 * a fragment is parsed again when any of them changes: a file put back with its old size and
 * times (`cp -p`, a restore) has a new change time. The cache is safe to delete at any time: it is only read back when it
 * was written by this version of dmreport for this very file.
 */
import { createHash } from "node:crypto";
import {
  lstatSync,
  mkdirSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  watch,
  writeFileSync,
  type FSWatcher,
  type Stats,
} from "node:fs";
import { join } from "node:path";
import { endOfMonth } from "../core/calendar.js";
import { BUILD } from "../core/package-root.js";
import type { FragmentSource } from "./fragment-source.js";
import { plainValue } from "./yaml-source.js";
import type { MilestoneReport, MilestoneState } from "../core/model.js";

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const STATES: readonly string[] = ["completed", "delayed", "at-risk", "on-track"] satisfies MilestoneState[];

/**
 * Every milestone status a fragment's frontmatter reports, one per id. Malformed entries are
 * skipped rather than reported: lint reports them in their own month. Whether a milestone is in
 * the register is validate's to judge.
 */
export function statusesReported(fragment: FragmentSource): MilestoneReport[] {
  if (!fragment.frontmatter || fragment.frontmatter.doc.errors.length) return [];
  const value = plainValue(fragment.frontmatter).value as { milestones?: unknown } | null | undefined;
  if (!value || !Array.isArray(value.milestones)) return [];
  const reports: MilestoneReport[] = [];
  const month = fragment.folderMonth;
  for (const entry of value.milestones as ({ id?: unknown; status?: unknown; completed?: unknown; forecast?: unknown } | null)[]) {
    if (!entry || typeof entry !== "object" || typeof entry.status !== "string" || !STATES.includes(entry.status)) continue;
    const status = entry.status as MilestoneState;
    const completed =
      status !== "completed"
        ? undefined
        : typeof entry.completed === "string" && DATE.test(entry.completed)
          ? entry.completed
          : endOfMonth(month);
    const forecast = typeof entry.forecast === "string" && DATE.test(entry.forecast) ? entry.forecast : undefined;
    for (const id of ([] as unknown[]).concat(entry.id))
      if (typeof id === "string")
        reports.push(
          Object.freeze({ id, month, status, ...(completed && { completed }), ...(forecast && { forecast }), file: fragment.file }),
        );
  }
  return reports;
}

/** What the cache keeps of one fragment: its stat, and its statuses as [id, status, completed, forecast]. */
type Entry = [
  stat: [size: number, mtime: number, ctime: number, inode: number, device: number],
  statuses: [string, MilestoneState, string, string][],
];

interface CacheFile {
  version: 3;
  tool: string;
  root: string;
  /** The limits the fragments were read under. */
  context: string;
  files: Record<string, Entry>;
}

/**
 * A file changed within this many milliseconds of being read could change again within the
 * same clock tick, keeping its size and time: it is not cached until it is older.
 */
const SETTLE_MS = 2000;

export interface HistoryReader {
  /** The statuses the fragment `file` (relative to the root, in month folder `month`) reports, parsing it with `parse` unless cached. */
  statusesOf(file: string, month: string, parse: () => FragmentSource | undefined): readonly MilestoneReport[];
  /** Keep what was learned, for the next run (nothing is written when nothing changed). */
  save(): void;
}

/**
 * What a long-lived process (the lint server, the language server, the preview) keeps of the
 * cache between loads, so that a keystroke does not read and parse the cache file again: each
 * fragment's entry and statuses, under the limits they were read with.
 *
 * It answers a month from memory alone, without looking at its files, while the month's folder
 * is watched (`watches`), has reported no change since it was read, and is still the folder at
 * its path (one stat: a folder above it renamed or replaced, or `months` a link moved elsewhere,
 * tells its watch nothing): the watch is set before the folder is listed, and any event of the
 * folder (a file written, added, removed or renamed, the folder itself moved) drops the month's
 * trust and its watch until the next read. A month with a file the memory does not keep (a
 * link, a file with another name, a file in a folder of the month) is always looked at. What no
 * watch can tell: a file given a second name elsewhere after it was read, and written there; the
 * language server looks at every file again after each pause in the typing.
 */
export class HistoryMemory {
  context = "";
  /** Each fragment's entry and statuses (`keep`, `forget`); `racy` when read a moment after it changed, and kept only while its folder is watched. */
  readonly entries = new Map<string, { entry: Entry; reports: readonly MilestoneReport[]; racy?: boolean }>();
  /**
   * Each month's fragments on disk, and when they were last all seen unchanged (and all kept);
   * `reports`, what they report in file order, once asked (the entry is replaced when the month is read again).
   */
  readonly files = new Map<string, { names: string[]; seen: number; reports?: readonly MilestoneReport[] }>();
  /**
   * How long (ms) the memory is trusted without looking at the files, where the month folder is
   * not watched: 0 (always look) but in the language server, which looks again after each pause
   * in the typing and when files change.
   */
  trustMs = 0;
  /** How many reads were answered from memory alone, without looking at the files. */
  trustedReads = 0;
  /** The entries read a moment after their file changed. */
  private readonly racy = new Set<string>();
  private readonly watchers = new Map<string, { watcher: FSWatcher; folder: string; device: number; inode: number }>();

  /** `watches`: whether month folders are watched (only where the process lives on: the watches are not persistent). */
  constructor(readonly watches = false) {}

  /** Whether `months` may be answered from memory alone at `now`. */
  trusted(context: string, months: readonly string[], now: number): boolean {
    if (this.context !== context) return false;
    return months.every((month) => {
      const kept = this.files.get(month);
      return kept !== undefined && (this.stillWatched(month) || now - kept.seen < this.trustMs);
    });
  }

  /** Whether the folder of `month` is watched now (and still the folder at its path). */
  watching(month: string): boolean {
    return this.stillWatched(month);
  }

  /** Watch the folder of `month` (before its files are read), when this memory watches and it is not watched yet. */
  watch(month: string, folder: string): void {
    if (!this.watches || this.stillWatched(month)) return;
    try {
      const { dev, ino } = statSync(folder);
      const watcher = watch(folder, { persistent: false }, (_event, name) => this.changed(month, name ?? undefined));
      // A watch that fails (the folder removed, the system's watches used up) only costs a look at the files.
      watcher.on("error", () => this.changed(month));
      this.watchers.set(month, { watcher, folder, device: dev, inode: ino });
    } catch {
      // Not watched: the month's files are looked at on each read.
    }
  }

  /** Look at the files again at the next read (they changed on disk, or the trust ran out): the watches end too. */
  distrust(): void {
    for (const month of [...this.watchers.keys()]) this.changed(month);
    for (const month of this.files.values()) month.seen = -Infinity;
  }

  /** Stop watching (the memory is dropped). */
  close(): void {
    for (const month of [...this.watchers.keys()]) this.changed(month);
  }

  /**
   * The folder of `month` reported a change (of the file `name` in it, when it says): the month is
   * looked at again, the file read again, and so is every file read a moment after it changed:
   * the watch ends here, and such a file could change again keeping its stat.
   */
  /** Whether the folder of `month` is watched and is still the folder at its path; its watch ends when it is not. */
  private stillWatched(month: string): boolean {
    const watched = this.watchers.get(month);
    if (!watched) return false;
    try {
      const { dev, ino } = statSync(watched.folder);
      if (dev === watched.device && ino === watched.inode) return true;
    } catch {
      // Gone: not the folder watched.
    }
    this.changed(month);
    return false;
  }

  /**
   * The folder of `month` changed (the file `name` in it, when the watch says), or may have: the
   * watch ends, the month is looked at on the next read, the file named is read again, and so is
   * every file read a moment after it changed (it could change again keeping its stat). The
   * others are kept: the next read compares their stat.
   */
  private changed(month: string, name?: string): void {
    this.watchers.get(month)?.watcher.close();
    this.watchers.delete(month);
    const kept = this.files.get(month);
    if (kept) kept.seen = -Infinity;
    const folder = `months/${month}/`;
    if (name !== undefined) this.forget(`${folder}${name}`);
    for (const file of this.racy) if (file.startsWith(folder)) this.forget(file);
  }

  /** Keep what a fragment reports (`racy` when it was read a moment after it changed). */
  keep(file: string, kept: { entry: Entry; reports: readonly MilestoneReport[]; racy?: boolean }): void {
    this.entries.set(file, kept);
    if (kept.racy) this.racy.add(file);
    else this.racy.delete(file);
  }

  /** Keep nothing of a fragment. */
  forget(file: string): void {
    this.entries.delete(file);
    this.racy.delete(file);
  }
}

/** A reader of fragments' completions, through the cache in `folder` when one is given (and `memory`, kept in the process). */
export function historyReader(root: string, folder: string | undefined, context = "", memory?: HistoryMemory): HistoryReader {
  if (!folder && !memory) return { statusesOf: (_file, _month, parse) => statusesFrom(parse()), save: () => undefined };
  let realRoot: string;
  try {
    realRoot = realpathSync(root);
  } catch {
    return historyReader(root, undefined, context);
  }
  // Without a cache folder, what is kept is kept in memory alone.
  const path = folder && join(folder, `history-${createHash("sha256").update(realRoot).digest("hex").slice(0, 16)}.json`);
  if (memory && memory.context !== context) {
    for (const file of [...memory.entries.keys()]) memory.forget(file);
    memory.files.clear();
    memory.context = context;
  }
  // The cache file is read only when the memory lacks a file.
  let known: Record<string, Entry> | undefined;
  const knownEntries = () => (known ??= path ? readCache(path, realRoot, context) : {});
  const kept: Record<string, Entry> = {};
  let changed = false;
  const started = Date.now();
  // A link's month is not answered from memory alone (its folder's watch does not see the file it points to, or its other names): not in memory.
  // A racy entry (read a moment after its file changed) is kept in memory alone, while its folder is watched.
  const remember = (file: string, entry: Entry, reports: readonly MilestoneReport[], link: boolean, racy = false) => {
    if (!racy) kept[file] = entry;
    if (link) memory?.forget(file);
    else memory?.keep(file, { entry, reports, ...(racy && { racy }) });
    return reports;
  };
  return {
    statusesOf(file, month, parse) {
      let stat: Stats;
      let link = false;
      try {
        stat = lstatSync(join(root, file));
        // A link is judged by the file it points to (an edit there changes that file's stat, not the link's).
        if (stat.isSymbolicLink()) {
          link = true;
          stat = statSync(join(root, file));
        }
        // A file with another name elsewhere can be written there, unseen by its folder's watch.
        link ||= stat.nlink > 1;
      } catch {
        return statusesFrom(parse());
      }
      const now: Entry[0] = [stat.size, stat.mtimeMs, stat.ctimeMs, stat.ino, stat.dev];
      const remembered = memory?.entries.get(file);
      if (remembered && sameStat(remembered.entry[0], now))
        return remember(file, remembered.entry, remembered.reports, link, remembered.racy);
      const cached = knownEntries()[file];
      if (Array.isArray(cached) && Array.isArray(cached[0]) && sameStat(cached[0], now) && Array.isArray(cached[1])) {
        const reports = cached[1].map(([id, status, completed, forecast]) =>
          Object.freeze({ id, month, status, ...(completed && { completed }), ...(forecast && { forecast }), file }),
        );
        return remember(file, cached, reports, link);
      }
      const statuses = statusesFrom(parse());
      changed = true;
      // A file changed in the moment it was read could change again keeping its stat (git's racily
      // clean entries): not kept, but in memory while its folder is watched (a change would be told).
      const entry: Entry = [now, statuses.map(({ id, status, completed, forecast }) => [id, status, completed ?? "", forecast ?? ""])];
      if (!stat.isFile()) memory?.forget(file);
      else if (started - Math.max(stat.mtimeMs, stat.ctimeMs) > SETTLE_MS) remember(file, entry, statuses, link);
      else if (memory?.watching(month)) remember(file, entry, statuses, link, true);
      else memory?.forget(file);
      return statuses;
    },
    save() {
      // Files gone since the last run drop out too: the cache never outgrows the source.
      if (!path || (!changed && (known === undefined || Object.keys(kept).length === Object.keys(known).length))) return;
      const content: CacheFile = { version: 3, tool: BUILD, root: realRoot, context, files: kept };
      const temporary = `${path}.${process.pid}.tmp`;
      try {
        // The user's alone: statuses, forecasts and paths are nobody else's to read.
        mkdirSync(folder, { recursive: true, mode: 0o700 });
        writeFileSync(temporary, JSON.stringify(content), { mode: 0o600 });
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

function statusesFrom(fragment: FragmentSource | undefined): MilestoneReport[] {
  return fragment ? statusesReported(fragment) : [];
}

function readCache(path: string, realRoot: string, context: string): Record<string, Entry> {
  try {
    const cache = JSON.parse(readFileSync(path, "utf8")) as CacheFile;
    if (
      cache.version === 3 &&
      cache.tool === BUILD &&
      cache.root === realRoot &&
      cache.context === context &&
      cache.files &&
      typeof cache.files === "object"
    )
      return cache.files;
  } catch {
    // Missing or unreadable: start afresh.
  }
  return {};
}

function sameStat(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((value, index) => value === b[index]);
}
