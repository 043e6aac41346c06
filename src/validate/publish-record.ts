/**
 * Published months: `published.yaml` in the source records, for each month filed with the
 * agencies, one short line per output (its SHA-256, the day, the dmreport version), so that a
 * publish is a few lines of review. Beside it, `.dmreport/published/YYYY-MM.yaml` keeps what
 * says where a changed output first differs (a short digest of each of its lines) and what the
 * month was made from (a short digest of each file it read). Both are committed with the source,
 * so that CI on a fresh clone guards the months as well; a month or an output gone from one of
 * them and not the other is reported, so that the guard is never turned off without a word.
 */
import { createHash } from "node:crypto";
import { diagnostic, type Diagnostic } from "../core/diagnostics.js";
import { locate, plainValue, type YamlSource } from "../load/yaml-source.js";
import { checkSchema } from "./schema.js";
import type { OutputDigest, PublishedFormat, PublishedMonth, PublishRecord } from "../core/model.js";

export type { OutputDigest, PublishedFormat, PublishedMonth, PublishRecord } from "../core/model.js";

/** The text formats a publish record keeps; the PDF is printed from the print output. */
export const PUBLISHED_FORMATS = ["md", "html", "print"] as const satisfies readonly PublishedFormat[];

/** Where each published month's details are kept, in the source. */
export const DETAILS_FOLDER = ".dmreport/published";

/** The digest of one output's text. */
export function digestOutput(content: string): Required<OutputDigest> {
  const lines = content.split("\n").map((line) => createHash("sha256").update(line).digest().subarray(0, 4));
  return { sha256: createHash("sha256").update(content).digest("hex"), lines: Buffer.concat(lines).toString("base64") };
}

/** The short digest a month's details keep of a file it read. */
export function digestInput(content: string | Uint8Array): string {
  return createHash("sha256").update(content).digest("hex").slice(0, 16);
}

interface RawOutput {
  sha256: string;
  lines?: string;
  published?: string;
  dmreport?: string;
}

/**
 * The checked record in `source` (published.yaml) with its months' `details`, or the problems
 * that keep it from being one. A record written before the details existed (each output with its
 * `lines`, the month with `published` and `dmreport`) is read as it is.
 */
