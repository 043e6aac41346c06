/** Lint: the build's checks over a whole source, or over given files judged in their source's context. */
import { existsSync, statSync } from "node:fs";
import { dirname, isAbsolute, resolve } from "node:path";
import { hasErrors, sortDiagnostics, type Diagnostic } from "./core/diagnostics.js";
import { findSourceRoot, IMAGE_FILE, listMonths, loadSource, requireSourceRoot, SOURCE_FILES } from "./load/index.js";
import { ParseMemo } from "./load/memo.js";
import { SourceFiles, sourcePath } from "./load/source-files.js";
import { goneMonths } from "./publish/guard.js";
import { lintPublished } from "./publish/lint.js";
import { DETAILS_FOLDER } from "./validate/publish-record.js";
import { validateSource } from "./validate/index.js";
import type { Project } from "./core/model.js";

export interface LintOptions {
  /** Files to lint (as pre-commit passes staged paths); the whole source around `cwd` when empty. */
  files?: readonly string[];
  cwd?: string;
  /** Today, YYYY-MM-DD; the clock's date when absent. */
  today?: string;
  /** A folder to cache earlier months' milestone history in between runs (`privateCacheFolder()`). */
  cache?: string;
  /**
   * Parse results kept between calls, by source root (the lint server's): a file whose text is
   * unchanged is not parsed again. Roots not in the map are added to it.
   */
  memos?: Map<string, ParseMemo>;
  /** Texts that stand in for files on disk, by absolute path (an editor's unsaved buffers). */
  overlay?: ReadonlyMap<string, string>;
}

/** The diagnostics of one report source. */
export interface LintedSource {
  root: string;
  /** Diagnostics of the files linted, paths relative to `root`. */
  diagnostics: Diagnostic[];
  /** How many files were linted. */
  files: number;
}

export interface LintResult {
  sources: LintedSource[];
  /** Paths given that name no file of a report source: missing, not in a source, or not a file dmreport reads. */
  unmatched: UnmatchedPath[];
}

/** A path given to lint that names no file of a report source, and why. */
export interface UnmatchedPath {
  /** The path as given. */
  given: string;
  /** What is wrong with it, in a sentence that starts with the path. */
  reason: string;
}

const TOP_FILES = new Set<string>([SOURCE_FILES.config, SOURCE_FILES.wbs, SOURCE_FILES.milestones, SOURCE_FILES.published]);
const FRAGMENT = /^months\/\d{4}-\d{2}\/(?:.+\/)?[^/]+\.md$/;
/**
 * Files besides the top ones whose change can touch any month: the source is linted whole. So
 * is it for an image (IMAGE_FILE): a fragment anywhere may show it, a published month's among them.
 */
const WHOLE_SOURCE_FILES = /^(?:schedule\/\d{4}-\d{2}\.yaml|\.dmreport\/schemas\/[^/]+\.json|\.dmreport\/published\/\d{4}-\d{2}\.yaml)$/;

/** What a source's files are, for people who named one that is not. */
const WHAT_LINT_READS =
  "lint reads fragments (months/YYYY-MM/*.md), dmreport.yaml, wbs.yaml, milestones.yaml, published.yaml, schedule/YYYY-MM.yaml, .dmreport/published/YYYY-MM.yaml, images and the template folders dmreport.yaml names";

/** True for a file lint judges: `dmreport.yaml`, `wbs.yaml`, `milestones.yaml`, `published.yaml` or a fragment, at `path` in `root`. */
export function isLintable(root: string, path: string): boolean {
  const inSource = sourcePath(root, path);
  return TOP_FILES.has(inSource) || FRAGMENT.test(inSource);
}

