/** Keep copies of dmreport's JSON Schemas inside a report source, so that editors on every clone find them. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { SourceFiles, SOURCE_FILES } from "../load/index.js";
import { SCHEMA_FOLDER } from "../validate/schema.js";
import { writeSourceFile } from "../write/source.js";

/** The schemas a report source's files are written against, by file name. */
export const SCHEMA_FILES = ["dmreport.schema.json", "wbs.schema.json", "milestones.schema.json", "fragment.schema.json", "schedule.schema.json"] as const;

/** The schema a file of the source at that path is checked against (for its `$schema` line). */
export function schemaLine(file: string): string {
  const depth = file.split("/").length - 1;
  const name = file === SOURCE_FILES.config ? "dmreport" : file === SOURCE_FILES.wbs ? "wbs" : file === SOURCE_FILES.milestones ? "milestones" : "schedule";
  return `# yaml-language-server: $schema=${"../".repeat(depth)}${SOURCE_FILES.schemaCopies}/${name}.schema.json`;
}

export interface SchemaCopiesResult {
  written: string[];
  unchanged: string[];
}

/** Write (or refresh) the source's copies of the schemas; a copy already current is left alone. */
export function writeSchemaCopies(root: string): SchemaCopiesResult {
  const result: SchemaCopiesResult = { written: [], unchanged: [] };
  const files = new SourceFiles(root);
  for (const name of SCHEMA_FILES) {
    const shipped = readFileSync(join(SCHEMA_FOLDER, name), "utf8");
    const copy = files.readText(`${SOURCE_FILES.schemaCopies}/${name}`);
    if ("text" in copy && copy.text === shipped) {
      result.unchanged.push(`${SOURCE_FILES.schemaCopies}/${name}`);
      continue;
    }
    writeSourceFile(files, `${SOURCE_FILES.schemaCopies}/${name}`, shipped);
    result.written.push(`${SOURCE_FILES.schemaCopies}/${name}`);
  }
  return result;
}
