/** Load stage: find the source root and read its files into located, parsed sources. */
import { existsSync, statSync } from "node:fs";
import { dirname, join, posix, relative, resolve, sep } from "node:path";
import { diagnostic, type Diagnostic } from "../core/diagnostics.js";
import { UsageError } from "../core/errors.js";
import { parseFragmentSource, type FragmentSource } from "./fragment-source.js";
import type { MarkdownTrees } from "./markdown.js";
import { HistoryMemory, historyReader, statusesReported } from "./history.js";
import { parseOnce, type ParseMemo } from "./memo.js";
import type { MilestoneReport } from "../core/model.js";
import { parseYamlSource, plainValue, type YamlSource, type YamlTokens } from "./yaml-source.js";
import { megabytes, SourceFiles } from "./source-files.js";

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
  /** Each published month's details (`dmreport publish`): `.dmreport/published/YYYY-MM.yaml`. */
  publishedDetails: ".dmreport/published",
} as const;

/** A file name of an image a fragment may show. */
export const IMAGE_FILE = /\.(png|jpe?g|gif|webp|svg)$/i;
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
export function limitsOf(config: YamlSource | null): Limits {
  const raw = (config ? (plainValue(config).value as { limits?: Partial<Limits> } | undefined) : undefined)?.limits;
  const number = (value: unknown, fallback: number) =>
    typeof value === "number" && Number.isInteger(value) && value > 0 ? value : fallback;
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
  /** The published months' details, in file order. */
  publishedDetails: YamlSource[];
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
  /**
   * The template overrides of each folder `templates` in dmreport.yaml names, by the folder's
   * absolute path: each file's text by its path in the folder (`html/report.css`).
   */
  templates: Map<string, Map<string, string>>;
  /** The template folders dmreport.yaml names, as paths in the source, whether or not they could be read. */
  templateFolders: string[];
}

export interface LoadOptions {
  /** Months whose fragments to read; all months when absent. */
  months?: readonly string[];
  /** Also read the frontmatter of the months before the first one asked for (milestone history). */
  history?: boolean;
  /** Read the fragments of the months asked for (true when absent); false: only the history before them. */
  fragments?: boolean;
  /** Parse the Markdown of these fragments only (paths as in diagnostics); read the others' frontmatter. */
  bodies?: ReadonlySet<string>;
  /** A folder where the history read may be cached between runs (see `privateCacheFolder`). */
  cache?: string;
  /** Parse results of an earlier load of this source in this process, reused for files whose text is unchanged. */
  memo?: ParseMemo;
  /** Syntax tokens of the config, WBS tree, register and publish record, kept from earlier runs. */
  tokens?: YamlTokens;
  /**
   * Texts that stand in for files, by path in the source (`months/2017-12/1.02C.03.md`): an
   * editor's unsaved buffers. A fragment here that is not on disk yet is read too.
   */
  overlay?: ReadonlyMap<string, string>;
}

/** How files are read: through the source's one door, within the limits, with the texts that stand in for files on disk. */
type Reading = Limits & { files: SourceFiles; overlay?: ReadonlyMap<string, string> };

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

/**
 * The source root at or above `start`, or a UsageError that says where none was found and what to
 * do: `command` is how dmreport was run there (`dmreport lint`), `or` another way out ("name files").
 */
export function requireSourceRoot(start: string, command = "dmreport", or?: string): string {
  const root = findSourceRoot(start);
  if (!root)
    throw new UsageError(
      `no ${SOURCE_FILES.config} found in ${resolve(start)} or any folder above it; run ${command} in a report source${or ? `, or ${or}` : ""}`,
    );
  return root;
}

