/** Merge stage: one month of a checked project into a report tree in WBS order. */
import { monthLabel } from "../calendar.js";
import type { PartFragment, Project, WbsFragment } from "../model.js";
import { buildChapters } from "./chapters.js";
import { buildMilestoneCharts, buildMilestoneSummary } from "./milestones.js";
import type { ReportPart, ReportTree } from "./tree.js";

export type * from "./tree.js";

/** The report of `month`. */
export function mergeReport(project: Project, month: string): ReportTree {
  const { config, wbs } = project;
  const fragments = project.fragments.filter((fragment) => fragment.month === month);
  const wbsFragments = fragments.filter((fragment): fragment is WbsFragment => fragment.kind === "wbs");
  const partFragments = new Map(
    fragments.filter((fragment): fragment is PartFragment => fragment.kind === "part").map((fragment) => [fragment.part, fragment]),
  );
  const parts: ReportPart[] = config.parts.flatMap((part) => {
    const fragment = partFragments.get(part.id);
    return fragment && fragment.content.children.length ? [{ id: part.id, title: part.title, content: fragment.content }] : [];
  });
  return {
    title: config.title,
    organisation: config.organisation,
    subject: config.subject,
    month,
    monthLabel: monthLabel(month, config.locale),
    parts,
    milestoneSummary: buildMilestoneSummary(config, wbs, project.milestones, fragments),
    charts: buildMilestoneCharts(wbs, project.milestones, fragments, project.history, month),
    chapters: buildChapters(config, wbs, wbsFragments),
  };
}
