/** The milestone completions of earlier months that count: those of registered milestones. */
import type { ReportedCompletion } from "../load/index.js";
import type { Milestone, MilestoneCompletion } from "../model.js";

/**
 * The completions in `reported` of milestones in the register. Others are skipped rather than
 * reported: they belong to months already published, and `dmreport lint` reports them there.
 */
export function milestoneHistory(reported: readonly ReportedCompletion[], register: Map<string, Milestone>): MilestoneCompletion[] {
  return reported.filter((completion) => register.has(completion.id)).map(({ id, date, file }) => ({ id, date, file }));
}
