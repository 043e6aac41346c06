/** The build: load → validate → merge → render → write, composed in one place. */
import { existsSync, realpathSync, statSync } from "node:fs";
import { isAbsolute, relative, resolve } from "node:path";
import { endOfMonth } from "./core/calendar.js";
import { hasErrors, sortDiagnostics, type Diagnostic } from "./core/diagnostics.js";
import { checkNotStopped, UsageError } from "./core/errors.js";
import { requireSourceRoot, listMonths, loadSource, SOURCE_FILES } from "./load/index.js";
import { SourceFiles } from "./load/source-files.js";
import { mergeReport, type ReportTree } from "./merge/index.js";
import type { Project } from "./core/model.js";
import { VERSION } from "./core/package-root.js";
import { committedFolders } from "./core/committed-folders.js";
import { findBrowser, printPdf, PrintError } from "./pdf/index.js";
import { renderReport, TEXT_FORMATS, type RenderedContents, type RenderedFile, type TextFormat } from "./render/index.js";
import type { TemplateOverrides } from "./render/templates.js";
import { missingMonth, validateSource } from "./validate/index.js";
import { writeOutputs, type OutputFile } from "./write/index.js";
import { checkPublishedMonth, monthReads, publishedFormats } from "./publish/guard.js";
import { configAt } from "./core/structure.js";

export { UsageError } from "./core/errors.js";
export { VERSION } from "./core/package-root.js";

export interface BuildOptions {
  /** A folder in the source (or a file in it); the root is the nearest folder with dmreport.yaml. */
  source?: string;
  /** YYYY-MM; the latest month of the source when absent. */
  month?: string;
  /** Formats to write; the config's `output.formats` when absent. */
  formats?: readonly string[];
  /** Output folder; `build/` in the source root when absent. */
  out?: string;
  /** When false, render but write nothing. */
  write?: boolean;
  /** Aborted (by a signal) to stop the build before it writes anything. */
  signal?: AbortSignal;
  /**
   * The user's private folder to keep things in between runs (`privateCacheFolder()`): earlier
   * months' milestone history; for `buildAll`, each month's parsed and rendered content too.
   */
  cache?: string;
  /** `buildAll`: every month built anew, reusing nothing kept by earlier builds (what they keep is made anew). */
  fresh?: boolean;
}

export interface BuildResult {
  /** Every problem found, errors and warnings, in file order. */
  diagnostics: Diagnostic[];
  /** The source root found. */
  root: string;
  /** The month built (when one could be chosen). */
  month?: string;
  tree?: ReportTree;
  rendered: RenderedFile[];
  /** Absolute paths of the files written. */
  written: string[];
}

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

/** Every format dmreport writes, with its file extension. */
export const FORMATS = { ...TEXT_FORMATS, pdf: ".pdf" } as const;
export type Format = keyof typeof FORMATS;

/** Where and what a build writes, once the command line has been checked. */
export interface BuildPlan {
  root: string;
  out: string;
  /** Formats named on the command line; the config's when undefined. */
  formats?: Format[];
}

/** Check the options every build shares; usage problems throw UsageError. */
export function planBuild(options: BuildOptions): BuildPlan {
  const start = resolve(options.source ?? ".");
  if (!existsSync(start)) throw new UsageError(`${options.source} does not exist`);
  const root = requireSourceRoot(start, "dmreport", "name its folder");
  if (options.month !== undefined && !MONTH.test(options.month))
    throw new UsageError(`--month must be a month like 2017-12, got ${options.month}`);
  const requested = options.formats?.map((format) => format.trim()).filter(Boolean);
  for (const format of requested ?? [])
    if (!(format in FORMATS)) throw new UsageError(`unknown format ${format}: choose from ${Object.keys(FORMATS).join(", ")}`);
  const out = resolve(options.out ?? resolve(root, "build"));
  guardOutput(root, out);
  return { root, out, formats: requested ? ([...new Set(requested)] as Format[]) : undefined };
}

