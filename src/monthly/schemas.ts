/** Keep copies of dmreport's JSON Schemas inside a report source, so that editors on every clone find them. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { SOURCE_FILES } from "../load/index.js";
import { SourceFiles } from "../load/source-files.js";
import { SCHEMA_FOLDER } from "../validate/schema.js";
import { writeSourceFiles } from "../write/source.js";

/** The schemas a report source's files are written against, by file name. */
export const SCHEMA_FILES = [
  "dmreport.schema.json",
  "wbs.schema.json",
  "milestones.schema.json",
  "fragment.schema.json",
  "schedule.schema.json",
] as const;

/** The schema a file of the source at that path is checked against (for its `$schema` line). */
export function schemaLine(file: string): string {
  const depth = file.split("/").length - 1;
  const name =
    file === SOURCE_FILES.config
      ? "dmreport"
      : file === SOURCE_FILES.wbs
        ? "wbs"
        : file === SOURCE_FILES.milestones
          ? "milestones"
          : "schedule";
  return `# yaml-language-server: $schema=${"../".repeat(depth)}${SOURCE_FILES.schemaCopies}/${name}.schema.json`;
}

export interface SchemaCopiesResult {
  written: string[];
  unchanged: string[];
}

/** The copies of the schemas a source lacks or has out of date (to write), and those already current. */
export function schemaCopies(files: SourceFiles): { outputs: { name: string; content: string }[]; unchanged: string[] } {
  const outputs: { name: string; content: string }[] = [];
  const unchanged: string[] = [];
  for (const name of SCHEMA_FILES) {
    const shipped = readFileSync(join(SCHEMA_FOLDER, name), "utf8");
    const copy = files.readText(`${SOURCE_FILES.schemaCopies}/${name}`);
    if ("text" in copy && copy.text === shipped) unchanged.push(`${SOURCE_FILES.schemaCopies}/${name}`);
    else outputs.push({ name: `${SOURCE_FILES.schemaCopies}/${name}`, content: shipped });
  }
  return { outputs, unchanged };
}

/** Write (or refresh) the source's copies of the schemas, all or none; a copy already current is left alone. */
export function writeSchemaCopies(root: string): SchemaCopiesResult {
  const files = new SourceFiles(root);
  const { outputs, unchanged } = schemaCopies(files);
  writeSourceFiles(files, outputs);
  return { written: outputs.map((output) => output.name), unchanged };
}
