/** `dmreport publish`: a thin layer over the library's publishMonth(). */
import { relative } from "node:path";
import { hasErrors } from "../../diagnostics.js";
import { formatDiagnostics, useColor } from "../../format/compact.js";
import { printable } from "../../format/printable.js";
import { commandCache } from "../cache.js";
import { publishMonth } from "../../publish/index.js";
import type { PublishFlags } from "./index.js";

export async function runPublish(source: string | undefined, flags: PublishFlags): Promise<void> {
  const result = await publishMonth({ source, month: flags.month, cache: commandCache() });
  process.stderr.write(formatDiagnostics(result.diagnostics, { root: result.root, cwd: process.cwd(), color: useColor(process.stderr) }));
  if (hasErrors(result.diagnostics) || !result.published || !result.written) {
    process.stderr.write(`dmreport: ${flags.month} is not published: fix the errors above first\n`);
    process.exitCode = 1;
    return;
  }
  const file = relative(process.cwd(), result.written) || result.written;
  const formats = Object.keys(result.published.outputs).join(", ");
  const same = result.before && JSON.stringify(result.before.outputs) === JSON.stringify(result.published.outputs);
  const what = !result.before
    ? `published ${flags.month}`
    : same
      ? `published ${flags.month} again (its outputs are unchanged since ${result.before.published})`
      : `published ${flags.month} again: its new outputs replace those of ${result.before.published}`;
  process.stdout.write(`${what} (${formats}) in ${printable(file)}: commit it with the source\n`);
}