/** Build one month's report. Content problems come back as diagnostics; usage problems throw UsageError. */
export async function build(options: BuildOptions = {}): Promise<BuildResult> {
  const plan = planBuild(options);
  const { root } = plan;
  const result: BuildResult = { diagnostics: [], root, rendered: [], written: [] };
  const finish = (diagnostics: Diagnostic[]) => ({ ...result, diagnostics: sortDiagnostics(diagnostics) });

  const months = listMonths(root);
  const month = options.month ?? months[months.length - 1];
  if (!month || !months.includes(month)) return finish([missingMonth(month ?? "YYYY-MM", months)]);
  result.month = month;
  // The month's fragments are read whole; earlier months only for their milestones (the burndown).
  const { source, diagnostics } = loadSource(root, { months: [month], history: true, cache: options.cache });
  const { project, diagnostics: problems } = validateSource(source);
  const all = [...diagnostics, ...problems];
  if (!project || hasErrors(all)) return finish(all);

  const formats = plan.formats ?? (project.config.output.formats as Format[]);
  // A published month is built as it was published, or not written at all: every output it
  // published is rendered and checked, whatever formats are asked (a PDF through its print output).
  const checked = publishedFormats(project.published, month);
  const reads = checked.length ? monthReads(project, new SourceFiles(root), month) : undefined;
  const produced = await produceMonth(project, month, [...new Set([...formats, ...checked])], options.write !== false, (outputs) =>
    checkPublishedMonth(project.published, month, outputs, reads),
  );
  Object.assign(result, { tree: produced.tree, rendered: produced.rendered.filter((file) => formats.includes(file.format)) });
  all.push(...produced.diagnostics);
  if (hasErrors(all) || options.write === false) return finish(all);
  await checkNotStopped(options.signal);
  result.written = writeOutputs(
    plan.out,
    produced.outputs.filter((output) => formats.includes(output.format)),
  );
  return finish(all);
}

/** A month rendered in every format asked for, ready to write. */
export interface ProducedMonth {
  tree: ReportTree;
  rendered: RenderedFile[];
  /** The files to write, each with the format it is in. */
  outputs: (OutputFile & { format: Format })[];
  diagnostics: Diagnostic[];
}

/**
 * Merge and render one month of a checked project in the text formats `formats`, and in `also`
 * (rendered, not among the outputs: the print format a PDF is printed from); `tree`, the month
 * merged once, when it is rendered format by format.
 */
export function renderMonth(
  project: Project,
  month: string,
  formats: readonly TextFormat[],
  also: readonly TextFormat[] = [],
  tree: ReportTree = mergeReport(project, month),
  contents?: RenderedContents,
): ProducedMonth {
  // Rendered with the templates in force that month.
  const config = configAt(project.config, month);
  const { files, diagnostics } = renderReport(tree, [...formats, ...also.filter((format) => !formats.includes(format))], {
    links: config.links,
    remoteImages: config.output.remoteImages,
    locale: config.locale,
    pageSize: config.output.pageSize,
    generator: `dmreport ${VERSION}`,
    show: config.milestones.show,
    templates: templateOverrides(project, config.templates),
    contents,
  });
  const name = config.output.name.replace(/\{month\}/g, month);
  const outputs: ProducedMonth["outputs"] = files
    .filter((file) => formats.includes(file.format))
    .map((file) => ({ name: name + file.extension, content: file.content, format: file.format }));
  return { tree, rendered: files, outputs, diagnostics };
}

/**
 * Merge, render and (for PDF) print one month of a checked project. `guard` checks the text
 * outputs before the PDF is printed: its errors stop the printing. `contents`: fragment content
 * rendered in an earlier run, not rendered again.
 */
