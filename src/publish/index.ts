/** `publish`: record a month's outputs as published, so that later builds must reproduce them. */
import { hasErrors, sortDiagnostics, type Diagnostic } from "../diagnostics.js";
import { produceMonth, planBuild } from "../build.js";
import { listMonths, loadSource, SourceFiles, SOURCE_FILES } from "../load/index.js";
import { VERSION } from "../package-root.js";
import { missingMonth, validateSource } from "../validate/index.js";
import { writeSourceFile } from "../write/source.js";
import { digestOutput, PUBLISHED_FORMATS, publishRecordText, type PublishedMonth } from "./record.js";

export { PUBLISHED_FORMATS } from "./record.js";

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
  /** The record file written (absolute path). */
  written?: string;
}

/**
 * Build `month` in every text format, without writing it, and record its outputs in the
 * source's published.yaml. A month with errors, or a record that cannot be read, is not published.
 */
export async function publishMonth(options: PublishOptions): Promise<PublishResult> {
  const { root } = planBuild({ source: options.source, month: options.month });
  const finish = (diagnostics: Diagnostic[], rest: Partial<PublishResult> = {}) => ({ root, diagnostics: sortDiagnostics(diagnostics), ...rest });
  const months = listMonths(root);
  if (!months.includes(options.month)) return finish([missingMonth(options.month, months)]);
  const { source, diagnostics } = loadSource(root, { months: [options.month], history: true, cache: options.cache });
  const { project, diagnostics: problems } = validateSource(source);
  const all = [...diagnostics, ...problems];
  if (!project || hasErrors(all)) return finish(all);
  const produced = await produceMonth(project, options.month, PUBLISHED_FORMATS, false);
  all.push(...produced.diagnostics);
  if (hasErrors(all)) return finish(all);
  const published: PublishedMonth = {
    published: options.today ?? new Date().toISOString().slice(0, 10),
    dmreport: VERSION,
    outputs: Object.fromEntries(produced.outputs.map((output) => [output.format, digestOutput(String(output.content))])),
  };
  const record = new Map(project.published?.months ?? []);
  const before = record.get(options.month);
  record.set(options.month, published);
  const written = writeSourceFile(new SourceFiles(root), SOURCE_FILES.published, publishRecordText(record));
  return finish(all, { published, written, ...(before && { before }) });
}
