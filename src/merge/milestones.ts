/** Compute the Milestone Summary of a month from the milestone status entries of its fragments. */
import type { Config, Fragment, Milestone, MilestoneState, MilestoneStatus, WbsTree } from "../model.js";
import { endOfMonth, nextMonth } from "../calendar.js";
import { chapterElements, chapterOf } from "./chapters.js";
import type { MilestoneArea, MilestoneCharts, MilestoneGroup, MilestoneLine } from "./tree.js";
import type { MilestoneCompletion } from "../model.js";

/** The states the summary lists, in order; on-track milestones are not summarised. */
const SUMMARISED: { status: MilestoneState; title: string }[] = [
  { status: "completed", title: "Milestones Completed" },
  { status: "delayed", title: "Milestones Delayed" },
  { status: "at-risk", title: "Milestones at Risk" },
];

/**
 * The summary: per state, first the configured levels (Level 2 Milestones), then one area per
 * chapter in WBS order. Within an area, milestones come by due date, then in register order.
 */
export function buildMilestoneSummary(
  config: Config,
  wbs: WbsTree,
  register: Map<string, Milestone>,
  fragments: readonly Fragment[],
): MilestoneGroup[] {
  const statuses = fragments.flatMap((fragment) => fragment.milestones);
  const chapterOrder = chapterElements(wbs);
  return SUMMARISED.map(({ status, title }) => {
    const entries = statuses
      .filter((entry) => entry.status === status)
      .map((entry) => ({ entry, line: summaryLine(entry, register), first: register.get(entry.ids[0]!)! }))
      .sort((a, b) => (a.line.due < b.line.due ? -1 : a.line.due > b.line.due ? 1 : a.first.order - b.first.order));
    const areas: MilestoneArea[] = [];
    const inLevelGroup = (line: MilestoneLine) => line.level !== undefined && config.milestones.levelsFirst.includes(line.level);
    for (const level of config.milestones.levelsFirst) {
      const lines = entries.filter(({ line }) => line.level === level).map(({ line }) => line);
      if (lines.length) areas.push({ title: `Level ${level} Milestones`, milestones: lines });
    }
    for (const chapter of chapterOrder) {
      const lines = entries
        .filter(({ line, first }) => !inLevelGroup(line) && chapterOf(wbs.find(first.wbs)!) === chapter)
        .map(({ line }) => line);
      if (lines.length) areas.push({ title: chapter.title, wbs: chapter.code, milestones: lines });
    }
    return { status, title, areas };
  }).filter((group) => group.areas.length > 0);
}

/** One line of the summary: register facts joined with the month's status. */
function summaryLine(entry: MilestoneStatus, register: Map<string, Milestone>): MilestoneLine {
  const milestones = entry.ids.map((id) => register.get(id)!);
  const levels = milestones.map((milestone) => milestone.level).filter((level): level is number => level !== undefined);
  return {
    ids: entry.ids,
    title: entry.title ?? milestones[0]!.title,
    level: levels.length ? Math.min(...levels) : undefined,
    status: entry.status,
    due: milestones.map((milestone) => milestone.due).sort()[0]!,
    completed: entry.completed,
    forecast: entry.forecast,
    note: entry.note,
  };
}

const STATES: MilestoneState[] = ["completed", "delayed", "at-risk", "on-track"];

/** The burndown and this month's milestones by area, from the register and every known completion. */
export function buildMilestoneCharts(
  wbs: WbsTree,
  register: Map<string, Milestone>,
  fragments: readonly Fragment[],
  history: readonly MilestoneCompletion[],
  month: string,
): MilestoneCharts {
  const statuses = fragments.flatMap((fragment) => fragment.milestones);
  const completedOn = new Map<string, string>();
  const thisMonth = statuses
    .filter((entry) => entry.status === "completed")
    .flatMap((entry) => entry.ids.map((id) => ({ id, date: entry.completed ?? endOfMonth(month) })));
  for (const { id, date } of [...history, ...thisMonth]) {
    const known = completedOn.get(id);
    if (!known || date < known) completedOn.set(id, date);
  }

  const dues = [...register.values()].map((milestone) => milestone.due.slice(0, 7));
  const first = [...dues, month].sort()[0]!;
  const last = [...dues, month].sort().reverse()[0]!;
  const burndown: MilestoneCharts["burndown"] = [];
  for (let current = first; current <= last; current = nextMonth(current)) {
    const end = endOfMonth(current);
    const due = [...register.values()].filter((milestone) => milestone.due <= end).length;
    const done = [...completedOn.values()].filter((date) => date <= end).length;
    burndown.push({ month: current, planned: register.size - due, remaining: current <= month ? register.size - done : undefined });
  }

  const byArea = chapterElements(wbs).flatMap((chapter) => {
    const counts = Object.fromEntries(STATES.map((state) => [state, 0])) as Record<MilestoneState, number>;
    for (const entry of statuses)
      for (const id of entry.ids) if (chapterOf(wbs.find(register.get(id)!.wbs)!) === chapter) counts[entry.status]++;
    return STATES.some((state) => counts[state] > 0) ? [{ title: chapter.title, counts }] : [];
  });
  return { total: register.size, burndown, byArea };
}
