/**
 * The milestone story of a month, computed in one place for every command that tells it (the
 * report, lint, status, new, the dashboard, the action's summary, the language server): each
 * milestone's state, the month before's, what is owed and by whom, what changed and what threatens.
 */
import { endOfMonth } from "../core/calendar.js";
import type { Config, Milestone, MilestoneReport, Project, WbsElement, WbsTree } from "../core/model.js";
import { configAt, milestonesAt, wbsAt } from "../core/structure.js";
import { reporterOf } from "../core/wbs.js";
import { changesSince, threatsIn, type MilestoneChanges, type Threat } from "./changes.js";
import { milestoneRecord, reportsOf, statesIn, type MilestoneMonthState, type MilestoneRecord } from "./state.js";

/** A milestone whose status is owed in a month, and who owes it. */
export interface OwedMilestone {
  milestone: Milestone;
  state: MilestoneMonthState;
  /** The element whose fragment should report it: its own, the nearest above it, or with `reportFrom: chapter` any of its chapter's that wrote this month; its owner when none did. */
  owedBy: WbsElement;
  /** Whether `owedBy` wrote a fragment this month. */
  written: boolean;
}

/**
 * The milestones owed in `month`: past due by the month's end, not completed and not reported
 * this month. Each is carried into the report as delayed until its status is reported; a
 * schedule export's forecast does not say what happened, so it settles none of them.
 */
export function owedIn(
  states: ReadonlyMap<string, MilestoneMonthState>,
  register: ReadonlyMap<string, Milestone>,
  wbs: WbsTree,
  month: string,
  written: (element: WbsElement) => boolean,
  reportFrom: Config["milestones"]["reportFrom"],
): OwedMilestone[] {
  const end = endOfMonth(month);
  const owed: OwedMilestone[] = [];
  for (const state of states.values()) {
    const milestone = register.get(state.id);
    if (!milestone || !state.carried || milestone.due > end) continue;
    const owner = wbs.find(milestone.wbs);
    if (!owner) continue;
    const reporter = reporterOf(wbs, owner, written, reportFrom);
    owed.push({ milestone, state, owedBy: reporter ?? owner, written: reporter !== undefined });
  }
  return owed;
}

/** The structure a story is told from: a checked project, or as much of one as a command has. */
export type StorySource = Pick<Project, "register" | "wbs" | "config" | "schedule" | "months">;

export interface MonthStory {
  month: string;
  /** The source's month before, when it has one. */
  previous?: string;
  /** The register in force this month. */
  register: Map<string, Milestone>;
  wbs: WbsTree;
  record: MilestoneRecord;
  /** Every milestone's state at the end of the month. */
  states: Map<string, MilestoneMonthState>;
  /** At the end of the month before, with the register of that month. */
  before?: Map<string, MilestoneMonthState>;
  owed: OwedMilestone[];
  /** What changed since the month before, with the milestones its register had and this month's has not. */
  changes?: MilestoneChanges;
  threats: Threat[];
}

export interface StoryOptions {
  /** Every report up to the month (earlier months' and its own); the project's when absent. */
  reports?: readonly MilestoneReport[];
  /** Which elements wrote a fragment this month; the project's fragments when absent. */
  written?: (element: WbsElement) => boolean;
}

/**
 * The states at the end of `month` alone, as its story has them (the first step of `monthStory`):
 * for who asks after one milestone and needs no changes, threats or debts.
 */
export function monthStates(
  source: Pick<StorySource, "register" | "wbs" | "schedule">,
  month: string,
  reports: readonly MilestoneReport[],
): Pick<MonthStory, "register" | "wbs" | "record" | "states"> {
  const wbs = wbsAt(source.wbs, month);
  const register = milestonesAt(source.register, source.wbs, month);
  const record = milestoneRecord(register, reports, source.schedule);
  return { register, wbs, record, states: statesIn(record, month) };
}

/** The milestone story of `month` in `source`. */
export function monthStory(
  source: StorySource & Partial<Pick<Project, "history" | "fragments">>,
  month: string,
  options: StoryOptions = {},
): MonthStory {
  const reports = options.reports ?? [
    ...(source.history ?? []),
    ...reportsOf((source.fragments ?? []).filter((fragment) => fragment.month <= month)),
  ];
  const config = configAt(source.config, month);
  const { register, wbs, record, states } = monthStates(source, month, reports);
  const earlier = source.months.filter((other) => other < month);
  const previous = earlier[earlier.length - 1];
  const written =
    options.written ??
    ((element: WbsElement) =>
      (source.fragments ?? []).some(
        (fragment) => fragment.month === month && fragment.kind === "wbs" && fragment.wbs === element.fullCode,
      ));
  const story: MonthStory = {
    month,
    register,
    wbs,
    record,
    states,
    owed: owedIn(states, register, wbs, month, written, config.milestones.reportFrom),
    threats: threatsIn(register, states),
  };
  if (previous) {
    const registerBefore = milestonesAt(source.register, source.wbs, previous);
    const before = statesIn(milestoneRecord(registerBefore, reports, source.schedule), previous);
    const changes = changesSince(record, states, before, month, previous);
    for (const milestone of registerBefore.values())
      if (!register.has(milestone.id)) changes.retired.push({ id: milestone.id, title: milestone.title, due: milestone.due });
    Object.assign(story, { previous, before, changes });
  }
  return story;
}