/** Lint files, or the whole source around `cwd`. Usage problems throw UsageError. */
export function lint(options: LintOptions = {}): LintResult {
  const cwd = resolve(options.cwd ?? ".");
  if (!options.files?.length) {
    const root = requireSourceRoot(cwd, "dmreport lint", "name files");
    return { sources: [lintWhole(root, options.today, memoOf(options.memos, root), overlayOf(options.overlay, root))], unmatched: [] };
  }

  // For each source: the fragments given, whether it is linted whole, and the other files given (templates, perhaps).
  const bySource = new Map<
    string,
    { fragments: Set<string>; whole: boolean; others: { given: string; inSource: string; folder?: boolean }[] }
  >();
  const unmatched: UnmatchedPath[] = [];
  const of = (root: string) => {
    const found = bySource.get(root) ?? { fragments: new Set<string>(), whole: false, others: [] };
    bySource.set(root, found);
    return found;
  };
  for (const given of options.files) {
    const path = resolve(cwd, given);
    const unsaved = options.overlay?.has(path) ?? false;
    if (!unsaved && !existsSync(path)) {
      unmatched.push({ given, reason: `${given} does not exist` });
      continue;
    }
    const folder = !unsaved && statSync(path).isDirectory();
    const root = findSourceRoot(folder ? path : dirname(path));
    if (!root) {
      unmatched.push({
        given,
        reason: `${given} is not in a report source: there is no ${SOURCE_FILES.config} in its folder or any folder above it`,
      });
      continue;
    }
    const inSource = sourcePath(root, path);
    if (folder) {
      const fragments = inSource === "" ? [] : fragmentsUnder(root, inSource);
      if (inSource === "" || inSource === SOURCE_FILES.schedule) of(root).whole = true;
      else if (fragments.length) for (const fragment of fragments) of(root).fragments.add(fragment);
      // A template folder, perhaps; the source's reading tells.
      else of(root).others.push({ given, inSource, folder: true });
    } else if (FRAGMENT.test(inSource)) of(root).fragments.add(inSource);
    else if (TOP_FILES.has(inSource) || WHOLE_SOURCE_FILES.test(inSource) || IMAGE_FILE.test(inSource)) of(root).whole = true;
    else of(root).others.push({ given, inSource });
  }

  const sources: LintedSource[] = [];
  for (const [root, given] of bySource) {
    const memo = memoOf(options.memos, root);
    const overlay = overlayOf(options.overlay, root);
    if (given.others.length) {
      // Only a template among them makes the source's whole lint worth it; others name nothing it reads.
      const isTemplate = templateMatcher(root);
      for (const other of given.others) {
        if (isTemplate(other.inSource)) given.whole = true;
        else
          unmatched.push({
            given: other.given,
            reason: `${other.given} is ${other.folder ? "a folder that holds no fragment or template" : "not a file dmreport reads"}; ${WHAT_LINT_READS}`,
          });
      }
    }
    // A change to the config, the WBS tree or the register can break any fragment: lint it all.
    if (given.whole) sources.push(lintWhole(root, options.today, memo, overlay));
    else if (given.fragments.size) sources.push(lintFragments(root, given.fragments, options, memo, overlay));
  }
  return { sources, unmatched };
}

/** The fragments given, judged with their months and the source's register. */
function lintFragments(
  root: string,
  files: Set<string>,
  options: LintOptions,
  memo: ParseMemo | undefined,
  overlay: ReadonlyMap<string, string> | undefined,
): LintedSource {
  const months = [...new Set([...files].map((file) => file.split("/")[1]!))].sort();
  // The other fragments of those months are read for their frontmatter only (duplicates,
  // milestones); but those of one published month whole, as its build reads them, so that the
  // guard of published months renders it from what is loaded here.
  const published = months.length === 1 && "stat" in new SourceFiles(root).locate(`${DETAILS_FOLDER}/${months[0]}.yaml`);
  const { source, diagnostics } = loadSource(root, {
    months,
    history: true,
    bodies: published ? undefined : files,
    cache: options.cache,
    memo,
    overlay,
  });
  // The project even with errors: a published month is guarded whatever else is wrong (each is loaded as its build loads it).
  const { project, diagnostics: problems } = validateSource(source, { today: options.today, tolerated: () => true });
  const clean = !hasErrors([...diagnostics, ...problems]);
  // A fragment of a published month, or of one before it, must leave that month's outputs as published.
  // A published month whose only errors are in the files linted cannot build because of them: lint reports them as they are.
  const brokenHere =
    published && !clean && [...diagnostics, ...problems].every((found) => found.severity !== "error" || files.has(found.file));
  if (project && !brokenHere)
    problems.push(
      ...lintPublished(root, project, {
        files,
        memo,
        overlay,
        cache: options.cache,
        today: options.today,
        ...(published && clean && { loaded: months[0] }),
      }),
    );
  // Errors in the config, the WBS tree or the register are reported too: they keep the files
  // given from being judged, and a hook must not pass what it could not check.
  const own = [...diagnostics, ...problems].filter(
    (found) =>
      (files.has(found.file) ||
        (TOP_FILES.has(found.file) &&
          (found.severity === "error" || found.rule === "checks-skipped" || found.rule === "published-changed"))) &&
      !filedWarning(project, found),
  );
  return { root, diagnostics: sortDiagnostics(own), files: files.size };
}