/** Read and parse the source at `root`. Problems reading or parsing become diagnostics. */
export function loadSource(root: string, options: LoadOptions = {}): { source: LoadedSource; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const files = new SourceFiles(root);
  let limits: Reading = { ...DEFAULT_LIMITS, files, overlay: options.overlay };
  const readYaml = (name: string, required: boolean): YamlSource | null => {
    const text = readText(name, diagnostics, required, limits);
    if (text === null) return null;
    const parsed = parseOnce(options.memo, name, text, () => parseYamlSource(name, text, text, 0, options.tokens));
    diagnostics.push(...parsed.diagnostics);
    return parsed.source;
  };
  const config = readYaml(SOURCE_FILES.config, true);
  limits = { ...limitsOf(config), files, overlay: options.overlay };
  const wbs = readYaml(SOURCE_FILES.wbs, true);
  const register = readYaml(SOURCE_FILES.milestones, false);
  const published = readYaml(SOURCE_FILES.published, false);
  const publishedDetails = readPublishedDetails(diagnostics, limits, options.memo);

  const months = withOverlayMonths(monthFolders(files, diagnostics), options.overlay);
  const wanted = options.months ? months.filter((month) => options.months!.includes(month)) : months;
  const fragments = options.fragments === false ? [] : readFragments(wanted, diagnostics, options.bodies ?? true, limits, options.memo);
  // Problems in earlier months are lint's to report; here they only cost a month its history.
  const first = [...(options.months ?? [])].sort()[0];
  const history =
    options.history && first
      ? readHistory(
          root,
          months.filter((month) => month < first),
          limits,
          options.cache,
          options.memo,
        )
      : [];
  const last = options.months ? [...options.months].sort().reverse()[0] : undefined;
  const schedule = readSchedule(last, diagnostics, limits, options.memo);
  const schemaCopies = readSchemaCopies(limits, diagnostics);
  const templateFolders = templateFoldersOf(config);
  const templates = readTemplates(templateFolders, diagnostics, limits);
  return {
    source: {
      root,
      config,
      wbs,
      register,
      published,
      publishedDetails,
      months,
      fragments,
      history,
      schedule,
      incomplete: incompleteMonths(diagnostics),
      schemaCopies,
      templates,
      templateFolders: templateFolders.map((folder) => pathInSource(root, folder)),
    },
    diagnostics,
  };
}

/** The template folders a config names, read before it is checked (the checker reports a bad one), as paths in the source. */
function templateFoldersOf(config: YamlSource | null): string[] {
  const raw = (config ? (plainValue(config).value as { templates?: unknown } | undefined) : undefined)?.templates;
  const listed =
    typeof raw === "string" ? [raw] : Array.isArray(raw) ? raw.map((entry) => (entry as { folder?: unknown } | null)?.folder) : [];
  return listed.filter((folder): folder is string => typeof folder === "string");
}

/**
 * The texts of the template overrides in `folders` (`<folder>/<format>/<name>.hbs` and `.css`),
 * each read through the source's door: a template that is a link outside the source is reported
 * where it is, and never read. A folder that is missing or outside is the config check's to report.
 */
function readTemplates(folders: readonly string[], diagnostics: Diagnostic[], limits: Reading): Map<string, Map<string, string>> {
  const templates = new Map<string, Map<string, string>>();
  for (const written of folders) {
    const folder = pathInSource(limits.files.root, written);
    const absolute = resolve(limits.files.root, written);
    if (templates.has(absolute) || limits.files.checkFolder(folder)) continue;
    const texts = new Map<string, string>();
    for (const format of limits.files.list(folder)) {
      if (format.name.startsWith(".")) continue;
      if (format.kind === "refused") diagnostics.push(refusalAt(format.path, format.refusal!));
      if (format.kind !== "folder") continue;
      for (const entry of limits.files.list(format.path)) {
        if (!/\.(hbs|css)$/.test(entry.name)) continue;
        const text = readText(entry.path, diagnostics, true, limits);
        if (text !== null) texts.set(`${format.name}/${entry.name}`, text);
      }
    }
    templates.set(absolute, texts);
  }
  return templates;
}

