/** The milestone history that counts: reports of registered milestones, and what each month still owes. */
import { endOfMonth } from "../calendar.js";
import { diagnostic, type Diagnostic } from "../diagnostics.js";
import { locate } from "../load/index.js";
import type { Config, Milestone, MilestoneReport, WbsTree } from "../model.js";
import { statesIn, type MilestoneRecord } from "../milestones/state.js";
import { reporterOf } from "../wbs.js";
import type { CheckedFragment } from "./fragments.js";

/**
 * The reports in `reported` of milestones in the register. Others are skipped rather than
 * reported: they belong to months already published, and `dmreport lint` reports them there.
 */
export function milestoneHistory(reported: readonly MilestoneReport[], register: Map<string, Milestone>): MilestoneReport[] {
  return reported.filter((report) => register.has(report.id));
}

/**
 * A warning for each milestone past due, not completed and not reported in `month`: it is carried
 * into the report as delayed, but its owner owes a status. The warning stands on the fragment
 * that should report it (its element's, or the nearest one above it, or with `reportFrom:
 * chapter` any of its chapter's), or on the month folder when there is none.
 */
export function checkOwed(
  month: string,
  checked: readonly CheckedFragment[],
  record: MilestoneRecord,
  wbs: WbsTree,
  config: Config,
): Diagnostic[] {
  const end = endOfMonth(month);
  const byElement = new Map<string, CheckedFragment>();
  for (const entry of checked) if (entry.fragment.kind === "wbs" && !byElement.has(entry.fragment.wbs)) byElement.set(entry.fragment.wbs, entry);
  const diagnostics: Diagnostic[] = [];
  for (const state of statesIn(record, month).values()) {
    const milestone = record.register.get(state.id)!;
    // The month's own schedule export speaks for a milestone nobody reported: nothing is owed.
    if (!state.carried || milestone.due > end || state.scheduleMonth === month) continue;
    const owner = wbs.find(milestone.wbs);
    const reportingElement = owner && reporterOf(wbs, owner, (element) => byElement.has(element.fullCode), config.milestones.reportFrom);
    const reporter = reportingElement && byElement.get(reportingElement.fullCode);
    const last = state.lastReported ? `was last reported in ${state.lastReported}` : "has never been reported";
    const message = `milestone \`${milestone.id}\` (${milestone.title}) was due ${milestone.due}, is not completed and ${last}: the ${month} report shows it as delayed until its status is reported`;
    if (reporter) {
      diagnostics.push(diagnostic(reporter.fragment.file, locate(reporter.frontmatter, ["wbs"]), "milestone-owed", `${message} here, under \`milestones:\``));
    } else {
      const file = `months/${month}/${owner?.code ?? milestone.wbs}.md`;
      diagnostics.push(diagnostic(`months/${month}`, { line: 1, column: 1 }, "milestone-owed", `${message} in a fragment for WBS ${owner?.code ?? milestone.wbs} (\`${file}\`, which does not exist yet)`));
    }
  }
  return diagnostics;
}
