/** `publish`: record a month's outputs as published, so that later builds must reproduce them. */
import { hasErrors, sortDiagnostics, type Diagnostic } from "../core/diagnostics.js";
import { produceMonth, planBuild } from "../build.js";
import { listMonths, loadSource, SOURCE_FILES } from "../load/index.js";
import { SourceFiles } from "../load/source-files.js";
import { VERSION } from "../core/package-root.js";
import { missingMonth, validateSource } from "../validate/index.js";
import { writeSourceFiles } from "../write/source.js";
import { monthReads } from "./guard.js";
import {
  DETAILS_FOLDER,
  digestOutput,
  PUBLISHED_FORMATS,
  publishDetailsText,
  publishRecordText,
  type PublishedMonth,
} from "../validate/publish-record.js";

export { PUBLISHED_FORMATS } from "../validate/publish-record.js";

export interface PublishOptions {
  /** A folder in the source; the root is the nearest folder with dmreport.yaml. */
  source?: string;
  /** YYYY-MM. */
  month: string;
  /** The day of publishing, YYYY-MM-DD; the clock's date when absent. */
  today?: string;
  cache?: string;
}

export interface PublishResult {
  diagnostics: Diagnostic[];
  root: string;
  /** What was recorded, when the month was published. */
  published?: PublishedMonth;
  /** The month's earlier entry, when it was published before. */
  before?: PublishedMonth;
  /** The record files written (absolute paths): published.yaml and the month's details. */
  written?: string[];
  /** The month was published before, with the same outputs: its record keeps the day and the dmreport version. */
  unchanged?: boolean;
}

/**
 * Build `month` in every text format, without writing it, and record its outputs in the
 * source's published.yaml. A month with errors, or a record that cannot be read, is not published.
 */
export async function publishMonth(options: PublishOptions): Promise<PublishResult> {
  const { root } = planBuild({ source: options.source, month: options.month });
  const finish = (diagnostics: Diagnostic[], rest: Partial<PublishResult> = {}) => ({
    root,
    diagnostics: sortDiagnostics(diagnostics),
    ...rest,
  });
  const months = listMonths(root);
  if (!months.includes(options.month)) return finish([missingMonth(options.month, months)]);
  const { source, diagnostics } = loadSource(root, { months: [options.month], history: true, cache: options.cache });
  // Problems of this month's own record are what publishing it again mends.
  const details = `${DETAILS_FOLDER}/${options.month}.yaml`;
  const mended = (found: Diagnostic) =>
    found.rule === "publish-record" &&
    (found.file === details ||
      found.message.startsWith(`${options.month}'s `) ||
      found.message.startsWith(`${options.month} is published`));
  const { project, diagnostics: problems } = validateSource(source, { tolerated: mended });
  const all = [...diagnostics, ...problems];
  if (!project || hasErrors(all.filter((found) => !mended(found)))) return finish(all);
  const produced = await produceMonth(project, options.month, PUBLISHED_FORMATS, false);
  all.push(...produced.diagnostics);
  if (hasErrors(all.filter((found) => !mended(found)))) return finish(all);
  const files = new SourceFiles(root);
  const published: PublishedMonth = {
    published: options.today ?? new Date().toISOString().slice(0, 10),
    dmreport: VERSION,
    outputs: Object.fromEntries(produced.outputs.map((output) => [output.format, digestOutput(String(output.content))])),
    reads: monthReads(project, files, options.month),
  };
  const record = new Map(project.published?.months ?? []);
  const before = record.get(options.month);
  // Outputs that are what was published keep the day they were filed, and the dmreport that made them.
  const unchanged = before !== undefined && sameOutputs(before, published);
  if (unchanged) Object.assign(published, { published: before.published, dmreport: before.dmreport });
  record.set(options.month, published);
  // The record and the month's details are written together; a month recorded in the first form
  // (its line digests in published.yaml) gets details of its own, as the new record has no room for them.
  const detailed = [...record].filter(([month]) => month === options.month || !project.published?.details.has(month));
  const written = writeSourceFiles(files, [
    { name: SOURCE_FILES.published, content: publishRecordText(record) },
    ...detailed.map(([month, entry]) => ({ name: `${DETAILS_FOLDER}/${month}.yaml`, content: publishDetailsText(month, entry) })),
  ]);
  return finish(
    all.filter((found) => !mended(found)),
    { published, written, unchanged, ...(before && { before }) },
  );
}

function sameOutputs(a: PublishedMonth, b: PublishedMonth): boolean {
  const digests = (month: PublishedMonth) => JSON.stringify(PUBLISHED_FORMATS.map((format) => month.outputs[format]?.sha256 ?? null));
  return digests(a) === digests(b);
}
