/** Lint: the build's checks over a whole source, or over given files judged in their source's context. */
import { existsSync, statSync } from "node:fs";
import { dirname, isAbsolute, relative, resolve, sep } from "node:path";
import { UsageError } from "./errors.js";
import { sortDiagnostics, type Diagnostic } from "./diagnostics.js";
import { findSourceRoot, loadSource, ParseMemo, SOURCE_FILES } from "./load/index.js";
import { validateSource } from "./validate/index.js";

export interface LintOptions {
  /** Files to lint (as pre-commit passes staged paths); the whole source around `cwd` when empty. */
  files?: readonly string[];
  cwd?: string;
  /** Today, YYYY-MM-DD; the clock's date when absent. */
  today?: string;
  /** A folder to cache earlier months' milestone history in between runs (`userCacheFolder()`). */
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
  /** Files given that belong to no report source, or are not part of one (README.md...). */
  skipped: string[];
}

const TOP_FILES = new Set<string>([SOURCE_FILES.config, SOURCE_FILES.wbs, SOURCE_FILES.milestones, SOURCE_FILES.published]);
const FRAGMENT = /^months\/\d{4}-\d{2}\/(?:.+\/)?[^/]+\.md$/;

/** True for a file lint judges: `dmreport.yaml`, `wbs.yaml`, `milestones.yaml`, `published.yaml` or a fragment, at `path` in `root`. */
export function isLintable(root: string, path: string): boolean {
  const inSource = relative(root, path).split(sep).join("/");
  return TOP_FILES.has(inSource) || FRAGMENT.test(inSource);
}

/** Lint files, or the whole source around `cwd`. Usage problems throw UsageError. */
export function lint(options: LintOptions = {}): LintResult {
  const cwd = resolve(options.cwd ?? ".");
  if (!options.files?.length) {
    const root = findSourceRoot(cwd);
    if (!root) throw new UsageError(`no ${SOURCE_FILES.config} found in ${cwd} or any folder above it; run dmreport lint in a report source or name files`);
    return { sources: [lintWhole(root, options.today, memoOf(options.memos, root), overlayOf(options.overlay, root))], skipped: [] };
  }

  const byRoot = new Map<string, Set<string>>();
  const skipped: string[] = [];
  for (const given of options.files) {
    const path = resolve(cwd, given);
    const root = existsSync(path) && statSync(path).isDirectory() ? null : findSourceRoot(dirname(path));
    const inSource = root ? relative(root, path).split(sep).join("/") : "";
    if (!root || !(TOP_FILES.has(inSource) || FRAGMENT.test(inSource))) {
      skipped.push(given);
      continue;
    }
    byRoot.set(root, (byRoot.get(root) ?? new Set()).add(inSource));
  }

  const sources = [...byRoot].map(([root, files]) => {
    // A change to the config, the WBS tree or the register can break any fragment: lint it all.
    const memo = memoOf(options.memos, root);
    const overlay = overlayOf(options.overlay, root);
    if ([...files].some((file) => TOP_FILES.has(file))) return lintWhole(root, options.today, memo, overlay);
    const months = [...new Set([...files].map((file) => file.split("/")[1]!))].sort();
    // The other fragments of those months are read for their frontmatter only (duplicates, milestones).
    const { source, diagnostics } = loadSource(root, { months, history: true, bodies: files, cache: options.cache, memo, overlay });
    const { diagnostics: problems } = validateSource(source, { today: options.today });
    // Errors in the config, the WBS tree or the register are reported too: they keep the files
    // given from being judged, and a hook must not pass what it could not check.
    const own = [...diagnostics, ...problems].filter(
      (found) => files.has(found.file) || (TOP_FILES.has(found.file) && (found.severity === "error" || found.rule === "checks-skipped")),
    );
    return { root, diagnostics: sortDiagnostics(own), files: files.size };
  });
  return { sources, skipped };
}

/** The memo of `root` in `memos`, made when it has none yet. */
function memoOf(memos: Map<string, ParseMemo> | undefined, root: string): ParseMemo | undefined {
  if (!memos) return undefined;
  const memo = memos.get(root) ?? new ParseMemo();
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
    const inSource = relative(root, path).split(sep).join("/");
    if (!inSource.startsWith("../") && inSource !== ".." && !isAbsolute(inSource)) inRoot.set(inSource, text);
  }
  return inRoot;
}

function lintWhole(root: string, today: string | undefined, memo: ParseMemo | undefined, overlay?: ReadonlyMap<string, string>): LintedSource {
  const { source, diagnostics } = loadSource(root, { memo, overlay });
  const { diagnostics: problems } = validateSource(source, { today });
  const files = source.fragments.length + [source.config, source.wbs, source.register, source.published].filter(Boolean).length;
  return { root, diagnostics: sortDiagnostics([...diagnostics, ...problems]), files };
}