export function checkPublishRecord(
  source: YamlSource | null,
  details: readonly YamlSource[] = [],
): { record?: PublishRecord; diagnostics: Diagnostic[] } {
  const plain = source ? plainValue(source) : { value: { months: {} }, diagnostics: [] };
  if (plain.diagnostics.length) return { diagnostics: plain.diagnostics };
  const diagnostics = source ? checkSchema("published", source, plain.value ?? {}) : [];
  if (diagnostics.length) return { diagnostics };
  const months = new Map<string, PublishedMonth>();
  const raw = (plain.value as { months: Record<string, Record<string, unknown>> }).months;
  for (const [month, entry] of Object.entries(raw)) {
    if (entry.outputs) {
      // The first form: `published`, `dmreport`, and `outputs` each with its line digests.
      const old = entry as { published: string; dmreport: string; outputs: Partial<Record<PublishedFormat, Required<OutputDigest>>> };
      months.set(month, { published: old.published, dmreport: old.dmreport, outputs: old.outputs, firstForm: true });
      continue;
    }
    const outputs = entry as Partial<Record<PublishedFormat, RawOutput>>;
    const first = Object.values(outputs)[0]!;
    months.set(month, {
      published: first.published ?? "",
      dmreport: first.dmreport ?? "",
      outputs: Object.fromEntries(Object.entries(outputs).map(([format, output]) => [format, { sha256: output!.sha256 }])),
    });
  }
  const byMonth = new Map<string, YamlSource>();
  // Details that cannot be read are reported as they are, not again as missing.
  const broken = new Set<string>();
  for (const file of details) {
    const value = plainValue(file);
    const problems = value.diagnostics.length ? value.diagnostics : checkSchema("publishedDetails", file, value.value ?? {});
    if (problems.length) {
      diagnostics.push(...problems);
      broken.add(/(\d{4}-\d{2})\.yaml$/.exec(file.file)?.[1] ?? "");
      continue;
    }
    const detail = value.value as { month: string; lines: Record<string, string>; reads: Record<string, string> };
    const month = months.get(detail.month);
    if (!file.file.endsWith(`/${detail.month}.yaml`))
      diagnostics.push(
        diagnostic(
          file.file,
          locate(file, ["month"]),
          "publish-record",
          `these details are of ${detail.month}, but the file is named for another month: publish ${detail.month} again`,
        ),
      );
    if (!month) {
      diagnostics.push(
        diagnostic(
          file.file,
          locate(file, ["month"]),
          "publish-record",
          `${detail.month} is published (its details are here), but published.yaml has no record of it: a published month's record was removed. Restore published.yaml (git checkout), or remove this file too to take the month back on purpose`,
        ),
      );
      continue;
    }
    byMonth.set(detail.month, file);
    month.reads = new Map(Object.entries(detail.reads ?? {}));
    for (const [format, lines] of Object.entries(detail.lines ?? {})) {
      const output = month.outputs[format as PublishedFormat];
      if (!output) {
        diagnostics.push(
          diagnostic(
            source!.file,
            locate(source!, ["months", detail.month]),
            "publish-record",
            `${detail.month}'s ${format} output is published (its details say so), but published.yaml has no line for it: restore published.yaml (git checkout), or publish the month again`,
          ),
        );
        continue;
      }
      output.lines ??= lines;
    }
  }
  for (const [month, entry] of months) {
    if (broken.has(month)) continue;
    if (!entry.firstForm && !byMonth.has(month)) {
      diagnostics.push(
        diagnostic(
          source!.file,
          locate(source!, ["months", month]),
          "publish-record",
          `${month}'s details (${DETAILS_FOLDER}/${month}.yaml) are missing: restore them (git checkout), or publish the month again`,
        ),
      );
      continue;
    }
    // publish records every format: one missing from both files was taken out, and its guard with it.
    const missing = PUBLISHED_FORMATS.filter((format) => !entry.outputs[format]);
    if (missing.length)
      diagnostics.push(
        diagnostic(
          source!.file,
          locate(source!, ["months", month]),
          "publish-record",
          `${month}'s record has no ${missing.join(" or ")} output, which publish always records: restore published.yaml${entry.firstForm ? "" : ` and ${DETAILS_FOLDER}/${month}.yaml`} (git checkout), or publish the month again`,
        ),
      );
    for (const [format, output] of Object.entries(entry.outputs)) {
      if (output.lines === undefined)
        diagnostics.push(
          diagnostic(
            source!.file,
            locate(source!, ["months", month, format], "key"),
            "publish-record",
            `${month}'s details (${DETAILS_FOLDER}/${month}.yaml) are missing${byMonth.has(month) ? ` its ${format} output` : ""}: restore them (git checkout), or publish the month again`,
          ),
        );
      else if (Buffer.from(output.lines, "base64").length % 4 !== 0)
        diagnostics.push(
          diagnostic(
            source!.file,
            locate(source!, ["months", month]),
            "publish-record",
            `${month}'s line digests of its ${format} output are cut short (they are written by dmreport publish, not by hand): restore them (git checkout), or publish the month again`,
          ),
        );
    }
  }
  // The record stands with its details' problems (reported all the same), so that publishing the
  // month they concern can write them anew.
  return !source ? { diagnostics } : { record: { months, source, details: byMonth }, diagnostics };
}

/**
 * An error for each output of a published month that differs from what was published: the
 * month, the file, and the first line that differs, with its text now. With `at`, the error
 * stands there (the file that changed) rather than on the record.
 */
