/** The milestone story of a month in words: slip, carried-forward lines, changes since last month, threats. */
import { endOfMonth, monthLabel } from "../core/calendar.js";
import type { MilestoneLine, ReportTree } from "../merge/index.js";
import type { MilestoneChange, Slip } from "../milestones/changes.js";
import type { MilestoneView } from "../core/model.js";
import { daysBetween } from "../milestones/state.js";
import { counted, DAYS } from "./words.js";

/** Days as people read a slip: `+31 days`, `−14 days`, `+1 day`, `0 days`. */
export function signedDays(days: number, locale: string): string {
  const sign = days > 0 ? "+" : days < 0 ? "\u2212" : "";
  return `${sign}${counted(Math.abs(days), DAYS, locale)}`;
}

/** The slip of a line in words, or undefined when there is none to tell. */
export function slipText(slip: Slip | undefined, locale: string): string | undefined {
  if (!slip || slip.total === undefined || (slip.total === 0 && !slip.month)) return undefined;
  const parts = [];
  if (slip.month !== undefined) parts.push(slip.month === 0 ? "unchanged this month" : `${signedDays(slip.month, locale)} this month`);
  parts.push(`${signedDays(slip.total, locale)} in all`);
  return `slip ${parts.join(", ")}`;
}

/** Why a line is in the summary although nobody reported it this month, or undefined when it was reported. */
export function carriedText(line: MilestoneLine, month: string, locale: string): string | undefined {
  if (line.fromSchedule) return `Completed according to the schedule export; no fragment reported it.`;
  if (!line.carried) return undefined;
  const since = line.carried.lastReported ? `last reported ${monthLabel(line.carried.lastReported, locale)}` : "never reported";
  // Not due yet: the schedule's forecast, not a missing report, puts it in the summary.
  if (line.carried.scheduleMonth && line.due > endOfMonth(month))
    return `Forecast after its due date by the schedule export of ${monthLabel(line.carried.scheduleMonth, locale)}; not reported in ${monthLabel(month, locale)} (${since}).`;
  const schedule = line.carried.scheduleMonth
    ? `; forecast from the schedule export of ${monthLabel(line.carried.scheduleMonth, locale)}`
    : "";
  return `Not reported in ${monthLabel(month, locale)} (${since}${schedule}): shown as ${line.status === "at-risk" ? "at risk" : line.status} until its owner reports it.`;
}

export interface ChangeItem {
  ids: string;
  title: string;
  detail: string;
}

export interface StoryView {
  changes?: { sinceLabel: string; groups: { id: string; title: string; items: ChangeItem[] }[] };
  threats: { id: string; title: string; forecast: string; successorId: string; successorTitle: string; due: string; late: string }[];
}

/** The changes and threats of `tree` in words, as far as `show` asks for them. */
export function storyView(tree: ReportTree, show: readonly MilestoneView[], locale: string): StoryView {
  const view: StoryView = { threats: [] };
  const changes = tree.milestoneChanges;
  if (show.includes("changes") && changes) {
    const moved = (change: MilestoneChange) =>
      `forecast ${change.previousForecast ?? `due ${change.due}`} \u2192 ${change.forecast ?? `due ${change.due}`} (${signedDays(change.days ?? 0, locale)})`;
    const item = (change: MilestoneChange, detail: string): ChangeItem => ({ ids: change.id, title: change.title, detail });
    const groups = [
      {
        id: "completed",
        title: "Completed",
        items: changes.completed.map((change) => item(change, `completed ${change.completed}, due ${change.due}`)),
      },
      {
        id: "newly-delayed",
        title: "Newly delayed",
        items: changes.newlyDelayed.map((change) => item(change, `due ${change.due}, forecast ${change.forecast ?? "not given"}`)),
      },
      { id: "slipped", title: "Slipped", items: changes.slipped.map((change) => item(change, moved(change))) },
      {
        id: "recovered",
        title: "Recovered",
        items: changes.recovered.map((change) => item(change, change.forecast && change.days ? moved(change) : "back on track")),
      },
      { id: "added", title: "Added to the schedule", items: changes.added.map((change) => item(change, `due ${change.due}`)) },
      {
        id: "removed",
        title: "Removed from the schedule",
        items: changes.removed.map((change) => ({ ids: change.id, title: "", detail: "no longer in the schedule export" })),
      },
      {
        id: "retired",
        title: "Removed from the register",
        items: changes.retired.map((change) => item(change, `was due ${change.due}; in the register until ${changes.since}`)),
      },
    ].filter((group) => group.items.length > 0);
    view.changes = { sinceLabel: monthLabel(changes.since, locale), groups };
  }
  if (show.includes("threats"))
    view.threats = tree.threats.map((threat) => ({
      id: threat.id,
      title: threat.title,
      forecast: threat.forecast,
      successorId: threat.successor.id,
      successorTitle: threat.successor.title,
      due: threat.successor.due,
      late: signedDays(daysBetween(threat.successor.due, threat.forecast), locale),
    }));
  return view;
}
