/** Compute the Milestone Summary of a month from its status entries and every milestone's state across months. */
import type { Config, Fragment, Milestone, MilestoneState, MilestoneStatus, WbsTree } from "../core/model.js";
import { endOfMonth, nextMonth } from "../core/calendar.js";
import { slipOf } from "../milestones/changes.js";
import type { MilestoneMonthState } from "../milestones/state.js";
import { areaElements, areaOf } from "../core/wbs.js";
import type { MilestoneArea, MilestoneCharts, MilestoneGroup, MilestoneLine } from "./tree.js";

/** The states the summary lists, in order; on-track milestones are not summarised. */
const SUMMARISED: { status: MilestoneState; title: string; one: string }[] = [
  { status: "completed", title: "Milestones Completed", one: "Milestone Completed" },
  { status: "delayed", title: "Milestones Delayed", one: "Milestone Delayed" },
  { status: "at-risk", title: "Milestones at Risk", one: "Milestone at Risk" },
];

/** Every milestone's state this month, and last month's when the source has an earlier month. */
export interface MonthStates {
  month: string;
  now: Map<string, MilestoneMonthState>;
  before?: Map<string, MilestoneMonthState>;
}

/**
 * The month's milestone lines: this month's status entries, and what nobody reported but the
 * record knows: a milestone past due (or last reported late) is carried forward, one the
 * schedule completed this month is listed as completed.
 */
export function milestoneLines(
  config: Config,
  register: Map<string, Milestone>,
  fragments: readonly Fragment[],
  states: MonthStates,
): MilestoneLine[] {
  const reported = fragments.flatMap((fragment) => fragment.milestones).map((entry) => summaryLine(entry, register, states, config));
  const start = `${states.month}-01`;
  const unreported = [...states.now.values()]
    .filter(
      (state) =>
        !state.reported &&
        (state.carried || (state.state === "completed" && state.completed! >= start && !reportedAnywhere(state.id, fragments))),
    )
    .map((state) => carriedLine(register.get(state.id)!, state, states, config));
  return [...reported, ...unreported];
}

/**
 * The summary: per state, first the configured levels (Level 2 Milestones), then one area per
 * chapter in WBS order (a split element's own milestones before its chapters). Within an area, milestones come by due date, then in register order.
 */
export function buildMilestoneSummary(
  config: Config,
  wbs: WbsTree,
  register: Map<string, Milestone>,
  lines: readonly MilestoneLine[],
): MilestoneGroup[] {
  const areaOrder = areaElements(wbs);
  return SUMMARISED.map(({ status, title, one }) => {
    const entries = lines
      .filter((line) => line.status === status)
      .map((line) => ({ line, first: register.get(line.ids[0]!)! }))
      .sort((a, b) => (a.line.due < b.line.due ? -1 : a.line.due > b.line.due ? 1 : a.first.order - b.first.order));
    const areas: MilestoneArea[] = [];
    const inLevelGroup = (line: MilestoneLine) => line.level !== undefined && config.milestones.levelsFirst.includes(line.level);
    for (const level of config.milestones.levelsFirst) {
      const levelLines = entries.filter(({ line }) => line.level === level).map(({ line }) => line);
      if (levelLines.length) areas.push({ title: `Level ${level} Milestones`, milestones: levelLines });
    }
    for (const area of areaOrder) {
      const areaLines = entries
        .filter(({ line, first }) => !inLevelGroup(line) && areaOf(wbs.find(first.wbs)!) === area)
        .map(({ line }) => line);
      if (areaLines.length) areas.push({ title: area.title, wbs: area.code, milestones: areaLines });
    }
    return { status, title, one, areas };
  }).filter((group) => group.areas.length > 0);
}

function reportedAnywhere(id: string, fragments: readonly Fragment[]): boolean {
  return fragments.some((fragment) => fragment.milestones.some((entry) => entry.ids.includes(id)));
}

