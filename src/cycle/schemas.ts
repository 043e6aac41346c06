/** Keep copies of dmreport's JSON Schemas inside a report source, so that editors on every clone find them. */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { SOURCE_FILES } from "../load/index.js";
import { SCHEMA_FOLDER } from "../validate/schema.js";
import { writeOutputs } from "../write/index.js";

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
  const folder = join(root, SOURCE_FILES.schemaCopies);
  for (const name of SCHEMA_FILES) {
    const shipped = readFileSync(join(SCHEMA_FOLDER, name), "utf8");
    const path = join(folder, name);
    if (existsSync(path) && readFileSync(path, "utf8") === shipped) {
      result.unchanged.push(`${SOURCE_FILES.schemaCopies}/${name}`);
      continue;
    }
    writeOutputs(folder, [{ name, content: shipped }]);
    result.written.push(`${SOURCE_FILES.schemaCopies}/${name}`);
  }
  return result;
}