export async function produceMonth(
  project: Project,
  month: string,
  formats: readonly Format[],
  print = true,
  guard?: (outputs: ProducedMonth["outputs"]) => Diagnostic[],
  contents?: RenderedContents,
): Promise<ProducedMonth> {
  const config = configAt(project.config, month);
  // Look for the browser before any work, so that a machine without one fails at once.
  let browser: string | undefined;
  if (formats.includes("pdf")) {
    const found = findBrowser(config.output.browser, process.env, committedFolders(project.root));
    if ("problem" in found) throw new UsageError(found.problem);
    browser = found.path;
  }
  const textFormats = formats.filter((format): format is TextFormat => format !== "pdf");
  // The PDF is printed from the print format, rendered for it if not asked for itself.
  const {
    tree,
    rendered: files,
    outputs,
    diagnostics,
  } = renderMonth(project, month, textFormats, browser ? ["print"] : [], undefined, contents);
  if (guard && !hasErrors(diagnostics)) diagnostics.push(...guard(outputs));
  const name = config.output.name.replace(/\{month\}/g, month);
  if (browser && print && !hasErrors(diagnostics)) {
    const printHtml = files.find((file) => file.format === "print")!;
    try {
      const pdf = await printPdf(
        printHtml.content,
        browser,
        {
          title: `${tree.title} – ${tree.monthLabel}`,
          subject: tree.subject ?? `${tree.title}, ${tree.monthLabel}`,
          author: tree.organisation,
          creator: `dmreport ${VERSION}`,
          language: config.locale,
          date: documentDate(month),
        },
        { remoteImages: config.output.remoteImages },
      );
      outputs.push({ name: name + FORMATS.pdf, content: pdf, format: "pdf" });
    } catch (error) {
      if (error instanceof PrintError) throw new UsageError(error.message);
      throw error;
    }
  }
  return { tree, rendered: files, outputs, diagnostics };
}

/** The source's template overrides in `folder` (a folder of `config.templateFolders`), as read by the load stage. */
export function templateOverrides(project: Project, folder: string | undefined): TemplateOverrides | undefined {
  if (!folder) return undefined;
  return { files: project.templates.get(folder) ?? new Map(), shown: relative(project.root, folder) || "." };
}

/**
 * The date stamped in documents: SOURCE_DATE_EPOCH when set (reproducible builds), otherwise
 * the last day of the report month, never the wall clock.
 */
function documentDate(month: string): Date {
  const epoch = Number(process.env.SOURCE_DATE_EPOCH);
  if (process.env.SOURCE_DATE_EPOCH && Number.isFinite(epoch)) return new Date(epoch * 1000);
  return new Date(`${endOfMonth(month)}T12:00:00Z`);
}

/** Refuse an output folder that is the source or holds it: a build must never write over sources. */
function guardOutput(root: string, out: string): void {
  const real = (path: string) => {
    let existing = path;
    while (!existsSync(existing)) existing = resolve(existing, "..");
    return resolve(realpathSync(existing), relative(existing, path));
  };
  const fromOut = relative(real(out), realpathSync(root));
  if (fromOut === "" || (!fromOut.startsWith("..") && !isAbsolute(fromOut)))
    throw new UsageError(
      `--out ${out} is the report source or a folder above it; choose a folder for the outputs alone, such as ${resolve(root, "build")}`,
    );
  // The source's own folders (months/...) are not output folders either.
  const fromRoot = relative(realpathSync(root), real(out));
  if (fromRoot.split(/[\\/]/)[0] === SOURCE_FILES.months)
    throw new UsageError(`--out ${out} is inside the source's months/ folder; choose another folder`);
  // A file where the folder (or one above it) should be.
  let existing = out;
  while (!existsSync(existing)) existing = resolve(existing, "..");
  if (!statSync(existing).isDirectory())
    throw new UsageError(
      `--out ${out}: ${existing === out ? "it is" : `${existing} is`} a file, not a folder; choose a folder for the outputs`,
    );
}
