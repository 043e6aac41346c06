/** The archive: every month of a source built in one run, with an index page, skipping what has not changed. */
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync, type Stats } from "node:fs";
import { join, relative } from "node:path";
import { dashboardFiles } from "../render/dashboard.js";
import { buildMilestoneCharts } from "../merge/milestones.js";
import { monthStory } from "../milestones/story.js";
import { FORMATS, planBuild, templateOverrides, type BuildOptions, type Format } from "../build.js";
import { diagnostic, hasErrors, sortDiagnostics, type Diagnostic } from "../core/diagnostics.js";
import { TimeLimitError } from "../core/time-limit.js";
import { MonthLanes } from "./lanes.js";
import { SourceStore, sweepStores } from "./store.js";
import type { MonthDone, MonthTask } from "./month.js";
import { checkNotStopped } from "../core/errors.js";
import { listMonths, loadMonth, loadSource, SOURCE_FILES } from "../load/index.js";
import { statusesReported } from "../load/history.js";
import { SourceFiles } from "../load/source-files.js";
import type { MilestoneReport } from "../core/model.js";
import { BUILD, PACKAGE_ROOT, VERSION } from "../core/package-root.js";
import { validateSource } from "../validate/index.js";
import { milestoneHistory } from "../validate/history.js";
import { changedFiles, writeOutputs, type OutputFile } from "../write/index.js";
import { goneMonths } from "../publish/guard.js";

/** What the archive knows of each month built, kept with the outputs. */
interface MonthRecord {
  /** Digest of everything the month's outputs depend on. */
  key: string;
  files: string[];
  label: string;
  counts: Record<string, number>;
  /** The milestone statuses the month reports, for the months after it. */
  reports: MilestoneReport[];
  /** Digest of the month's frontmatter, which the months after it depend on. */
  frontmatter: string;
  /**
   * The digest of each file's stat when its digest was taken (size, modification and change
   * times, inode, device), as git keeps them: a month whose files all have the same stats has
   * the same digest, without reading them.
   */
  stats: string;
  /** When the digests were taken: a file changed in the same moment is not trusted by its stat (git's racily clean entries). */
  checkedAt: number;
  /** The images the month shows from outside its folder, by path in the source: its key covers them too. */
  images: string[];
  /** The month's entry in the publish record when it was built (its outputs were checked against it). */
  published?: string;
}

/** What a file's stat says of it: size, mtime, ctime (ms), inode, device. */
type FileStat = [number, number, number, number, number];

/** Files' stats with their paths, in the order the month lists them. */
type FileStats = (readonly [string, FileStat])[];

interface Manifest {
  version: 5;
  months: Record<string, MonthRecord>;
}

export interface ArchiveResult {
  diagnostics: Diagnostic[];
  root: string;
  months: string[];
  /** Months rebuilt this run (the others were unchanged and kept). */
  rebuilt: string[];
  written: string[];
  /** The threads that built months: 1, or more where worker threads helped. */
  threads: number;
  /** The latest month built, with its milestone counts (for summaries). */
  latest?: { month: string; label: string; counts: Record<string, number> };
}

/**
 * The source's config, WBS tree and register, read and checked, their syntax tokens kept in the
 * user's cache. What was kept only saves time: a source that fails with it is read again without
 * it (a store changed by hand could hold what no lexing gives), and a failure then is its own.
 */
function checkedBase(root: string, options: BuildOptions) {
  const kept = SourceStore.open(options.cache, root, options.fresh);
  const base = loadSource(root, { months: [], tokens: kept });
  const baseCheck = validateSource(base.source);
  if (kept.served && (!baseCheck.project || hasErrors([...base.diagnostics, ...baseCheck.diagnostics]))) {
    const fresh = SourceStore.open(options.cache, root, true);
    const again = loadSource(root, { months: [], tokens: fresh });
    fresh.save();
    return { base: again, baseCheck: validateSource(again.source) };
  }
  kept.save();
  return { base, baseCheck };
}

/** Folder under the output folder that holds the cache; deleting it only costs a full rebuild. */
export const CACHE_FOLDER = ".dmreport-cache";

