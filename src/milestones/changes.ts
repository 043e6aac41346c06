/** What changed in a month's milestones against the month before: slips, recoveries, completions, threats. */
import type { Milestone } from "../core/model.js";
import { daysBetween, statesIn, type MilestoneMonthState, type MilestoneRecord } from "./state.js";

/** How far a milestone's expected date moved. */
export interface Slip {
  /** Days from last month's forecast (or its due date when it had none) to this month's: + later, − earlier. */
  month?: number;
  /** Days from its baseline due date to this month's forecast. */
  total?: number;
}

/** The slip of a milestone that is not completed, in `now` against `before` (the previous month's state, if any). */
export function slipOf(milestone: Milestone, now: MilestoneMonthState, before: MilestoneMonthState | undefined): Slip {
  if (now.state === "completed" || !now.forecast) return {};
  const total = daysBetween(milestone.due, now.forecast);
  if (!before || before.state === "completed") return { total };
  return { month: daysBetween(before.forecast ?? milestone.due, now.forecast), total };
}

export interface MilestoneChange {
  id: string;
  title: string;
  due: string;
  forecast?: string;
  previousForecast?: string;
  completed?: string;
  /** Days moved this month, for slipped and recovered. */
  days?: number;
}

/** The changes since the previous month of the source. */
export interface MilestoneChanges {
  /** The month compared with. */
  since: string;
  completed: MilestoneChange[];
  newlyDelayed: MilestoneChange[];
  slipped: MilestoneChange[];
  recovered: MilestoneChange[];
  /** In this month's schedule export and not in the previous one's, and the reverse. */
  added: MilestoneChange[];
  removed: { id: string }[];
  /** In the register last month and not this month (a rebaseline dated its end: `until`). */
  retired: MilestoneChange[];
}

const LATE = new Set(["delayed", "at-risk"]);

/** Compare the states of `month` with those of `previous`. */
export function changesSince(
  record: MilestoneRecord,
  now: Map<string, MilestoneMonthState>,
  before: Map<string, MilestoneMonthState>,
  month: string,
  previous: string,
): MilestoneChanges {
  const changes: MilestoneChanges = {
    since: previous,
    completed: [],
    newlyDelayed: [],
    slipped: [],
    recovered: [],
    added: [],
    removed: [],
    retired: [],
  };
  for (const milestone of record.register.values()) {
    const current = now.get(milestone.id)!;
    const last = before.get(milestone.id);
    // New to the register this month: the schedule's additions say so.
    if (!last) continue;
    const change: MilestoneChange = {
      id: milestone.id,
      title: milestone.title,
      due: milestone.due,
      ...(current.forecast && { forecast: current.forecast }),
    };
    if (current.state === "completed") {
      if (last.state !== "completed") changes.completed.push({ ...change, completed: current.completed });
      continue;
    }
    const lastExpected = last.forecast ?? milestone.due;
    const nowExpected = current.forecast ?? milestone.due;
    const days = daysBetween(lastExpected, nowExpected);
    const withPrevious = { ...change, ...(last.forecast && { previousForecast: last.forecast }), days };
    if (current.state === "delayed" && last.state !== "delayed") changes.newlyDelayed.push(withPrevious);
    else if (LATE.has(current.state) && LATE.has(last.state) && days > 0) changes.slipped.push(withPrevious);
    else if (LATE.has(last.state) && (current.state === "on-track" || days < 0)) changes.recovered.push(withPrevious);
  }
  const snapshotOf = (wanted: string) => record.schedule.find((snapshot) => snapshot.month === wanted);
  const [thisExport, lastExport] = [snapshotOf(month), snapshotOf(previous)];
  if (thisExport && lastExport) {
    for (const [id, row] of thisExport.rows) {
      if (lastExport.rows.has(id)) continue;
      const milestone = record.register.get(id);
      changes.added.push({
        id,
        title: milestone?.title ?? id,
        due: row.due ?? milestone?.due ?? "",
        ...(row.forecast && { forecast: row.forecast }),
      });
    }
    for (const id of lastExport.rows.keys()) if (!thisExport.rows.has(id)) changes.removed.push({ id });
  }
  return changes;
}

/** A delayed milestone whose forecast falls after the due date of a milestone that follows it. */
export interface Threat {
  id: string;
  title: string;
  forecast: string;
  successor: { id: string; title: string; due: string };
}

/** The threats in a month: each delayed milestone against each successor not yet completed. */
export function threatsIn(register: Map<string, Milestone>, states: Map<string, MilestoneMonthState>): Threat[] {
  const successors = new Map<string, Set<string>>();
  const link = (from: string, to: string) => successors.set(from, (successors.get(from) ?? new Set()).add(to));
  for (const milestone of register.values()) {
    for (const next of milestone.successors ?? []) link(milestone.id, next);
    for (const before of milestone.predecessors ?? []) link(before, milestone.id);
  }
  const threats: Threat[] = [];
  for (const milestone of register.values()) {
    const state = states.get(milestone.id)!;
    if (state.state !== "delayed" || !state.forecast) continue;
    for (const id of [...(successors.get(milestone.id) ?? [])].sort(
      (a, b) => (register.get(a)?.order ?? 0) - (register.get(b)?.order ?? 0),
    )) {
      const next = register.get(id);
      const nextState = states.get(id);
      if (!next || !nextState || nextState.state === "completed" || state.forecast <= next.due) continue;
      threats.push({
        id: milestone.id,
        title: milestone.title,
        forecast: state.forecast,
        successor: { id, title: next.title, due: next.due },
      });
    }
  }
  return threats;
}

/** One delayed milestone's forecast, month by month. */
export interface ForecastLine {
  id: string;
  title: string;
  due: string;
  /** The forecast known at the end of each month (undefined: none yet). */
  points: { month: string; forecast?: string }[];
}

/**
 * The forecast history of the milestones delayed in the last of `months` (and of `levels`, when
 * any are given): their forecast at the end of each of `months`.
 */
export function forecastHistory(record: MilestoneRecord, months: readonly string[], levels: readonly number[]): ForecastLine[] {
  const statesByMonth = months.map((month) => ({ month, states: statesIn(record, month) }));
  const last = statesByMonth[statesByMonth.length - 1];
  if (!last) return [];
  return [...record.register.values()]
    .filter((milestone) => last.states.get(milestone.id)!.state === "delayed" && last.states.get(milestone.id)!.forecast)
    .filter((milestone) => !levels.length || (milestone.level !== undefined && levels.includes(milestone.level)))
    .map((milestone) => ({
      id: milestone.id,
      title: milestone.title,
      due: milestone.due,
      points: statesByMonth.map(({ month, states }) => {
        const state = states.get(milestone.id)!;
        return { month, forecast: state.state === "completed" ? undefined : state.forecast };
      }),
    }));
}
