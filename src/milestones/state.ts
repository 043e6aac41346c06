/** A milestone's state in a month, computed from every report and schedule snapshot up to that month. */
import { endOfMonth } from "../core/calendar.js";
import type { Fragment, Milestone, MilestoneCompletion, MilestoneReport, MilestoneState, ScheduleSnapshot } from "../core/model.js";

/** What is known of one milestone at the end of one month. */
export interface MilestoneMonthState {
  id: string;
  state: MilestoneState;
  /** The date it is expected, when one is known and it is not completed. */
  forecast?: string;
  /** When it was completed, if it was by the end of the month. */
  completed?: string;
  /** Reported in this month's fragments. */
  reported: boolean;
  /** The latest month a fragment reported it, up to this month. */
  lastReported?: string;
  /** Past due, or last reported delayed or at risk, and not reported this month: carried forward. */
  carried: boolean;
  /** Where the state comes from when no fragment gave it: the schedule export of that month. */
  scheduleMonth?: string;
}

/** Everything the state of any month is computed from, gathered once. */
export interface MilestoneRecord {
  register: Map<string, Milestone>;
  /** Every report of every month known, in month order. */
  reports: readonly MilestoneReport[];
  /** Schedule snapshots in month order. */
  schedule: readonly ScheduleSnapshot[];
}

/** The record of a project: reports of earlier months and of the months loaded, snapshots in order. */
export function milestoneRecord(
  register: Map<string, Milestone>,
  reports: readonly MilestoneReport[],
  schedule: readonly ScheduleSnapshot[],
): MilestoneRecord {
  const byMonth = <T extends { month: string }>(items: readonly T[]) =>
    [...items].sort((a, b) => (a.month < b.month ? -1 : a.month > b.month ? 1 : 0));
  return { register, reports: byMonth(reports), schedule: byMonth(schedule) };
}

/**
 * The state of every milestone of the register at the end of `month`:
 * - completed when a report, the schedule snapshot or the register says so by the month's end
 *   (completed is final);
 * - otherwise the status reported this month;
 * - otherwise, carried forward: delayed when past due, or the delayed or at-risk status last
 *   reported, or at risk when the month's schedule forecasts it after a due date still to come;
 * - otherwise on track.
 * The forecast is the newest one known: this month's report, else the newer of the last report
 * and the latest schedule snapshot.
 */
export function statesIn(record: MilestoneRecord, month: string): Map<string, MilestoneMonthState> {
  const end = endOfMonth(month);
  const latest = new Map<string, MilestoneReport>();
  const completedOn = new Map<string, string>();
  for (const report of record.reports) {
    if (report.month > month) break;
    latest.set(report.id, report);
    const known = completedOn.get(report.id);
    if (report.completed && (known === undefined || report.completed < known)) completedOn.set(report.id, report.completed);
  }
  const snapshot = [...record.schedule].reverse().find((candidate) => candidate.month <= month);

  const states = new Map<string, MilestoneMonthState>();
  for (const milestone of record.register.values()) {
    const report = latest.get(milestone.id);
    const row = snapshot?.rows.get(milestone.id);
    const reported = report?.month === month;
    const base = { id: milestone.id, reported, lastReported: report?.month, carried: false };
    const completed = [completedOn.get(milestone.id), row?.completed, milestone.completed]
      .filter((date): date is string => date !== undefined && date <= end)
      .sort()[0];
    if (completed) {
      states.set(milestone.id, { ...base, state: "completed", completed, reported: reported && report!.status === "completed" });
      continue;
    }
    // The schedule's word is newer than a report of an earlier month, never than this month's.
    const scheduleIsNewer = row?.forecast !== undefined && snapshot!.month >= (report?.month ?? "");
    const forecast = reported ? (report!.forecast ?? row?.forecast) : scheduleIsNewer ? row!.forecast : report?.forecast;
    const due = row?.due ?? milestone.due;
    if (reported) {
      states.set(milestone.id, { ...base, state: report!.status, ...(forecast && { forecast }) });
    } else if (due <= end || (report && (report.status === "delayed" || report.status === "at-risk"))) {
      const state: MilestoneState = due <= end ? "delayed" : report!.status;
      states.set(milestone.id, {
        ...base,
        state,
        carried: true,
        ...(forecast && { forecast }),
        ...(scheduleIsNewer && { scheduleMonth: snapshot!.month }),
      });
    } else if (scheduleIsNewer && row!.forecast! > due) {
      // Not due yet: at risk of being late, as the schedule forecasts it.
      states.set(milestone.id, { ...base, state: "at-risk", carried: true, forecast: row!.forecast, scheduleMonth: snapshot!.month });
    } else {
      states.set(milestone.id, { ...base, state: "on-track", ...(forecast && { forecast }) });
    }
  }
  return states;
}

/** Whole days from `from` to `to` (YYYY-MM-DD): positive when `to` is later. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** The completions among `reports`, in their order. */
export function completionsIn(reports: readonly MilestoneReport[]): MilestoneCompletion[] {
  return reports.flatMap(({ id, completed, file }) => (completed ? [{ id, date: completed, file }] : []));
}

/** The reports a month's fragments make, one per milestone id. */
export function reportsOf(fragments: readonly Fragment[]): MilestoneReport[] {
  return fragments.flatMap((fragment) =>
    fragment.milestones.flatMap((status) =>
      status.ids.map((id) => ({
        id,
        month: fragment.month,
        status: status.status,
        ...(status.status === "completed" && { completed: status.completed ?? endOfMonth(fragment.month) }),
        ...(status.forecast && { forecast: status.forecast }),
        file: fragment.file,
      })),
    ),
  );
}