/** Build every month of the source. `progress` hears of each month as it is done. */
export async function buildAll(
  options: BuildOptions,
  progress: (done: number, total: number, month: string) => void = () => undefined,
): Promise<ArchiveResult> {
  const { root, out, formats: requested } = planBuild(options);
  const months = listMonths(root);
  const { base, baseCheck } = checkedBase(root, options);
  const result: ArchiveResult = { diagnostics: [...base.diagnostics], root, months, rebuilt: [], written: [], threads: 1 };
  if (!baseCheck.project || hasErrors([...base.diagnostics, ...baseCheck.diagnostics])) {
    result.diagnostics = sortDiagnostics([...base.diagnostics, ...baseCheck.diagnostics]);
    return result;
  }
  // A published month whose folder is gone would vanish from the archive without a word.
  const gone = goneMonths(baseCheck.project.published, months);
  if (gone.length) {
    result.diagnostics = sortDiagnostics([...base.diagnostics, ...baseCheck.diagnostics, ...gone]);
    return result;
  }
  const formats = requested ?? (baseCheck.project.config.output.formats as Format[]);

  const manifestPath = join(out, CACHE_FOLDER, "manifest.json");
  const previous: Manifest = options.fresh ? { version: 5, months: {} } : readManifest(manifestPath);
  const manifest: Manifest = { version: 5, months: {} };
  removeDeadStaging(join(out, CACHE_FOLDER));
  sweepStores(options.cache, root, months);
  // Everything every month depends on: this build of dmreport, the config, the WBS tree, the register, templates, formats.
  const shared = createHash("sha256").update(BUILD).update(JSON.stringify(formats));
  for (const yaml of [base.source.config, base.source.wbs, base.source.register]) shared.update(yaml?.text ?? "").update("\0");
  // Templates, ours as this dmreport has them and the source's as read, in every folder in force in some month.
  // Named by their place in the package: the same dmreport installed elsewhere builds the same.
  for (const file of filesUnder(join(PACKAGE_ROOT, "templates"))) shared.update(relative(PACKAGE_ROOT, file)).update(readFileSync(file));
  for (const [folder, texts] of [...base.source.templates].sort(([a], [b]) => (a < b ? -1 : 1)))
    for (const [name, text] of texts) shared.update(`${folder}/${name}`).update(text).update("\0");
  // Schedule snapshots move every later month's milestone states: each month depends on them all.
  for (const snapshot of base.source.schedule) shared.update(snapshot.file).update(snapshot.text).update("\0");
  const sharedKey = shared.digest("hex");
  const sourceFiles = new SourceFiles(root);

  const diagnostics: Diagnostic[] = [];
  let index: OutputFile[] = [];
  // Each month is written to a staging folder as it is done (so memory does not grow with the
  // archive), and moved into place at the end, all at once: a failed or stopped archive build
  // leaves the earlier outputs exactly as they were, and no staged file behind.
  const staging = join(out, CACHE_FOLDER, `staging-${process.pid}`);
  const staged: string[] = [];
  const reportsOf = new Map<string, MilestoneReport[]>();
  let done = 0;
  type Task = MonthTask & { key: string; earlier: string; frontmatter: string; folderStats: FileStats; checkedAt: number };
  const published = baseCheck.project.published;
  const publishedKey = (month: string) =>
    JSON.stringify(published?.months.get(month) ?? null, (_key, value: unknown) => (value instanceof Map ? [...value] : value));
  const record = (task: Task, finished: MonthDone) => {
    diagnostics.push(...finished.diagnostics);
    // The images a month shows from elsewhere in the source: its key covers them from now on.
    // Those its folder's stats cover are its files already; one reached through a link to a folder
    // in it is not among them (its stat is the link's).
    const own = new Set(task.folderStats.map(([path]) => path));
    const images = (finished.images ?? []).filter((image) => !own.has(image));
    if (finished.built && !hasErrors(diagnostics)) {
      writeOutputs(staging, finished.built.outputs);
      staged.push(...finished.built.outputs.map((file) => file.name));
      const { label, counts } = finished.built;
      const files = finished.built.outputs.map((file) => file.name);
      manifest.months[task.month] = {
        // With the images it shows from elsewhere, as the next run computes it (they are its files from now on).
        key: images.length ? monthKey(sharedKey, task.earlier, filesDigest(sourceFiles, [...own, ...images])) : task.key,
        files,
        label,
        counts,
        reports: reportsOf.get(task.month) ?? [],
        frontmatter: task.frontmatter,
        stats: statsDigest([...task.folderStats, ...statsOf(sourceFiles, images)]),
        checkedAt: task.checkedAt,
        images,
        published: publishedKey(task.month),
      };
      result.rebuilt.push(task.month);
    }
    progress(++done, months.length, task.month);
  };
  const lanes = new MonthLanes<Task>(
    root,
    { formats, write: options.write !== false, cache: options.cache, fresh: options.fresh },
    base.source,
    record,
    options.signal,
  );
  try {
    // Earlier months matter to a month through their milestones only: their frontmatter's text.
    let earlier = "";
    // Grown in place: a month that is built takes a copy of it as it stands.
    const history: MilestoneReport[] = [];
    for (const month of months) {
      const cached = previous.months[month];
      const before = earlier;
      const { key, frontmatter, folderStats, stats, checkedAt } = monthDigests(sourceFiles, month, cached, sharedKey, earlier);
      earlier = createHash("sha256").update(earlier).update(frontmatter).digest("hex");
      // A month published (or published again) since it was built is built and checked anew.
      if (
        cached &&
        cached.key === key &&
        cached.published === publishedKey(month) &&
        cached.files.every((name) => existsSync(join(out, name)))
      ) {
        // Unchanged: nothing of it is parsed again.
        manifest.months[month] = { ...cached, stats, checkedAt };
        for (const report of cached.reports) history.push(report);
        progress(++done, months.length, month);
        continue;
      }
      // Its milestone statuses, from its frontmatter alone, for the months after it.
      const fromFrontmatter = loadMonth(base.source, month, { bodies: false }).fragments;
      const own = milestoneHistory(fromFrontmatter.flatMap(statusesReported), baseCheck.project.milestones);
      reportsOf.set(month, own);
      lanes.add({ month, history: history.slice(), key, earlier: before, frontmatter, folderStats, checkedAt });
      for (const report of own) history.push(report);
      // The workers' answers come in while the months after this one are read.
      await lanes.breathe();
      // A month stopped at the time limit stops the archive: the next months would each wait as long.
      if (diagnostics.some((found) => found.rule === "time-limit")) break;
    }
    await lanes.finish();
    result.threads = lanes.threads;
    result.rebuilt.sort();
    result.diagnostics = sortDiagnostics([...result.diagnostics, ...diagnostics]);
    if (hasErrors(result.diagnostics) || options.write === false) return result;
    const project = baseCheck.project;
    try {
      const latest = Object.keys(manifest.months).sort().pop() ?? "";
      const story = monthStory({ ...project, months: Object.keys(manifest.months).sort() }, latest, {
        reports: Object.values(manifest.months).flatMap((month) => month.reports),
      });
      index = dashboardFiles({
        config: project.config,
        wbs: project.wbs,
        story,
        charts: buildMilestoneCharts(project.wbs, story.register, [], { month: latest, now: story.states }),
        months: Object.entries(manifest.months).map(([month, kept]) => ({
          month,
          label: kept.label,
          files: kept.files,
          counts: kept.counts,
        })),
        formatOf,
        formats,
        generator: `dmreport ${VERSION}`,
        templates: templateOverrides(project, project.config.templates),
      });
    } catch (error) {
      if (!(error instanceof TimeLimitError)) throw error;
      result.diagnostics = sortDiagnostics([
        ...result.diagnostics,
        diagnostic(
          "dmreport.yaml",
          { line: 1, column: 1 },
          "time-limit",
          `rendering the dashboard took more than ${error.limitMs / 1000} s and was stopped: a template of the source's archive or html folder never ends (a partial that includes itself)`,
        ),
      ]);
      return result;
    }
    await checkNotStopped(options.signal);
    // One synchronous pass of renames within one file system: no signal comes between them.
    for (const name of staged) renameSync(join(staging, name), join(out, name));
    result.written = staged.map((name) => join(out, name));
  } finally {
    await lanes.abandon();
    rmSync(staging, { recursive: true, force: true });
  }
  // The dashboard as it stands is not written again (a build with nothing changed writes nothing the user sees).
  result.written.push(...writeOutputs(out, changedFiles(out, index)));
  writeOutputs(join(out, CACHE_FOLDER), [{ name: "manifest.json", content: `${JSON.stringify(manifest, null, 1)}\n` }]);
  const latest = Object.keys(manifest.months).sort().pop();
  if (latest) result.latest = { month: latest, label: manifest.months[latest]!.label, counts: manifest.months[latest]!.counts };
  return result;
}

