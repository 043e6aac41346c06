/** The milestone history that counts: reports of registered milestones, and what each month still owes. */
import { diagnostic, type Diagnostic } from "../core/diagnostics.js";
import { locate } from "../load/yaml-source.js";
import type { Config, Milestone, MilestoneReport, WbsTree } from "../core/model.js";
import { statesIn, type MilestoneRecord } from "../milestones/state.js";
import { owedIn } from "../milestones/story.js";
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
  const byElement = new Map<string, CheckedFragment>();
  for (const entry of checked)
    if (entry.fragment.kind === "wbs" && !byElement.has(entry.fragment.wbs)) byElement.set(entry.fragment.wbs, entry);
  // The one computation of what is owed, as status, new and the report's carried lines have it.
  const owed = owedIn(
    statesIn(record, month),
    record.register,
    wbs,
    month,
    (element) => byElement.has(element.fullCode),
    config.milestones.reportFrom,
  );
  return owed.map(({ milestone, state, owedBy, written }) => {
    const last = state.lastReported ? `was last reported in ${state.lastReported}` : "has never been reported";
    const message = `milestone \`${milestone.id}\` (${milestone.title}) was due ${milestone.due}, is not completed and ${last}: the ${month} report shows it as delayed until its status is reported`;
    const reporter = written ? byElement.get(owedBy.fullCode) : undefined;
    if (reporter)
      return diagnostic(
        reporter.fragment.file,
        locate(reporter.frontmatter, ["wbs"]),
        "milestone-owed",
        `${message} here, under \`milestones:\``,
      );
    const file = `months/${month}/${owedBy.code}.md`;
    return diagnostic(
      `months/${month}`,
      { line: 1, column: 1 },
      "milestone-owed",
      `${message} in a fragment for WBS ${owedBy.code} (\`${file}\`, which does not exist yet)`,
    );
  });
}
