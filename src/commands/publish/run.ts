/** `dmreport publish`: a thin layer over the library's publishMonth(). */
import { relative } from "node:path";
import { hasErrors } from "../../core/diagnostics.js";
import { formatDiagnostics, useColor } from "../../reporters/compact.js";
import { printable } from "../../reporters/printable.js";
import { commandCache } from "../shared/cache.js";
import { publishMonth } from "../../publish/index.js";

export interface PublishFlags {
  month: string;
}

export async function runPublish(source: string | undefined, flags: PublishFlags): Promise<void> {
  const result = await publishMonth({ source, month: flags.month, cache: commandCache() });
  process.stderr.write(formatDiagnostics(result.diagnostics, { root: result.root, cwd: process.cwd(), color: useColor(process.stderr) }));
  if (hasErrors(result.diagnostics) || !result.published || !result.written) {
    process.stderr.write(`dmreport: ${flags.month} is not published: fix the errors above first\n`);
    process.exitCode = 1;
    return;
  }
  const files = result.written.map((file) => printable(relative(process.cwd(), file) || file)).join(" and ");
  const formats = Object.keys(result.published.outputs).join(", ");
  const what = !result.before
    ? `published ${flags.month}`
    : result.unchanged
      ? `published ${flags.month} again (its outputs are unchanged since ${result.before.published})`
      : `published ${flags.month} again: its new outputs replace those of ${result.before.published}`;
  process.stdout.write(`${what} (${formats}) in ${files}: commit them with the source\n`);
}
