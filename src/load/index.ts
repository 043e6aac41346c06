/** Load stage: find the source root and read its files into located, parsed sources. */
import { existsSync, readdirSync, readFileSync, realpathSync, statSync } from "node:fs";
import { dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import { diagnostic, type Diagnostic } from "../diagnostics.js";
import { parseFragmentSource, type FragmentSource } from "./fragment-source.js";
import { historyReader } from "./history.js";
import { parseOnce, type ParseMemo } from "./memo.js";
import type { MilestoneReport } from "../model.js";
import { parseYamlSource, plainValue, type YamlSource } from "./yaml-source.js";

export type { Directive, FragmentSource } from "./fragment-source.js";
export { statusesReported, userCacheFolder } from "./history.js";
export { ParseMemo } from "./memo.js";
export { locate, nodeAt, plainValue, spanAt, type ValuePath, type YamlSource } from "./yaml-source.js";

/** The files of a report source, by their fixed place in it. */
export const SOURCE_FILES = {
  config: "dmreport.yaml",
  wbs: "wbs.yaml",
  milestones: "milestones.yaml",
  /** What each published month's outputs were (`dmreport publish`). */
  published: "published.yaml",
  months: "months",
  /** Each month's schedule export, as import-milestones --month keeps it: `schedule/YYYY-MM.yaml`. */
  schedule: "schedule",
  /** dmreport's JSON Schemas, copied into the source (by init and `dmreport schemas`) for editors. */
  schemaCopies: ".dmreport/schemas",
} as const;

const IMAGE_FILE = /\.(png|jpe?g|gif|webp|svg)$/i;
const MONTH_FOLDER = /^\d{4}-(0[1-9]|1[0-2])$/;
const SNAPSHOT_FILE = /^(\d{4}-(?:0[1-9]|1[0-2]))\.yaml$/;

/** What dmreport refuses to read rather than spend minutes or gigabytes on (`limits` in dmreport.yaml). */
export interface Limits {
  /** Largest file read, in bytes. */
  fileBytes: number;
  /** Deepest nesting of lists and block quotes in a fragment. */
  nesting: number;
}

export const DEFAULT_LIMITS: Limits = { fileBytes: 1024 * 1024, nesting: 32 };

/** The limits a config sets, read before it is checked (the checker reports a bad value). */
function limitsOf(config: YamlSource | null): Limits {
  const raw = (config ? (plainValue(config).value as { limits?: Partial<Limits> } | undefined) : undefined)?.limits;
  const number = (value: unknown, fallback: number) => (typeof value === "number" && Number.isInteger(value) && value > 0 ? value : fallback);
  return { fileBytes: number(raw?.fileBytes, DEFAULT_LIMITS.fileBytes), nesting: number(raw?.nesting, DEFAULT_LIMITS.nesting) };
}

/** A report source as read from disk: every file parsed, nothing yet checked. */
export interface LoadedSource {
  /** Absolute path of the folder holding `dmreport.yaml`. */
  root: string;
  config: YamlSource | null;
  wbs: YamlSource | null;
  register: YamlSource | null;
  /** The publish record, when the source has published a month. */
  published: YamlSource | null;
  /** Every month folder of the source, sorted. */
  months: string[];
  /** The fragments of the months that were asked for, in path order. */
  fragments: FragmentSource[];
  /** With `history`: the milestone statuses the fragments of earlier months report. */
  history: MilestoneReport[];
  /** The schedule snapshots of the months up to the last one asked for, in month order. */
  schedule: YamlSource[];
  /** Months with a file that could not be read as a fragment: what they owe is not judged. */
  incomplete: string[];
  /** The source's copies of dmreport's schemas (`.dmreport/schemas/`), by file path, when it keeps them. */
  schemaCopies: Map<string, string>;
}

export interface LoadOptions {
  /** Months whose fragments to read; all months when absent. */
  months?: readonly string[];
  /** Also read the frontmatter of the months before the first one asked for (milestone history). */
  history?: boolean;
  /** Parse the Markdown of these fragments only (paths as in diagnostics); read the others' frontmatter. */
  bodies?: ReadonlySet<string>;
  /** A folder where the history read may be cached between runs (see `userCacheFolder`). */
  cache?: string;
  /** Parse results of an earlier load of this source in this process, reused for files whose text is unchanged. */
  memo?: ParseMemo;
  /**
   * Texts that stand in for files, by path in the source (`months/2017-12/1.02C.03.md`): an
   * editor's unsaved buffers. A fragment here that is not on disk yet is read too.
   */
  overlay?: ReadonlyMap<string, string>;
}

/** How files are read: the limits, and the texts that stand in for files on disk. */
type Reading = Limits & { overlay?: ReadonlyMap<string, string> };

/** The nearest folder at or above `start` that holds `dmreport.yaml`, as git finds `.git`. */
export function findSourceRoot(start: string): string | null {
  let folder = resolve(start);
  if (existsSync(folder) && statSync(folder).isFile()) folder = dirname(folder);
  for (;;) {
    if (existsSync(join(folder, SOURCE_FILES.config))) return folder;
    const parent = dirname(folder);
    if (parent === folder) return null;
    folder = parent;
  }
}

/** Read and parse the source at `root`. Problems reading or parsing become diagnostics. */
export function loadSource(root: string, options: LoadOptions = {}): { source: LoadedSource; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  let limits: Reading = { ...DEFAULT_LIMITS, overlay: options.overlay };
  const readYaml = (name: string, required: boolean): YamlSource | null => {
    const text = readText(root, name, diagnostics, required, limits);
    if (text === null) return null;
    const parsed = parseOnce(options.memo, name, text, () => parseYamlSource(name, text));
    diagnostics.push(...parsed.diagnostics);
    return parsed.source;
  };
  const config = readYaml(SOURCE_FILES.config, true);
  limits = { ...limitsOf(config), overlay: options.overlay };
  const wbs = readYaml(SOURCE_FILES.wbs, true);
  const register = readYaml(SOURCE_FILES.milestones, false);
  const published = readYaml(SOURCE_FILES.published, false);

  const months = withOverlayMonths(listMonths(root, diagnostics), options.overlay);
  const wanted = options.months ? months.filter((month) => options.months!.includes(month)) : months;
  const fragments = readFragments(root, wanted, diagnostics, options.bodies ?? true, limits, options.memo);
  // Problems in earlier months are lint's to report; here they only cost a month its history.
  const first = [...(options.months ?? [])].sort()[0];
  const history = options.history && first ? readHistory(root, months.filter((month) => month < first), limits, options.cache) : [];
  const last = options.months ? [...options.months].sort().reverse()[0] : undefined;
  const schedule = readSchedule(root, last, diagnostics, limits, options.memo);
  const schemaCopies = readSchemaCopies(root);
  return { source: { root, config, wbs, register, published, months, fragments, history, schedule, incomplete: incompleteMonths(diagnostics), schemaCopies }, diagnostics };
}

/** `months`, and the months of fragments that are only in the overlay so far (a new month's first unsaved file). */
function withOverlayMonths(months: string[], overlay: ReadonlyMap<string, string> | undefined): string[] {
  if (!overlay) return months;
  const more = [...overlay.keys()].flatMap((name) => /^months\/(\d{4}-(?:0[1-9]|1[0-2]))\/.+\.md$/.exec(name)?.[1] ?? []);
  return [...new Set([...months, ...more])].sort();
}

/** The text of each JSON file in the source's schema copies folder. */
function readSchemaCopies(root: string): Map<string, string> {
  const folder = join(root, SOURCE_FILES.schemaCopies);
  const copies = new Map<string, string>();
  if (!existsSync(folder)) return copies;
  for (const entry of sortedEntries(folder)) {
    if (!entry.isFile() || !entry.name.endsWith(".json")) continue;
    try {
      copies.set(`${SOURCE_FILES.schemaCopies}/${entry.name}`, readFileSync(join(folder, entry.name), "utf8"));
    } catch {
      copies.set(`${SOURCE_FILES.schemaCopies}/${entry.name}`, "");
    }
  }
  return copies;
}

/** The months that have a file the load stage could not read as a fragment (any diagnostic on it). */
export function incompleteMonths(diagnostics: readonly Diagnostic[]): string[] {
  const months = diagnostics.flatMap((found) => /^months\/(\d{4}-\d{2})\//.exec(found.file)?.[1] ?? []);
  return [...new Set(months)].sort();
}

/** The schedule snapshots up to `last` (every one when undefined); other files in schedule/ are reported. */
function readSchedule(root: string, last: string | undefined, diagnostics: Diagnostic[], limits: Reading, memo?: ParseMemo): YamlSource[] {
  const folder = join(root, SOURCE_FILES.schedule);
  if (!existsSync(folder) || !statSync(folder).isDirectory()) return [];
  const snapshots: YamlSource[] = [];
  for (const entry of sortedEntries(folder)) {
    const name = `${SOURCE_FILES.schedule}/${entry.name}`;
    if (entry.name.startsWith(".")) continue;
    const month = SNAPSHOT_FILE.exec(entry.name)?.[1];
    if (!month || !entry.isFile()) {
      diagnostics.push(diagnostic(name, { line: 1, column: 1 }, "schedule-file",
        `\`${name}\` is not a schedule snapshot (schedule/YYYY-MM.yaml, written by dmreport import-milestones --month) and is not read`));
      continue;
    }
    if (last && month > last) continue;
    const text = readText(root, name, diagnostics, true, limits);
    if (text === null) continue;
    const parsed = parseOnce(memo, name, text, () => parseYamlSource(name, text));
    diagnostics.push(...parsed.diagnostics);
    snapshots.push(parsed.source);
  }
  return snapshots;
}

/**
 * The fragments of one month of a source whose config, WBS tree and register were loaded
 * already (an archive builds a month at a time): the config's limits are not read again.
 */
export function loadMonth(
  source: Pick<LoadedSource, "root" | "config">,
  month: string,
  options: { bodies?: boolean } = {},
): { fragments: FragmentSource[]; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  return { fragments: readFragments(source.root, [month], diagnostics, options.bodies ?? true, limitsOf(source.config)), diagnostics };
}

function readFragments(
  root: string,
  months: readonly string[],
  diagnostics: Diagnostic[],
  bodies: boolean | ReadonlySet<string>,
  limits: Reading,
  memo?: ParseMemo,
): FragmentSource[] {
  const fragments: FragmentSource[] = [];
  for (const month of months) {
    for (const name of fragmentFiles(root, `${SOURCE_FILES.months}/${month}`, diagnostics, limits.overlay)) {
      const text = readText(root, name, diagnostics, true, limits);
      if (text === null) continue;
      const body = typeof bodies === "boolean" ? bodies : bodies.has(name);
      // Kept apart by how it was read: a lint of one file reads the others' frontmatter only, a
      // lint of the month reads them whole, and alternating between the two must not parse again.
      const parsed = parseOnce(memo, `${name} ${body ? "whole" : "frontmatter"}`, `${limits.nesting}\n${text}`, () => parseFragmentSource(name, month, text, { body, nesting: limits.nesting }));
      diagnostics.push(...parsed.diagnostics);
      if (parsed.fragment) fragments.push(parsed.fragment);
    }
  }
  return fragments;
}

/** The milestone statuses reported in `months`, through the cache in `cache` when there is one. */
function readHistory(root: string, months: readonly string[], limits: Limits, cache: string | undefined): MilestoneReport[] {
  const reader = historyReader(root, cache);
  const statuses: MilestoneReport[] = [];
  for (const month of months) {
    for (const name of fragmentFiles(root, `${SOURCE_FILES.months}/${month}`, [])) {
      statuses.push(...reader.statusesOf(name, month, () => {
        const text = readText(root, name, [], true, limits);
        return text === null ? undefined : parseFragmentSource(name, month, text, { body: false }).fragment;
      }));
    }
  }
  reader.save();
  return statuses;
}

/** The month folders of the source (months/YYYY-MM), sorted; anything else there is reported. */
export function listMonths(root: string, diagnostics: Diagnostic[] = []): string[] {
  const monthsFolder = join(root, SOURCE_FILES.months);
  const months: string[] = [];
  if (!existsSync(monthsFolder)) return months;
  for (const entry of sortedEntries(monthsFolder)) {
    const name = `${SOURCE_FILES.months}/${entry.name}`;
    if (entry.name.startsWith(".")) continue;
    if (entry.isDirectory() && MONTH_FOLDER.test(entry.name)) months.push(entry.name);
    else
      diagnostics.push(
        diagnostic(name, { line: 1, column: 1 }, "month-folder-name",
          `\`${name}\` is not a month folder (months/YYYY-MM/); nothing in it is part of any report`),
      );
  }
  return months;
}

/**
 * The `.md` files under a month folder, in sorted path order. Other files, folders named `.md`,
 * and links that lead outside the source or nowhere are reported, never followed blindly.
 */
function fragmentFiles(root: string, folder: string, diagnostics: Diagnostic[], overlay?: ReadonlyMap<string, string>): string[] {
  const files: string[] = [];
  const realRoot = realpathSync(root);
  const unsaved = overlay ? [...overlay.keys()].filter((name) => name.startsWith(`${folder}/`) && name.endsWith(".md") && !existsSync(join(root, name))) : [];
  if (unsaved.length && !existsSync(join(root, folder))) return unsaved.sort();
  for (const entry of sortedEntries(join(root, folder))) {
    if (entry.name.startsWith(".")) continue;
    const name = `${folder}/${entry.name}`;
    const report = (rule: string, message: string) => diagnostics.push(diagnostic(name, { line: 1, column: 1 }, rule, message));
    if (entry.isSymbolicLink()) {
      let target: string;
      try {
        target = realpathSync(join(root, name));
      } catch {
        report("fragment-not-markdown", `\`${name}\` is a link that leads nowhere (or to itself) and is left out of the report`);
        continue;
      }
      const inside = relative(realRoot, target);
      if (inside.startsWith("..") || isAbsolute(inside)) {
        report("file-outside-source", `\`${name}\` is a link to ${target}, outside the source: fragments must live in the source, so copy the file in`);
        continue;
      }
      if (entry.name.endsWith(".md") && statSync(target).isFile()) files.push(name);
      else report("fragment-not-markdown", `\`${name}\` is a link, not a fragment, and is left out of the report`);
    } else if (entry.isDirectory()) {
      if (entry.name.endsWith(".md")) report("fragment-not-markdown", `\`${name}\` is a folder, not a fragment; what is inside it is read as fragments`);
      files.push(...fragmentFiles(root, name, diagnostics, overlay));
    } else if (entry.name.endsWith(".md") && entry.isFile()) files.push(name);
    // Images live beside the fragments that show them; they are not text that could go missing.
    else if (IMAGE_FILE.test(entry.name)) continue;
    else report("fragment-not-markdown", `\`${name}\` is not a fragment (fragments end in .md) and is left out of the report`);
  }
  // Unsaved new files directly in this folder (those deeper are in the folders listed above, if on disk).
  const direct = unsaved.filter((name) => !name.slice(folder.length + 1).includes("/"));
  return direct.length ? [...files, ...direct].sort() : files;
}

function sortedEntries(folder: string) {
  // Sorted by name so that nothing depends on the order the file system lists entries in.
  return readdirSync(folder, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

/** A file's text without a byte order mark and with LF line endings, or null (and a diagnostic) when it cannot be read. */
function readText(root: string, name: string, diagnostics: Diagnostic[], required: boolean, limits: Reading): string | null {
  const path = join(root, name);
  const refuse = (rule: string, message: string) => {
    diagnostics.push(diagnostic(name, { line: 1, column: 1 }, rule, message));
    return null;
  };
  const unsaved = limits.overlay?.get(name);
  if (unsaved !== undefined) {
    const size = Buffer.byteLength(unsaved);
    if (size > limits.fileBytes)
      return refuse("file-too-large", `\`${name}\` is ${megabytes(size)}, more than the ${megabytes(limits.fileBytes)} dmreport reads (limits.fileBytes in dmreport.yaml)`);
    const nul = unsaved.indexOf("\0");
    if (nul >= 0) return refuse("file-encoding", `\`${name}\` has a NUL character (at character ${nul}): it is not a text file`);
    return unsaved.replace(/^\uFEFF/, "").replace(/\r\n?/g, "\n");
  }
  let bytes: Buffer;
  try {
    const size = statSync(path).size;
    if (size > limits.fileBytes)
      return refuse("file-too-large", `\`${name}\` is ${megabytes(size)}, more than the ${megabytes(limits.fileBytes)} dmreport reads (limits.fileBytes in dmreport.yaml)`);
    bytes = readFileSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" && !required) return null;
    const why = code === "ENOENT" ? "the file does not exist" : code === "EISDIR" ? "it is a folder" : `it cannot be read (${code})`;
    return refuse("file-unreadable", `\`${name}\` is needed but ${why}`);
  }
  const nul = bytes.indexOf(0);
  if (nul >= 0) return refuse("file-encoding", `\`${name}\` has a NUL byte (at byte ${nul}): it is not a text file`);
  try {
    // One kind of line ending from here on: CRLF sources build byte-identical to LF ones, and
    // line and column numbers are the same either way.
    return utf8.decode(bytes).replace(/^\uFEFF/, "").replace(/\r\n?/g, "\n");
  } catch {
    return refuse("file-encoding", `\`${name}\` is not valid UTF-8 text: save it as UTF-8`);
  }
}

function megabytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
}

/** `file` relative to `root`, with forward slashes. */
export function sourcePath(root: string, file: string): string {
  return relative(root, file).split(sep).join("/");
}