/** One line of the summary: register facts joined with the month's status. */
function summaryLine(entry: MilestoneStatus, register: Map<string, Milestone>, states: MonthStates, config: Config): MilestoneLine {
  const milestones = entry.ids.map((id) => register.get(id)!);
  const levels = milestones.map((milestone) => milestone.level).filter((level): level is number => level !== undefined);
  const first = milestones[0]!;
  const line: MilestoneLine = {
    ids: entry.ids,
    title: entry.title ?? first.title,
    level: levels.length ? Math.min(...levels) : undefined,
    status: entry.status,
    due: milestones.map((milestone) => milestone.due).sort()[0]!,
    completed: entry.completed,
    forecast: entry.forecast,
    note: entry.note,
  };
  return withSlip(line, first, states, config);
}

/** A line for a milestone nobody reported this month. */
function carriedLine(milestone: Milestone, state: MilestoneMonthState, states: MonthStates, config: Config): MilestoneLine {
  const line: MilestoneLine = {
    ids: [milestone.id],
    title: milestone.title,
    level: milestone.level,
    status: state.state,
    due: milestone.due,
    completed: state.completed,
    forecast: state.forecast,
    ...(state.state !== "completed" && { carried: { lastReported: state.lastReported, scheduleMonth: state.scheduleMonth } }),
    ...(state.state === "completed" && { fromSchedule: true }),
  };
  return withSlip(line, milestone, states, config);
}

function withSlip(line: MilestoneLine, milestone: Milestone, states: MonthStates, config: Config): MilestoneLine {
  if (line.status !== "delayed" && line.status !== "at-risk") return line;
  const now = states.now.get(milestone.id)!;
  const slip = slipOf(
    { ...milestone, due: line.due },
    { ...now, forecast: line.forecast ?? now.forecast },
    states.before?.get(milestone.id),
  );
  if (slip.total === undefined) return line;
  return { ...line, slip, slipMarked: slip.month !== undefined && slip.month > config.milestones.slipThreshold };
}

const STATES: MilestoneState[] = ["completed", "delayed", "at-risk", "on-track"];

/** The burndown and this month's milestones by area, from the register and every milestone's state. */
export function buildMilestoneCharts(
  wbs: WbsTree,
  register: Map<string, Milestone>,
  lines: readonly MilestoneLine[],
  states: MonthStates,
): MilestoneCharts {
  const { month } = states;
  const completedOn = [...states.now.values()].flatMap((state) => (state.completed ? [state.completed] : []));
  const dues = [...register.values()].map((milestone) => milestone.due.slice(0, 7));
  const first = [...dues, month].sort()[0]!;
  const last = [...dues, month].sort().reverse()[0]!;
  const burndown: MilestoneCharts["burndown"] = [];
  for (let current = first; current <= last; current = nextMonth(current)) {
    const end = endOfMonth(current);
    const due = [...register.values()].filter((milestone) => milestone.due <= end).length;
    const done = completedOn.filter((date) => date <= end).length;
    burndown.push({ month: current, planned: register.size - due, remaining: current <= month ? register.size - done : undefined });
  }

  const byArea = areaElements(wbs).flatMap((area) => {
    const counts = Object.fromEntries(STATES.map((state) => [state, 0])) as Record<MilestoneState, number>;
    for (const line of lines) for (const id of line.ids) if (areaOf(wbs.find(register.get(id)!.wbs)!) === area) counts[line.status]++;
    return STATES.some((state) => counts[state] > 0) ? [{ title: area.title, counts }] : [];
  });
  return { total: register.size, burndown, byArea };
}

/** How many milestones a group lists (a line reporting four milestones together counts four). */
export function groupCount(group: MilestoneGroup): number {
  return group.areas.reduce((sum, area) => sum + area.milestones.reduce((ids, line) => ids + line.ids.length, 0), 0);
}

/** The Milestone Summary's counts by state: completed, delayed, at-risk. */
export function summaryCounts(summary: readonly MilestoneGroup[]): Record<string, number> {
  return Object.fromEntries(summary.map((group) => [group.status, groupCount(group)]));
}
