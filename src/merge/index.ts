/** Merge stage: one month of a checked project into a report tree in WBS order. */
import { monthLabel } from "../calendar.js";
import type { PartFragment, Project, WbsFragment } from "../model.js";
import { buildChapters } from "./chapters.js";
import { buildMilestoneCharts, buildMilestoneSummary, milestoneLines, type MonthStates } from "./milestones.js";
import { changesSince, forecastHistory, threatsIn } from "../milestones/changes.js";
import { milestoneRecord, reportsOf, statesIn } from "../milestones/state.js";
import type { ReportPart, ReportTree } from "./tree.js";
import { milestonesAt, projectAt } from "../structure.js";
import type { MilestoneChanges } from "../milestones/changes.js";

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
  // Every milestone's state this month and last month, from every report up to now.
  const record = milestoneRecord(project.milestones, [...project.history, ...reportsOf(project.fragments.filter((fragment) => fragment.month <= month))], project.schedule);
  const earlier = project.months.filter((other) => other < month);
  const previous = earlier[earlier.length - 1];
  const states: MonthStates = { month, now: statesIn(record, month), before: previous ? statesIn(record, previous) : undefined };
  const lines = milestoneLines(config, project.milestones, fragments, states);
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
    milestoneSummary: buildMilestoneSummary(config, wbs, project.milestones, lines),
    milestoneChanges: previous ? withRetired(changesSince(record, states.now, states.before!, month, previous), whole, month, previous) : undefined,
    threats: threatsIn(project.milestones, states.now),
    forecastHistory: forecastHistory(record, [...earlier.slice(-11), month], config.milestones.historyLevels),
    charts: buildMilestoneCharts(wbs, project.milestones, lines, states),
    chapters: buildChapters(config, wbs, wbsFragments),
  };
}

/** The milestones of last month's register that this month's no longer has: a rebaseline never hides one silently. */
function withRetired(changes: MilestoneChanges, whole: Project, month: string, previous: string): MilestoneChanges {
  const now = milestonesAt(whole.milestones, whole.wbs, month);
  for (const milestone of milestonesAt(whole.milestones, whole.wbs, previous).values())
    if (!now.has(milestone.id)) changes.retired.push({ id: milestone.id, title: milestone.title, due: milestone.due });
  return changes;
}
