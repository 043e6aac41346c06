/** Merge stage: one month of a checked project into a report tree in WBS order. */
import { monthLabel } from "../core/calendar.js";
import type { PartFragment, Project, WbsFragment } from "../core/model.js";
import { buildChapters } from "./chapters.js";
import { buildMilestoneCharts, buildMilestoneSummary, milestoneLines, type MonthStates } from "./milestones.js";
import { forecastHistory } from "../milestones/changes.js";
import { monthStory } from "../milestones/story.js";
import type { ReportPart, ReportTree } from "./tree.js";
import { projectAt } from "../core/structure.js";

export type * from "./tree.js";

/** The report of `month`. */
export function mergeReport(whole: Project, month: string): ReportTree {
  // The month is merged with the structure in force that month: its tree, sections, parts and register.
  const project = projectAt(whole, month);
  const { config, wbs } = project;
  const fragments = project.fragments.filter((fragment) => fragment.month === month);
  const wbsFragments = fragments.filter((fragment): fragment is WbsFragment => fragment.kind === "wbs");
  const partFragments = new Map(
    fragments.filter((fragment): fragment is PartFragment => fragment.kind === "part").map((fragment) => [fragment.part, fragment]),
  );
  // Every milestone's state this month and last month, from every report up to now: the month's story.
  const story = monthStory(whole, month);
  const earlier = project.months.filter((other) => other < month);
  const states: MonthStates = { month, now: story.states, before: story.before };
  const lines = milestoneLines(config, project.milestones, fragments, states);
  const parts: ReportPart[] = config.parts.flatMap((part) => {
    const fragment = partFragments.get(part.id);
    return fragment?.content.children.length ? [{ id: part.id, title: part.title, content: fragment.content }] : [];
  });
  return {
    title: config.title,
    organisation: config.organisation,
    subject: config.subject,
    month,
    monthLabel: monthLabel(month, config.locale),
    parts,
    milestoneSummary: buildMilestoneSummary(config, wbs, project.milestones, lines),
    milestoneChanges: story.changes,
    threats: story.threats,
    forecastHistory: forecastHistory(story.record, [...earlier.slice(-11), month], config.milestones.historyLevels),
    charts: buildMilestoneCharts(wbs, project.milestones, lines, states),
    chapters: buildChapters(config, wbs, wbsFragments),
  };
}
