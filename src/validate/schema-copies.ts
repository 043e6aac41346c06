/** Check the source's copies of dmreport's schemas against the schemas of the dmreport that runs. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { diagnostic, type Diagnostic } from "../core/diagnostics.js";
import { VERSION } from "../core/package-root.js";
import { SCHEMA_FOLDER } from "./schema.js";

/** A warning for each copy that differs from (or has no counterpart in) this dmreport's schemas. */
export function checkSchemaCopies(copies: ReadonlyMap<string, string>): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  for (const [file, text] of copies) {
    let shipped: string | undefined;
    try {
      shipped = readFileSync(join(SCHEMA_FOLDER, file.split("/").pop()!), "utf8");
    } catch {
      shipped = undefined;
    }
    if (shipped === text) continue;
    diagnostics.push(
      diagnostic(
        file,
        { line: 1, column: 1 },
        "schema-copy-outdated",
        shipped === undefined
          ? `\`${file}\` is not a schema of dmreport ${VERSION}: remove it, then run \`dmreport schemas\` to refresh the copies`
          : `\`${file}\` differs from the schema of dmreport ${VERSION}, so editors check against another version: run \`dmreport schemas\` to refresh the copies, and commit them`,
      ),
    );
  }
  return diagnostics;
}
