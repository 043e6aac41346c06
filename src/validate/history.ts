/** Read milestone completions from earlier months' frontmatter, for the burndown chart. */
import { plainValue, type FragmentSource } from "../load/index.js";
import { endOfMonth } from "../calendar.js";
import type { Milestone, MilestoneCompletion } from "../model.js";

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Every well-formed completion of a registered milestone in `history`. Malformed entries are
 * skipped rather than reported: they belong to months already published, and `dmreport lint`
 * reports them where they are.
 */
export function milestoneHistory(history: readonly FragmentSource[], register: Map<string, Milestone>): MilestoneCompletion[] {
  const completions: MilestoneCompletion[] = [];
  for (const fragment of history) {
    if (!fragment.frontmatter || fragment.frontmatter.doc.errors.length) continue;
    const value = plainValue(fragment.frontmatter).value as { milestones?: unknown } | null | undefined;
    if (!value || !Array.isArray(value.milestones)) continue;
    for (const entry of value.milestones as { id?: unknown; status?: unknown; completed?: unknown }[]) {
      if (!entry || entry.status !== "completed") continue;
      const date = typeof entry.completed === "string" && DATE.test(entry.completed) ? entry.completed : endOfMonth(fragment.folderMonth);
      for (const id of ([] as unknown[]).concat(entry.id)) {
        if (typeof id === "string" && register.has(id)) completions.push({ id, date, file: fragment.file });
      }
    }
  }
  return completions;
}