/**
 * What a month's outputs depend on: `key`, the digest of the shared inputs, the frontmatter of
 * the months before it (`earlier`) and its own files (its folder's, and the images it showed from
 * elsewhere when last built), followed by the digest of those files alone; and the digest of its
 * frontmatter, which the months after it depend on.
 */
function monthDigests(
  files: SourceFiles,
  month: string,
  cached: MonthRecord | undefined,
  sharedKey: string,
  earlier: string,
): { key: string; frontmatter: string; folderStats: FileStats; stats: string; checkedAt: number } {
  const folder = `${SOURCE_FILES.months}/${month}`;
  const folderStats: FileStats = files.filesWithStats(folder).map(({ path, stat }) => [path, fileStat(stat)] as const);
  const all = [...folderStats, ...statsOf(files, cached?.images ?? [])];
  const stats = statsDigest(all);
  const keyOf = (contentDigest: string) => monthKey(sharedKey, earlier, contentDigest);
  // As git does: a month whose files all have their recorded stat is not read again, unless one
  // changed in the very moment its digest was taken (it could change again, keeping its stat).
  const settledBefore = (cached?.checkedAt ?? 0) - SETTLE_MS;
  const settled = all.every(([, [, mtime, ctime]]) => mtime < settledBefore && ctime < settledBefore);
  if (cached && settled && cached.stats === stats)
    return { key: keyOf(cached.key.slice(64)), frontmatter: cached.frontmatter, folderStats, stats, checkedAt: cached.checkedAt };
  const checkedAt = Date.now();
  const names = all.map(([name]) => name);
  const frontmatters = createHash("sha256");
  for (const name of names.filter((name) => name.startsWith(`${folder}/`))) {
    const read = files.readBytes(name, MAX_DIGESTED_BYTES);
    frontmatters.update(name.slice(folder.length)).update(frontmatterText("bytes" in read ? read.bytes : Buffer.alloc(0)));
  }
  return { key: keyOf(filesDigest(files, names)), frontmatter: frontmatters.digest("hex"), folderStats, stats, checkedAt };
}

