/** `dmreport schemas`: a thin layer over writeSchemaCopies(). */
import { writeSchemaCopies } from "../../monthly/schemas.js";
import { requireSourceRoot } from "../../load/index.js";

export function runSchemas(flags: { source: string }): void {
  const root = requireSourceRoot(flags.source, "dmreport schemas", "point --source at one");
  const { written, unchanged } = writeSchemaCopies(root);
  const lines = [...written.map((file) => `wrote   ${file}`), ...unchanged.map((file) => `current ${file}`)];
  process.stdout.write(`${lines.join("\n")}\n`);
}