/** The fragments (paths in the source) under the folder `folder` of the source at `root`. */
function fragmentsUnder(root: string, folder: string, files = new SourceFiles(root)): string[] {
  // Links to folders are not followed, as the load stage does not (a link to `.` would never end).
  return files
    .list(folder)
    .flatMap((entry) =>
      entry.kind === "folder" && !entry.link
        ? fragmentsUnder(root, entry.path, files)
        : entry.kind === "file" && FRAGMENT.test(entry.path)
          ? [entry.path]
          : [],
    );
}

/**
 * Whether `inSource` is a template folder the source's dmreport.yaml names, a format folder in
 * one, or a template file in that (a `.hbs` or `.css`), readable or not: its lint is the source's.
 */
function templateMatcher(root: string): (inSource: string) => boolean {
  const { source } = loadSource(root, { months: [] });
  return (inSource) =>
    source.templateFolders.some((folder) => {
      const inFolder =
        folder === ""
          ? inSource
          : inSource.startsWith(`${folder}/`)
            ? inSource.slice(folder.length + 1)
            : inSource === folder
              ? ""
              : undefined;
      return inFolder !== undefined && (inFolder === "" || /^[^/]+(?:\/[^/]+\.(?:hbs|css))?$/.test(inFolder));
    });
}

/** The memo of `root` in `memos`, made when it has none yet. */
function memoOf(memos: Map<string, ParseMemo> | undefined, root: string): ParseMemo | undefined {
  if (!memos) return undefined;
  // Memos kept between calls belong to a process that lives on (the lint server, the language server): it may watch.
  const memo = memos.get(root) ?? new ParseMemo(true);
  // Last used, last in the map: the server drops the sources at its front first.
  memos.delete(root);
  memos.set(root, memo);
  return memo;
}

/** The overlay's texts of files in `root`, by their path in the source. */
function overlayOf(overlay: ReadonlyMap<string, string> | undefined, root: string): Map<string, string> | undefined {
  if (!overlay?.size) return undefined;
  const inRoot = new Map<string, string>();
  for (const [path, text] of overlay) {
    const inSource = sourcePath(root, path);
    if (!inSource.startsWith("../") && inSource !== ".." && !isAbsolute(inSource)) inRoot.set(inSource, text);
  }
  return inRoot;
}

function lintWhole(
  root: string,
  today: string | undefined,
  memo: ParseMemo | undefined,
  overlay?: ReadonlyMap<string, string>,
): LintedSource {
  const { source, diagnostics } = loadSource(root, { memo, overlay });
  const { project, diagnostics: problems } = validateSource(source, { today, tolerated: () => true });
  // Every published month is rendered again, as its own build loads it, and compared with what was published.
  if (project) problems.push(...lintPublished(root, project, { memo, overlay, today }));
  problems.push(...goneMonths(project?.published, listMonths(root)));
  const files = source.fragments.length + [source.config, source.wbs, source.register, source.published].filter(Boolean).length;
  return { root, diagnostics: sortDiagnostics([...diagnostics, ...problems].filter((found) => !filedWarning(project, found))), files };
}

/**
 * A warning in a fragment of a published month: it cannot be acted on (the month is filed as it
 * is, and any edit of it is an error), so lint leaves it out, and `--max-warnings 0` stays usable.
 */
function filedWarning(project: Project | undefined, found: Diagnostic): boolean {
  if (found.severity === "error" || !project?.published) return false;
  const month = /^months\/(\d{4}-\d{2})\//.exec(found.file)?.[1];
  return month !== undefined && project.published.months.has(month);
}