export function checkAgainstPublished(
  record: PublishRecord | undefined,
  month: string,
  outputs: readonly { name: string; format: string; content: string | Uint8Array }[],
  at?: { file: string; line: number; column: number },
  cause?: string,
): Diagnostic[] {
  const entry = record?.months.get(month);
  if (!entry) return [];
  return outputs.flatMap((output) => {
    const published = entry.outputs[output.format as PublishedFormat];
    if (!published || typeof output.content !== "string") return [];
    const now = digestOutput(output.content);
    if (now.sha256 === published.sha256) return [];
    const line = firstDifferentLine(published.lines ?? "", now.lines);
    if (line === undefined)
      return [
        diagnostic(
          record!.source.file,
          locate(record!.source, ["months", month]),
          "publish-record",
          `${output.name} matches what ${month}'s record says line by line, but not its digest: published.yaml was edited by hand; publish the month again to record what it is`,
        ),
      ];
    const text = output.content.split("\n")[line - 1];
    const shown =
      text === undefined
        ? "the file now ends before it"
        : text.trim() === ""
          ? "it is now blank"
          : `it now reads \`${abbreviate(text.trim())}\``;
    const message =
      `${month} was published on ${entry.published} (dmreport ${entry.dmreport}), and ${output.name} would now differ from line ${line} (${shown})` +
      (cause
        ? `, since ${cause} changed: undo that`
        : ": find what changed (a fragment, the structure, a template, an image, dmreport itself) and undo it") +
      `, or accept the new output with \`dmreport publish --month ${month}\``;
    return [diagnostic(at?.file ?? record!.source.file, at ?? outputPlace(record!, month, output.format), "published-changed", message)];
  });
}

/** Where an output's line stands in published.yaml (in a record of the first form, its entry under `outputs`). */
export function outputPlace(record: PublishRecord, month: string, format: string): { line: number; column: number } {
  return locate(
    record.source,
    record.months.get(month)?.firstForm ? ["months", month, "outputs", format] : ["months", month, format],
    "key",
  );
}

/** The first line (from 1) whose digest differs, or undefined when every line's is the same. */
function firstDifferentLine(published: string, now: string): number | undefined {
  const [a, b] = [Buffer.from(published, "base64"), Buffer.from(now, "base64")];
  const lines = Math.max(a.length, b.length) / 4;
  for (let line = 0; line < lines; line++)
    if (!a.subarray(line * 4, line * 4 + 4).equals(b.subarray(line * 4, line * 4 + 4))) return line + 1;
  return undefined;
}

function abbreviate(text: string): string {
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** A YAML key or value as written in the record: plain, or in double quotes when it needs them. */
function yamlText(value: string): string {
  return /^[A-Za-z0-9][A-Za-z0-9._/+-]*$/.test(value) && !/^\d+(\.\d+)?$/.test(value) ? value : JSON.stringify(value);
}

/** The text of published.yaml for `months`, in month order: one line per output. */
export function publishRecordText(months: ReadonlyMap<string, PublishedMonth>): string {
  const lines = [
    "# Written by `dmreport publish`: one line per output of each published month, what it was.",
    "# A build or lint whose output for one of these months would differ stops; `dmreport publish",
    `# --month YYYY-MM\` accepts a new output on purpose. Commit this file and ${DETAILS_FOLDER}/`,
    "# with the source; do not edit them.",
    "months:",
  ];
  for (const [month, entry] of [...months].sort(([a], [b]) => (a < b ? -1 : 1))) {
    lines.push(`  ${month}:`);
    for (const format of PUBLISHED_FORMATS) {
      const output = entry.outputs[format];
      if (output)
        lines.push(`    ${format}: { sha256: "${output.sha256}", published: ${entry.published}, dmreport: ${yamlText(entry.dmreport)} }`);
    }
  }
  return `${lines.join("\n")}\n`;
}

/** The text of a month's details: each output's line digests, and a digest of each file the month read. */
export function publishDetailsText(month: string, entry: PublishedMonth): string {
  const lines = [
    `# Written by \`dmreport publish\` with published.yaml: ${month}'s outputs line by line (where a`,
    "# changed output first differs), and the files they were made from (which one changed). Do not edit.",
    `month: ${month}`,
    "lines:",
    ...PUBLISHED_FORMATS.flatMap((format) =>
      entry.outputs[format]?.lines !== undefined ? [`  ${format}: ${JSON.stringify(entry.outputs[format]!.lines)}`] : [],
    ),
    "reads:",
    ...[...(entry.reads ?? [])]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([name, digest]) => `  ${yamlText(name)}: ${JSON.stringify(digest)}`),
  ];
  return `${lines.join("\n")}\n`;
}
