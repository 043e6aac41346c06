/**
 * The guard of published months, wherever a change can come in: what a month's outputs are made
 * from (its reads, recorded when it is published), which published months a change touches, and
 * every output of such a month rendered again and compared with what was published (the PDF
 * through the print output it is printed from, images through their digests).
 */
import { relative } from "node:path";
import type { Root } from "mdast";
import { visit } from "unist-util-visit";
import { diagnostic, type Diagnostic } from "../core/diagnostics.js";
import { IMAGE_FILE, SOURCE_FILES } from "../load/index.js";
import type { SourceFiles } from "../load/source-files.js";
import { locate } from "../load/yaml-source.js";
import { reportsOf } from "../milestones/state.js";
import type { Fragment, MilestoneReport, Project } from "../core/model.js";
import { VERSION } from "../core/package-root.js";
import { configAt } from "../core/structure.js";
import type { LocalImage } from "../validate/images.js";
import { checkAgainstPublished, digestInput, PUBLISHED_FORMATS, type PublishRecord } from "../validate/publish-record.js";

/** The reads that are no file: the statuses the months before report, and the dmreport that rendered it. */
export const EARLIER_STATUSES = "(earlier statuses)";
/** The months before it in the source: its "Changes since" and the forecast history read them. */
export const EARLIER_MONTHS = "(earlier months)";
export const DMREPORT = "(dmreport)";
/** Every read that is no file. */
export const PSEUDO_READS: ReadonlySet<string> = new Set([EARLIER_STATUSES, EARLIER_MONTHS, DMREPORT]);

/** The images a month's fragments show (as validate marked them), by path in the source. */
export function imagesShown(fragments: readonly Fragment[]): string[] {
  const paths = new Set<string>();
  const roots: Root[] = fragments.flatMap((fragment) => [
    ...(fragment.kind === "wbs" ? [...fragment.sections.values()].map((section) => section.content) : [fragment.content]),
    ...fragment.milestones.flatMap((status) => (status.note ? [status.note] : [])),
  ]);
  for (const root of roots)
    visit(root, (node) => {
      const image = (node.data as { dmreportImage?: LocalImage } | undefined)?.dmreportImage;
      if (image) paths.add(image.path);
    });
  return [...paths].sort();
}

/** The digest of the statuses `reports` give, whatever fragment gave them. */
export function statusesDigest(reports: readonly MilestoneReport[]): string {
  const lines = reports
    .map((report) => [report.month, report.id, report.status, report.completed ?? "", report.forecast ?? ""].join("\t"))
    .sort();
  return digestInput(lines.join("\n"));
}

/** The statuses the months before `month` report, as the project knows them. */
export function statusesBefore(project: Pick<Project, "history" | "fragments">, month: string): MilestoneReport[] {
  return [
    ...project.history.filter((report) => report.month < month),
    ...reportsOf(project.fragments.filter((fragment) => fragment.month < month)),
  ];
}

/**
 * What `month`'s outputs are made from, by name: the short digest of each file (the config, the
 * WBS tree, the register, the month's fragments and the images they show, the schedule snapshots
 * up to the month, the templates in force), of the earlier months' statuses, and dmreport's version.
 */