/** A path as written in the config (relative to the root, or absolute) as a path in the source; it may climb out (`../x`), which the door refuses. */
export function pathInSource(root: string, written: string): string {
  const path = relative(root, resolve(root, written)).split(sep).join("/");
  return path === "" ? "" : posix.normalize(path);
}

/** The diagnostic for a file the door refused, at the file. */
function refusalAt(name: string, refusal: { rule: string; message: string }): Diagnostic {
  return diagnostic(name, { line: 1, column: 1 }, refusal.rule, refusal.message);
}

/** `months`, and the months of fragments that are only in the overlay so far (a new month's first unsaved file). */
function withOverlayMonths(months: string[], overlay: ReadonlyMap<string, string> | undefined): string[] {
  if (!overlay) return months;
  const more = [...overlay.keys()].flatMap((name) => /^months\/(\d{4}-(?:0[1-9]|1[0-2]))\/.+\.md$/.exec(name)?.[1] ?? []);
  return [...new Set([...months, ...more])].sort();
}

/** The text of each JSON file in the source's schema copies folder; one that leads outside the source is reported. */
function readSchemaCopies(limits: Reading, diagnostics: Diagnostic[]): Map<string, string> {
  const copies = new Map<string, string>();
  const folder = limits.files.checkFolder(SOURCE_FILES.schemaCopies);
  if (folder && !folder.missing) diagnostics.push(refusalAt(SOURCE_FILES.schemaCopies, folder));
  for (const entry of limits.files.list(SOURCE_FILES.schemaCopies)) {
    if (entry.kind === "refused" && entry.refusal!.rule === "file-outside-source") diagnostics.push(refusalAt(entry.path, entry.refusal!));
    if (entry.kind !== "file" || !entry.name.endsWith(".json")) continue;
    copies.set(entry.path, readText(entry.path, [], true, limits) ?? "");
  }
  return copies;
}

