/** `dmreport status`: a thin layer over monthStatus(). */
import { commandCache } from "../cache.js";
import { UsageError } from "../../errors.js";
import { monthStatus, type MonthStatus } from "../../cycle/status.js";
import { formatDiagnostics, useColor } from "../../format/compact.js";
import { printable, printableJson } from "../../format/printable.js";
import { findSourceRoot, listMonths } from "../../load/index.js";

export function runStatus(flags: { month?: string; source: string; format: "table" | "json"; strict?: boolean }): void {
  const root = findSourceRoot(flags.source);
  if (!root) throw new UsageError(`no dmreport.yaml found in ${flags.source} or any folder above it`);
  const month = flags.month ?? listMonths(root).pop();
  if (!month) throw new UsageError("this source has no month folders yet: run dmreport new --month YYYY-MM");
  const { status, diagnostics } = monthStatus(root, month, { cache: commandCache() });
  if (!status) {
    process.stderr.write(formatDiagnostics(diagnostics, { root, cwd: process.cwd(), color: useColor(process.stderr) }));
    process.exitCode = 1;
    return;
  }
  process.stdout.write(flags.format === "json" ? `${printableJson(JSON.stringify(status, null, 2))}\n` : table(status));
  process.exitCode = flags.strict && !status.complete ? 1 : 0;
}

function table(status: MonthStatus): string {
  const rows = [["WBS", "Title", "Lead", "State"], ...status.elements.map((element) => [element.code, element.title, element.lead ?? "", element.state].map(printable))];
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  const line = (row: string[]) => row.map((cell, column) => cell.padEnd(widths[column]!)).join("  ").trimEnd();
  const out = [`${status.month}`, "", ...rows.map(line)];
  const waiting = status.elements.filter((element) => element.state !== "written").length;
  out.push("", `${status.elements.length - waiting} of ${status.elements.length} written`);
  if (status.milestones.length) {
    out.push("", "Milestones due or late with no status this month (shown as delayed until reported):");
    for (const milestone of status.milestones) {
      const last = milestone.lastReported ? `last reported ${milestone.lastReported}` : "never reported";
      const who = `${milestone.owedBy.code}${milestone.owedBy.lead ? `, ${milestone.owedBy.lead}` : ""}`;
      out.push(printable(`  ${milestone.id}  ${milestone.title} (due ${milestone.due}, WBS ${milestone.wbs}, ${last}): owed by ${who}`));
    }
  }
  if (status.published.length) {
    out.push("", "Published (builds must reproduce them; dmreport publish --month M accepts a change):");
    for (const entry of status.published) out.push(printable(`  ${entry.month}  on ${entry.published}, dmreport ${entry.dmreport}${entry.month === status.month ? "  (this month)" : ""}`));
  }
  return `${out.join("\n")}\n`;
}