/** The key of a month from the shared inputs' digest, the earlier months' frontmatter digest and its own files' digest. */
function monthKey(sharedKey: string, earlier: string, contentDigest: string): string {
  return createHash("sha256").update(sharedKey).update(earlier).update(contentDigest).digest("hex") + contentDigest;
}

/** The digest of the files `names`, each by name and bytes. */
function filesDigest(files: SourceFiles, names: readonly string[]): string {
  const contents = createHash("sha256");
  for (const name of names) {
    const read = files.readBytes(name, MAX_DIGESTED_BYTES);
    // A file the door refuses is reported by the month's build; its digest is that of nothing.
    contents.update(name).update("bytes" in read ? read.bytes : Buffer.alloc(0));
  }
  return contents.digest("hex");
}

/** Each file's stat, with its path. */
function statsOf(files: SourceFiles, names: readonly string[]): FileStats {
  return names.map((name) => {
    const found = files.locate(name);
    return [name, fileStat("stat" in found ? found.stat : undefined)] as const;
  });
}

/** What the manifest compares of a file's stat (a file without one: -1s). */
function fileStat(stat: Stats | undefined): FileStat {
  return stat ? [stat.size, stat.mtimeMs, stat.ctimeMs, stat.ino, stat.dev] : [-1, -1, -1, -1, -1];
}

/** The digest the manifest keeps of files' stats. */
function statsDigest(stats: FileStats): string {
  return createHash("sha256")
    .update(stats.map(([path, stat]) => `${path}\0${stat.join(",")}`).join("\n"))
    .digest("hex");
}

/** A file changed within this many milliseconds of its digest being taken is read again next time. */
const SETTLE_MS = 2000;

/**
 * Staging folders of archive builds that are no longer running (killed, or the machine went
 * down): a run's staging is its own until it ends, and nothing of a dead one is kept.
 */
function removeDeadStaging(cache: string): void {
  let names: string[];
  try {
    names = readdirSync(cache);
  } catch {
    return;
  }
  for (const name of names) {
    const pid = /^staging-(\d+)$/.exec(name)?.[1];
    // A live process of that id may be another that took a dead run's id: a day-old staging is dead too.
    if (!pid || (Number(pid) !== process.pid && alive(Number(pid)) && !olderThanADay(join(cache, name)))) continue;
    rmSync(join(cache, name), { recursive: true, force: true });
  }
}

function olderThanADay(path: string): boolean {
  try {
    return Date.now() - statSync(path).mtimeMs > 24 * 3600 * 1000;
  } catch {
    return false;
  }
}

/** Whether a process with this id runs on this machine. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Larger than any file a month may hold (fragments and images have their own, smaller, limits). */
const MAX_DIGESTED_BYTES = 64 * 1024 * 1024;

/** The frontmatter of a fragment's bytes, as written: what later months depend on. */
function frontmatterText(bytes: Buffer): string {
  const text = bytes
    .toString("utf8")
    .replace(/^\uFEFF/, "")
    .replace(/\r\n?/g, "\n");
  return /^---[ \t]*\n([\s\S]*?)\n---[ \t]*(?:\n|$)/.exec(text)?.[1] ?? "";
}

function readManifest(path: string): Manifest {
  try {
    const manifest = JSON.parse(readFileSync(path, "utf8")) as Manifest;
    return manifest.version === 5 && manifest.months ? manifest : { version: 5, months: {} };
  } catch {
    return { version: 5, months: {} };
  }
}

/** Every file under `folder`, in a stable order. */
function filesUnder(folder: string): string[] {
  if (!existsSync(folder)) return [];
  return readdirSync(folder)
    .sort()
    .flatMap((name) => {
      const path = join(folder, name);
      return statSync(path).isDirectory() ? filesUnder(path) : [path];
    });
}

/** The format a written file is in, from its extension. */
function formatOf(file: string): string {
  const found = Object.entries(FORMATS)
    .filter(([, extension]) => file.endsWith(extension))
    .sort((a, b) => b[1].length - a[1].length)[0];
  return found ? found[0] : file;
}