/** The months that have a file the load stage could not read as a fragment (any diagnostic on it). */
export function incompleteMonths(diagnostics: readonly Diagnostic[]): string[] {
  const months = diagnostics.flatMap((found) => /^months\/(\d{4}-\d{2})\//.exec(found.file)?.[1] ?? []);
  return [...new Set(months)].sort();
}

/** The published months' details (`.dmreport/published/*.yaml`); anything else there is reported. */
function readPublishedDetails(diagnostics: Diagnostic[], limits: Reading, memo?: ParseMemo): YamlSource[] {
  const details: YamlSource[] = [];
  const folder = limits.files.checkFolder(SOURCE_FILES.publishedDetails);
  if (folder && !folder.missing) diagnostics.push(refusalAt(SOURCE_FILES.publishedDetails, folder));
  for (const entry of limits.files.list(SOURCE_FILES.publishedDetails)) {
    if (entry.name.startsWith(".")) continue;
    if (entry.kind === "refused") {
      diagnostics.push(refusalAt(entry.path, entry.refusal!));
      continue;
    }
    if (entry.kind !== "file" || !SNAPSHOT_FILE.test(entry.name)) {
      diagnostics.push(
        diagnostic(
          entry.path,
          { line: 1, column: 1 },
          "publish-record",
          `\`${entry.path}\` is not a published month's details (${SOURCE_FILES.publishedDetails}/YYYY-MM.yaml, written by dmreport publish) and is not read`,
        ),
      );
      continue;
    }
    const text = readText(entry.path, diagnostics, true, limits);
    if (text === null) continue;
    const parsed = parseOnce(memo, entry.path, text, () => parseYamlSource(entry.path, text));
    diagnostics.push(...parsed.diagnostics);
    details.push(parsed.source);
  }
  return details;
}

/** The schedule snapshots up to `last` (every one when undefined); other files in schedule/ are reported. */
function readSchedule(last: string | undefined, diagnostics: Diagnostic[], limits: Reading, memo?: ParseMemo): YamlSource[] {
  const snapshots: YamlSource[] = [];
  for (const entry of limits.files.list(SOURCE_FILES.schedule)) {
    const name = entry.path;
    if (entry.name.startsWith(".")) continue;
    if (entry.kind === "refused") {
      diagnostics.push(refusalAt(name, entry.refusal!));
      continue;
    }
    const month = SNAPSHOT_FILE.exec(entry.name)?.[1];
    if (!month || entry.kind !== "file") {
      diagnostics.push(
        diagnostic(
          name,
          { line: 1, column: 1 },
          "schedule-file",
          `\`${name}\` is not a schedule snapshot (schedule/YYYY-MM.yaml, written by dmreport import-milestones --month) and is not read`,
        ),
      );
      continue;
    }
    if (last && month > last) continue;
    const text = readText(name, diagnostics, true, limits);
    if (text === null) continue;
    const parsed = parseOnce(memo, name, text, () => parseYamlSource(name, text));
    diagnostics.push(...parsed.diagnostics);
    snapshots.push(parsed.source);
  }
  return snapshots;
}

/**
 * The fragments of one month of a source whose config, WBS tree and register were loaded
 * already (an archive builds a month at a time): the config's limits are not read again. With
 * `trees`, the Markdown it keeps is not parsed again.
 */
export function loadMonth(
  source: Pick<LoadedSource, "root" | "config">,
  month: string,
  options: { bodies?: boolean; trees?: MarkdownTrees } = {},
): { fragments: FragmentSource[]; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const limits = { ...limitsOf(source.config), files: new SourceFiles(source.root) };
  return { fragments: readFragments([month], diagnostics, options.bodies ?? true, limits, undefined, options.trees), diagnostics };
}

function readFragments(
  months: readonly string[],
  diagnostics: Diagnostic[],
  bodies: boolean | ReadonlySet<string>,
  limits: Reading,
  memo?: ParseMemo,
  trees?: MarkdownTrees,
): FragmentSource[] {
  const fragments: FragmentSource[] = [];
  for (const month of months) {
    for (const name of fragmentFiles(limits.files, `${SOURCE_FILES.months}/${month}`, diagnostics, limits.overlay)) {
      const text = readText(name, diagnostics, true, limits);
      if (text === null) continue;
      const body = typeof bodies === "boolean" ? bodies : bodies.has(name);
      // Kept apart by how it was read: a lint of one file reads the others' frontmatter only, a
      // lint of the month reads them whole, and alternating between the two must not parse again.
      const parsed = parseOnce(memo, `${name} ${body ? "whole" : "frontmatter"}`, `${limits.nesting}\n${text}`, () =>
        parseFragmentSource(name, month, text, { body, nesting: limits.nesting, trees }),
      );
      diagnostics.push(...parsed.diagnostics);
      if (parsed.fragment) fragments.push(parsed.fragment);
    }
  }
  return fragments;
}

/** The milestone statuses reported in `months`, through the cache in `cache` when there is one. */
function readHistory(
  root: string,
  months: readonly string[],
  limits: Reading,
  cache: string | undefined,
  memo: ParseMemo | undefined,
): MilestoneReport[] {
  // What a fragment's statuses are depends on the limits it is read under: a cache made under others is not used.
  const context = `${limits.fileBytes} ${limits.nesting}`;
  if (memo) memo.history ??= new HistoryMemory(memo.watches);
  const memory = memo?.history;
  const started = Date.now();
  const statuses: MilestoneReport[] = [];
  const unsavedOf = (name: string, month: string) => {
    const text = readText(name, [], true, limits);
    const fragment = text === null ? undefined : parseFragmentSource(name, month, text, { body: false }).fragment;
    return fragment ? statusesReported(fragment) : [];
  };
  // Trusted for a moment after every file was last seen unchanged (the language server's keystrokes): no file is looked at.
  if (memory?.trusted(context, months, started)) {
    memory.trustedReads++;
    const overlaid = [...(limits.overlay?.keys() ?? [])].filter(
      (name) => name.startsWith(`${SOURCE_FILES.months}/`) && name.endsWith(".md"),
    );
    for (const month of months) {
      const folder = `${SOURCE_FILES.months}/${month}/`;
      const kept = memory.files.get(month)!;
      const unsaved = overlaid.filter((name) => name.startsWith(folder));
      if (!unsaved.length) {
        // The reports are frozen: a month's are handed out as they are, not copied.
        kept.reports ??= [...kept.names].sort().flatMap((name) => memory.entries.get(name)!.reports);
        for (const report of kept.reports) statuses.push(report);
        continue;
      }
      for (const name of new Set([...kept.names, ...unsaved].sort())) {
        if (limits.overlay?.has(name)) statuses.push(...unsavedOf(name, month));
        else statuses.push(...memory.entries.get(name)!.reports);
      }
    }
    return statuses;
  }
  const reader = historyReader(root, cache, context, memory);
  for (const month of months) {
    // Watched before it is listed, so that no change after the listing goes unseen.
    memory?.watch(month, join(root, SOURCE_FILES.months, month));
    const folderPrefix = `${SOURCE_FILES.months}/${month}/`;
    const names = fragmentFiles(limits.files, `${SOURCE_FILES.months}/${month}`, [], limits.overlay);
    const onDisk: string[] = [];
    // A month is answered from memory later only when every file of it on disk was kept.
    let complete = true;
    for (const name of names) {
      // An editor's unsaved text of an earlier month counts, as it will once saved; the cache is for files on disk.
      if (limits.overlay?.has(name)) {
        statuses.push(...unsavedOf(name, month));
        if (existsSync(join(root, name))) {
          onDisk.push(name);
          complete = false;
        }
        continue;
      }
      onDisk.push(name);
      // A fragment in a folder of the month: the month's watch does not see it change.
      if (name.indexOf("/", folderPrefix.length) !== -1) complete = false;
      statuses.push(
        ...reader.statusesOf(name, month, () => {
          const text = readText(name, [], true, { ...limits, overlay: undefined });
          return text === null ? undefined : parseFragmentSource(name, month, text, { body: false }).fragment;
        }),
      );
      complete &&= memory?.entries.has(name) ?? false;
    }
    if (complete) memory?.files.set(month, { names: onDisk, seen: started });
    else memory?.files.delete(month);
  }
  reader.save();
  return statuses;
}

/** The month folders of the source (months/YYYY-MM), sorted; anything else there is reported. */
export function listMonths(root: string, diagnostics: Diagnostic[] = []): string[] {
  return monthFolders(new SourceFiles(root), diagnostics);
}

function monthFolders(files: SourceFiles, diagnostics: Diagnostic[]): string[] {
  const refused = files.checkFolder(SOURCE_FILES.months);
  if (refused && !refused.missing) diagnostics.push(refusalAt(SOURCE_FILES.months, refused));
  const months: string[] = [];
  for (const entry of files.list(SOURCE_FILES.months)) {
    if (entry.name.startsWith(".")) continue;
    if (entry.kind === "refused" && entry.refusal!.rule === "file-outside-source") diagnostics.push(refusalAt(entry.path, entry.refusal!));
    else if (entry.kind === "folder" && !entry.link && MONTH_FOLDER.test(entry.name)) months.push(entry.name);
    else
      diagnostics.push(
        diagnostic(
          entry.path,
          { line: 1, column: 1 },
          "month-folder-name",
          `\`${entry.path}\` is not a month folder (months/YYYY-MM/); nothing in it is part of any report`,
        ),
      );
  }
  return months;
}

/**
 * The `.md` files under a month folder, in sorted path order. Other files, folders named `.md`,
 * and links that lead outside the source or nowhere are reported, never followed blindly.
 */
function fragmentFiles(files: SourceFiles, folder: string, diagnostics: Diagnostic[], overlay?: ReadonlyMap<string, string>): string[] {
  const found: string[] = [];
  const unsaved = overlay
    ? [...overlay.keys()].filter((name) => name.startsWith(`${folder}/`) && name.endsWith(".md") && !existsSync(join(files.root, name)))
    : [];
  if (unsaved.length && !existsSync(join(files.root, folder))) return unsaved.sort();
  for (const entry of files.list(folder)) {
    if (entry.name.startsWith(".")) continue;
    const name = entry.path;
    const report = (rule: string, message: string) => diagnostics.push(diagnostic(name, { line: 1, column: 1 }, rule, message));
    if (entry.kind === "refused") {
      if (entry.refusal!.rule === "file-outside-source") report(entry.refusal!.rule, entry.refusal!.message);
      else report("fragment-not-markdown", `\`${name}\` is a link that leads nowhere (or to itself) and is left out of the report`);
    } else if (entry.link) {
      if (entry.name.endsWith(".md") && entry.kind === "file") found.push(name);
      else report("fragment-not-markdown", `\`${name}\` is a link, not a fragment, and is left out of the report`);
    } else if (entry.kind === "folder") {
      if (entry.name.endsWith(".md"))
        report("fragment-not-markdown", `\`${name}\` is a folder, not a fragment; what is inside it is read as fragments`);
      found.push(...fragmentFiles(files, name, diagnostics, overlay));
    } else if (entry.name.endsWith(".md") && entry.kind === "file") found.push(name);
    // Images live beside the fragments that show them; they are not text that could go missing.
    else if (IMAGE_FILE.test(entry.name)) continue;
    else report("fragment-not-markdown", `\`${name}\` is not a fragment (fragments end in .md) and is left out of the report`);
  }
  // Unsaved new files directly in this folder (those deeper are in the folders listed above, if on disk).
  const direct = unsaved.filter((name) => !name.slice(folder.length + 1).includes("/"));
  return direct.length ? [...found, ...direct].sort() : found;
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

/** A file's text without a byte order mark and with LF line endings, or null (and a diagnostic) when it cannot be read. */
function readText(name: string, diagnostics: Diagnostic[], required: boolean, limits: Reading): string | null {
  const refuse = (rule: string, message: string) => {
    diagnostics.push(diagnostic(name, { line: 1, column: 1 }, rule, message));
    return null;
  };
  const unsaved = limits.overlay?.get(name);
  if (unsaved !== undefined) {
    const size = Buffer.byteLength(unsaved);
    if (size > limits.fileBytes)
      return refuse(
        "file-too-large",
        `\`${name}\` is ${megabytes(size)}, more than the ${megabytes(limits.fileBytes)} dmreport reads (limits.fileBytes in dmreport.yaml)`,
      );
    const nul = unsaved.indexOf("\0");
    if (nul >= 0) return refuse("file-encoding", `\`${name}\` has a NUL character (at character ${nul}): it is not a text file`);
    return unsaved.replace(/^\uFEFF/, "").replace(/\r\n?/g, "\n");
  }
  const read = limits.files.readBytes(name, limits.fileBytes);
  if ("refusal" in read) return read.refusal.missing && !required ? null : refuse(read.refusal.rule, read.refusal.message);
  const bytes = read.bytes;
  const nul = bytes.indexOf(0);
  if (nul >= 0) return refuse("file-encoding", `\`${name}\` has a NUL byte (at byte ${nul}): it is not a text file`);
  try {
    // One kind of line ending from here on: CRLF sources build byte-identical to LF ones, and
    // line and column numbers are the same either way.
    return utf8
      .decode(bytes)
      .replace(/^\uFEFF/, "")
      .replace(/\r\n?/g, "\n");
  } catch {
    return refuse("file-encoding", `\`${name}\` is not valid UTF-8 text: save it as UTF-8`);
  }
}
