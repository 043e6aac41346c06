/** `dmreport status`: a thin layer over monthStatus(). */
import { commandCache } from "../shared/cache.js";
import { UsageError } from "../../core/errors.js";
import { monthStatus, type MonthStatus } from "../../monthly/status.js";
import stringWidth from "string-width";
import { formatDiagnostics, plural, useColor } from "../../reporters/compact.js";
import { printable, printableJson } from "../../reporters/printable.js";
import { requireSourceRoot, listMonths } from "../../load/index.js";

export function runStatus(flags: { month?: string; source: string; format: "table" | "json"; strict?: boolean }): void {
  const root = requireSourceRoot(flags.source, "dmreport status", "point --source at one");
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
  const problems = (errors: number | undefined) => (errors ? `${plural(errors, "error")}: dmreport lint` : "");
  const out = [`${status.month}`, ""];
  out.push(
    ...aligned([
      ["WBS", "Title", "Lead", "State", ""],
      ...status.elements.map((element) => [
        element.code,
        shortened(element.title),
        element.lead ?? "",
        element.state,
        problems(element.errors),
      ]),
    ]),
  );
  if (status.parts.length)
    out.push(
      "",
      ...aligned([
        ["Part", "Title", "State", ""],
        ...status.parts.map((part) => [part.id, shortened(part.title), part.state, problems(part.errors)]),
      ]),
    );
  const entries = [...status.elements, ...status.parts];
  const written = entries.filter((entry) => entry.state === "written").length;
  const withErrors = entries.filter((entry) => entry.errors).length;
  out.push("", `${written} of ${entries.length} written${withErrors ? `; ${plural(withErrors, "fragment")} with errors` : ""}`);
  if (status.milestones.length) {
    out.push("", "Milestones due or late with no status this month (shown as delayed until reported):");
    out.push(
      ...aligned(
        status.milestones.map((milestone) => [
          milestone.id,
          shortened(milestone.title),
          `due ${milestone.due}`,
          `WBS ${milestone.wbs}`,
          milestone.lastReported ? `last reported ${milestone.lastReported}` : "never reported",
          `owed by ${milestone.owedBy.code}${milestone.owedBy.lead ? `, ${milestone.owedBy.lead}` : ""}`,
        ]),
        "  ",
      ),
    );
  }
  if (status.published.length) {
    out.push("", "Published (builds must reproduce them; dmreport publish --month M accepts a change):");
    for (const entry of status.published)
      out.push(
        printable(
          `  ${entry.month}  on ${entry.published}, dmreport ${entry.dmreport}${entry.month === status.month ? "  (this month)" : ""}`,
        ),
      );
  }
  return `${out.join("\n")}\n`;
}

/** Rows as columns aligned by their widths, each line after `indent`. */
function aligned(rows: string[][], indent = ""): string[] {
  const cells = rows.map((row) => row.map(printable));
  const widths = cells[0]!.map((_, column) => Math.max(...cells.map((row) => stringWidth(row[column] ?? ""))));
  return cells.map((row) =>
    `${indent}${row.map((cell, column) => cell + " ".repeat(widths[column]! - stringWidth(cell))).join("  ")}`.trimEnd(),
  );
}

/** A title short enough for a table (by the columns it takes, cut between characters as people see them): the JSON report has it whole. */
function shortened(title: string): string {
  const text = title.replace(/\s/g, " ");
  if (stringWidth(text) <= TITLE_WIDTH) return text;
  let kept = "";
  for (const { segment } of new Intl.Segmenter().segment(text)) {
    if (stringWidth(kept + segment) > TITLE_WIDTH - 1) break;
    kept += segment;
  }
  return `${kept.trimEnd()}…`;
}

const TITLE_WIDTH = 48;