export function monthReads(
  project: Project,
  files: SourceFiles,
  month: string,
  overlay?: ReadonlyMap<string, string>,
): Map<string, string> {
  const reads = new Map<string, string>();
  const digestOf = (name: string) => {
    const digest = fileDigest(files, name, overlay);
    if (digest !== undefined) reads.set(name, digest);
  };
  for (const name of [SOURCE_FILES.config, SOURCE_FILES.wbs, SOURCE_FILES.milestones]) digestOf(name);
  const own = project.fragments.filter((fragment) => fragment.month === month);
  for (const fragment of own) digestOf(fragment.file);
  for (const image of imagesShown(own)) digestOf(image);
  for (const snapshot of project.schedule) if (snapshot.month <= month) digestOf(`${SOURCE_FILES.schedule}/${snapshot.month}.yaml`);
  for (const name of templateFiles(project, month)) digestOf(name);
  reads.set(EARLIER_STATUSES, statusesDigest(statusesBefore(project, month)));
  reads.set(EARLIER_MONTHS, digestInput(project.months.filter((other) => other < month).join("\n")));
  reads.set(DMREPORT, VERSION);
  return new Map([...reads].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** The short digest of a file's bytes (an editor's unsaved text stands in for it), or undefined when it cannot be read. */
export function fileDigest(files: SourceFiles, name: string, overlay?: ReadonlyMap<string, string>): string | undefined {
  const unsaved = overlay?.get(name);
  if (unsaved !== undefined) return digestInput(unsaved);
  const read = files.readBytes(name, Number.MAX_SAFE_INTEGER);
  return "bytes" in read ? digestInput(read.bytes) : undefined;
}

/** The template files in force in `month`, by path in the source. */
function templateFiles(project: Project, month: string): string[] {
  const folder = configAt(project.config, month).templates;
  if (!folder) return [];
  const inSource = relative(project.root, folder).split("\\").join("/");
  return [...(project.templates.get(folder)?.keys() ?? [])].map((name) => (inSource ? `${inSource}/${name}` : name)).sort();
}

/**
 * The names whose digest now differs from what `month` read when it was published (files changed,
 * gone or new), the given `first` ones first. Empty: nothing it read has changed.
 */
export function changedReads(
  recorded: ReadonlyMap<string, string>,
  now: ReadonlyMap<string, string>,
  first: ReadonlySet<string> = new Set(),
): string[] {
  const changed = new Set<string>();
  for (const [name, digest] of recorded) if (now.get(name) !== digest) changed.add(name);
  // A read that is no file and that an earlier record did not keep is not known to have changed.
  for (const name of now.keys()) if (!recorded.has(name) && !PSEUDO_READS.has(name)) changed.add(name);
  return [...changed].sort((a, b) => Number(first.has(b)) - Number(first.has(a)) || rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
}

/** The order in which changed reads are named: what a lead edits first (fragments, images), what the project office edits last. */
function rank(name: string): number {
  if (name.startsWith(`${SOURCE_FILES.months}/`)) return 0;
  if (IMAGE_FILE.test(name)) return 1;
  if (name === SOURCE_FILES.milestones || name.startsWith(`${SOURCE_FILES.schedule}/`)) return 2;
  if (name === SOURCE_FILES.config || name === SOURCE_FILES.wbs) return 4;
  if (PSEUDO_READS.has(name)) return 5;
  return 3;
}

/** One rendered text output of a month. */
export interface TextOutput {
  name: string;
  format: string;
  content: string | Uint8Array;
}

/**
 * The published-changed errors of `month`: each of its `outputs` (every published format) against
 * the record, and each image the month showed when published whose bytes differ now (the
 * Markdown names its images; the HTML formats carry them, so their own digests tell). Each error
 * stands at `at` when given: the file that changed.
 */
export function checkPublishedMonth(
  record: PublishRecord | undefined,
  month: string,
  outputs: readonly TextOutput[],
  reads: ReadonlyMap<string, string> | undefined,
  at?: { file: string; line: number; column: number },
): Diagnostic[] {
  const entry = record?.months.get(month);
  if (!entry) return [];
  const found = checkAgainstPublished(record, month, outputs, at, entry.reads && reads ? causeOf(entry.reads, reads) : undefined);
  const markdown = outputs.find((output) => output.format === "md");
  if (markdown && entry.outputs.md && entry.reads && reads && !found.some((problem) => problem.message.includes(` ${markdown.name} `))) {
    for (const [name, digest] of entry.reads) {
      if (!IMAGE_FILE.test(name) || reads.get(name) === undefined || reads.get(name) === digest) continue;
      const message =
        `${month} was published on ${entry.published} (dmreport ${entry.dmreport}), and the image ${name}, which ${markdown.name} shows, now differs from what was published: ` +
        `restore it, or accept the new image with \`dmreport publish --month ${month}\``;
      found.push(diagnostic(at?.file ?? name, at ?? { line: 1, column: 1 }, "published-changed", message));
    }
  }
  return found;
}

/** What changed since `recorded`, in words: the files by name, then the reads that are no file. */
function causeOf(recorded: ReadonlyMap<string, string>, now: ReadonlyMap<string, string>): string | undefined {
  const changed = changedReads(recorded, now);
  if (!changed.length) return undefined;
  const files = changed.filter((name) => !PSEUDO_READS.has(name));
  const words = [
    ...files.slice(0, 3).map((name) => (now.has(name) ? (recorded.has(name) ? name : `${name} (newly read)`) : `${name} (no longer read)`)),
    ...(files.length > 3 ? [`${files.length - 3} more file${files.length === 4 ? "" : "s"}`] : []),
    ...(changed.includes(EARLIER_STATUSES) ? ["the statuses earlier months report"] : []),
    ...(changed.includes(EARLIER_MONTHS) ? ["the months before it"] : []),
    ...(changed.includes(DMREPORT) ? [`dmreport itself (${recorded.get(DMREPORT) ?? "?"} then, ${now.get(DMREPORT)} now)`] : []),
  ];
  return words.length === 1 ? words[0] : `${words.slice(0, -1).join(", ")} and ${words.at(-1)}`;
}

/** The formats a published month's outputs are checked in, whatever a build writes. */
export function publishedFormats(record: PublishRecord | undefined, month: string): (typeof PUBLISHED_FORMATS)[number][] {
  const entry = record?.months.get(month);
  return entry ? PUBLISHED_FORMATS.filter((format) => entry.outputs[format]) : [];
}

/** Where an error about the record itself stands: the month's entry in published.yaml. */
export function recordPlace(record: PublishRecord, month: string): { file: string; line: number; column: number } {
  return { file: record.source.file, ...locate(record.source, ["months", month]) };
}

/** An error for each published month whose folder is gone: the month cannot be built as it was filed. */
export function goneMonths(record: PublishRecord | undefined, months: readonly string[]): Diagnostic[] {
  if (!record) return [];
  return [...record.months.keys()]
    .filter((month) => !months.includes(month))
    .sort()
    .map((month) => {
      const entry = record.months.get(month)!;
      return diagnostic(
        record.source.file,
        recordPlace(record, month),
        "published-changed",
        `${month} was published on ${entry.published} (dmreport ${entry.dmreport}), but its folder ${SOURCE_FILES.months}/${month}/ is gone: restore it (git checkout), ` +
          `or take the month back on purpose by removing its lines from published.yaml and ${SOURCE_FILES.publishedDetails}/${month}.yaml`,
      );
    });
}
