/**
 * Published months: `published.yaml` in the source records, for each month filed with the
 * agencies, what each of its text outputs was, byte for byte (a SHA-256 of the file and a short
 * digest of each line, to say where a changed output first differs). Kept in the source and
 * committed with it, so that CI on a fresh clone guards the months as well.
 */
import { createHash } from "node:crypto";
import { stringify } from "yaml";
import { diagnostic, type Diagnostic } from "../diagnostics.js";
import { locate, plainValue, type YamlSource } from "../load/index.js";
import { checkSchema } from "../validate/schema.js";

/** The text formats a publish record keeps; the PDF is printed from the print output. */
export const PUBLISHED_FORMATS = ["md", "html", "print"] as const;
export type PublishedFormat = (typeof PUBLISHED_FORMATS)[number];

export interface OutputDigest {
  sha256: string;
  /** The first 4 bytes of each line's SHA-256, one after another, in base64. */
  lines: string;
}

export interface PublishedMonth {
  /** YYYY-MM-DD: the day it was published. */
  published: string;
  /** The dmreport version that made the outputs. */
  dmreport: string;
  outputs: Partial<Record<PublishedFormat, OutputDigest>>;
}

/** The publish record: the months published, and where each stands in the file. */
export interface PublishRecord {
  months: Map<string, PublishedMonth>;
  source: YamlSource;
}

/** The digest of one output's text. */
export function digestOutput(content: string): OutputDigest {
  const lines = content.split("\n").map((line) => createHash("sha256").update(line).digest().subarray(0, 4));
  return { sha256: createHash("sha256").update(content).digest("hex"), lines: Buffer.concat(lines).toString("base64") };
}

/** The checked record in `source` (published.yaml), or the problems that keep it from being one. */
export function checkPublishRecord(source: YamlSource): { record?: PublishRecord; diagnostics: Diagnostic[] } {
  const plain = plainValue(source);
  if (plain.diagnostics.length) return { diagnostics: plain.diagnostics };
  const diagnostics = checkSchema("published", source, plain.value ?? {});
  if (diagnostics.length) return { diagnostics };
  const months = new Map(Object.entries((plain.value as { months: Record<string, PublishedMonth> }).months));
  for (const [month, entry] of months)
    for (const [format, output] of Object.entries(entry.outputs))
      if (Buffer.from(output.lines, "base64").length % 4 !== 0)
        diagnostics.push(diagnostic(source.file, locate(source, ["months", month, "outputs", format, "lines"]), "publish-record",
          `the line digests of ${month}'s ${format} output are cut short (this file is written by dmreport publish, not by hand): publish the month again`));
  return diagnostics.length ? { diagnostics } : { record: { months, source }, diagnostics };
}

/**
 * An error for each output of a published month that differs from what was published: the
 * month, the file, and the first line that differs, with its text now.
 */
export function checkAgainstPublished(
  record: PublishRecord | undefined,
  month: string,
  outputs: readonly { name: string; format: string; content: string | Uint8Array }[],
): Diagnostic[] {
  const entry = record?.months.get(month);
  if (!entry) return [];
  return outputs.flatMap((output) => {
    const published = entry.outputs[output.format as PublishedFormat];
    if (!published || typeof output.content !== "string") return [];
    const now = digestOutput(output.content);
    if (now.sha256 === published.sha256) return [];
    const line = firstDifferentLine(published.lines, now.lines);
    if (line === undefined)
      return [diagnostic(record!.source.file, locate(record!.source, ["months", month, "outputs", output.format, "sha256"]), "publish-record",
        `${output.name} matches what ${month}'s record says line by line, but not its digest: published.yaml was edited by hand; publish the month again to record what it is`)];
    const text = output.content.split("\n")[line - 1];
    const shown = text === undefined ? "the file now ends before it" : text.trim() === "" ? "it is now blank" : `it now reads \`${abbreviate(text.trim())}\``;
    return [diagnostic(record!.source.file, locate(record!.source, ["months", month, "outputs", output.format], "key"), "published-changed",
      `${month} was published on ${entry.published} (dmreport ${entry.dmreport}), and ${output.name} would now differ from line ${line} (${shown}): ` +
      `find what changed (a fragment, the structure, a template, dmreport itself) and undo it, or accept the new output with \`dmreport publish --month ${month}\``)];
  });
}

/** The first line (from 1) whose digest differs, or undefined when every line's is the same. */
function firstDifferentLine(published: string, now: string): number | undefined {
  const [a, b] = [Buffer.from(published, "base64"), Buffer.from(now, "base64")];
  const lines = Math.max(a.length, b.length) / 4;
  for (let line = 0; line < lines; line++) if (!a.subarray(line * 4, line * 4 + 4).equals(b.subarray(line * 4, line * 4 + 4))) return line + 1;
  return undefined;
}

function abbreviate(text: string): string {
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** The text of published.yaml for `months`, in month order. */
export function publishRecordText(months: ReadonlyMap<string, PublishedMonth>): string {
  const sorted = Object.fromEntries([...months].sort(([a], [b]) => (a < b ? -1 : 1)));
  return [
    "# Written by `dmreport publish`: what each published month's outputs were, byte for byte.",
    "# A build whose output for one of these months would differ stops; `dmreport publish --month",
    "# YYYY-MM` accepts a new output on purpose. Commit this file with the source; do not edit it.",
    stringify({ months: sorted }, { lineWidth: 0 }),
  ].join("\n");
}
