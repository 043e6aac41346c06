/** `dmreport schemas`: a thin layer over writeSchemaCopies(). */
import { writeSchemaCopies } from "../../cycle/schemas.js";
import { UsageError } from "../../errors.js";
import { findSourceRoot } from "../../load/index.js";

export function runSchemas(flags: { source: string }): void {
  const root = findSourceRoot(flags.source);
  if (!root) throw new UsageError(`no dmreport.yaml found in ${flags.source} or any folder above it`);
  const { written, unchanged } = writeSchemaCopies(root);
  const lines = [...written.map((file) => `wrote   ${file}`), ...unchanged.map((file) => `current ${file}`)];
  process.stdout.write(`${lines.join("\n")}\n`);
}
