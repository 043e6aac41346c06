/** Draw the milestone charts as inline SVG at build time: no script, styled by the page's CSS. */
import { endOfMonth, monthLabel, nextMonth, previousMonth } from "../core/calendar.js";
import type { MilestoneCharts } from "../merge/index.js";
import type { ForecastLine } from "../milestones/changes.js";
import { daysBetween } from "../milestones/state.js";
import type { MilestoneState } from "../core/model.js";
import { counted, DAYS, formFor, MILESTONES } from "./words.js";
import { escapeHtml } from "./escape.js";

export const STATE_LABELS: Record<MilestoneState, string> = {
  completed: "Completed",
  delayed: "Delayed",
  "at-risk": "At risk",
  "on-track": "On track",
};

const round = (value: number) => Math.round(value * 10) / 10;

/** Remaining milestones, month by month: the plan (not yet due) against the fact (not yet completed). */
export function burndownSvg(charts: MilestoneCharts, month: string, locale: string): string {
  const points = charts.burndown;
  if (points.length < 2 || charts.total === 0) return "";
  const width = 680;
  const height = 280;
  const left = 44;
  const right = 40;
  const top = 16;
  const bottom = 56;
  const plotWidth = width - left - right;
  const plotHeight = height - top - bottom;
  const x = (index: number) => round(left + (plotWidth * index) / (points.length - 1));
  const y = (count: number) => round(top + plotHeight - (plotHeight * count) / charts.total);
  const step = niceStep(charts.total);
  const grid: string[] = [];
  for (let value = 0; value <= charts.total; value += step) {
    grid.push(`<line class="grid" x1="${left}" x2="${width - right}" y1="${y(value)}" y2="${y(value)}"/>`);
    grid.push(`<text class="tick" x="${left - 6}" y="${y(value) + 4}" text-anchor="end">${value}</text>`);
  }
  const labelEvery = Math.max(1, Math.ceil(points.length / 8));
  // Counted back from the last month, so that the report month is labelled and no two labels collide.
  const ticks = points.flatMap((point, index) =>
    (points.length - 1 - index) % labelEvery === 0
      ? [
          `<text class="tick" x="${x(index)}" y="${height - bottom + 18}" text-anchor="middle">${escapeHtml(monthLabel(point.month, locale, "short"))}</text>`,
        ]
      : [],
  );
  const plan = points.map((point, index) => `${x(index)},${y(point.planned)}`).join(" ");
  const actual = points.flatMap((point, index) => (point.remaining === undefined ? [] : [`${x(index)},${y(point.remaining)}`])).join(" ");
  const reportIndex = points.findIndex((point) => point.month === month);
  const now = points[reportIndex];
  const marker = now
    ? `<line class="now" x1="${x(reportIndex)}" x2="${x(reportIndex)}" y1="${top}" y2="${top + plotHeight}"/>` +
      `<circle class="actual-point" cx="${x(reportIndex)}" cy="${y(now.remaining ?? 0)}" r="4"/>`
    : "";
  const summary = now
    ? `At the end of ${monthLabel(month, locale)}, ${now.remaining} of ${counted(charts.total, MILESTONES, locale)} ${formFor(now.remaining ?? 0, { one: "remains", other: "remain" }, locale)}; by the plan, ${now.planned} would.`
    : `${counted(charts.total, MILESTONES, locale)} in the register.`;
  return [
    `<svg class="chart burndown" viewBox="0 0 ${width} ${height}" role="img" aria-labelledby="burndown-title burndown-desc" xmlns="http://www.w3.org/2000/svg">`,
    `<title id="burndown-title">Milestone burndown</title>`,
    `<desc id="burndown-desc">${escapeHtml(summary)}</desc>`,
    ...grid,
    `<line class="axis" x1="${left}" x2="${width - right}" y1="${top + plotHeight}" y2="${top + plotHeight}"/>`,
    ...ticks,
    `<polyline class="plan" points="${plan}"/>`,
    actual ? `<polyline class="actual" points="${actual}"/>` : "",
    marker,
    `<g class="legend" transform="translate(${left},${height - 14})">`,
    `<line class="plan" x1="0" x2="24" y1="-4" y2="-4"/><text x="30" y="0">Planned remaining (not yet due)</text>`,
    `<line class="actual" x1="250" x2="274" y1="-4" y2="-4"/><text x="280" y="0">Remaining (not yet completed)</text>`,
    `</g>`,
    `</svg>`,
  ].join("");
}

/** This month's reported milestones per area, one stacked bar per area. */
export function byAreaSvg(charts: MilestoneCharts): string {
  const rows = charts.byArea;
  if (!rows.length) return "";
  const states = Object.keys(STATE_LABELS) as MilestoneState[];
  const width = 680;
  // Room for the longest area name (about 6.8 px a character at 12 px).
  const labelWidth = Math.min(380, Math.max(120, Math.max(...rows.map((row) => row.title.length)) * 6.8 + 16));
  const rowHeight = 26;
  const top = 8;
  const legendHeight = 30;
  const height = top + rows.length * rowHeight + legendHeight;
  const most = Math.max(...rows.map((row) => states.reduce((sum, state) => sum + row.counts[state], 0)));
  const scale = (width - labelWidth - 40) / most;
  const bars = rows.map((row, index) => {
    const y = top + index * rowHeight;
    let offset = labelWidth;
    const segments = states.flatMap((state) => {
      const count = row.counts[state];
      if (!count) return [];
      const segment =
        `<rect class="bar ${state}" x="${round(offset)}" y="${y + 4}" width="${round(count * scale)}" height="${rowHeight - 8}">` +
        `<title>${escapeHtml(`${row.title}: ${count} ${STATE_LABELS[state].toLowerCase()}`)}</title></rect>` +
        (count * scale >= 16
          ? `<text class="count" x="${round(offset + (count * scale) / 2)}" y="${y + rowHeight / 2 + 4}" text-anchor="middle">${count}</text>`
          : "");
      offset += count * scale;
      return [segment];
    });
    return `<text class="label" x="${labelWidth - 8}" y="${y + rowHeight / 2 + 4}" text-anchor="end">${escapeHtml(row.title)}</text>${segments.join("")}`;
  });
  const legend = states.map(
    (state, index) =>
      `<rect class="bar ${state}" x="${round(labelWidth + index * 95)}" y="-10" width="12" height="12"/><text x="${round(labelWidth + index * 95 + 17)}" y="0">${STATE_LABELS[state]}</text>`,
  );
  const described = rows
    .map(
      (row) =>
        `${row.title}: ${states
          .filter((state) => row.counts[state])
          .map((state) => `${row.counts[state]} ${STATE_LABELS[state].toLowerCase()}`)
          .join(", ")}`,
    )
    .join("; ");
  return [
    `<svg class="chart by-area" viewBox="0 0 ${width} ${height}" role="img" aria-labelledby="by-area-title by-area-desc" xmlns="http://www.w3.org/2000/svg">`,
    `<title id="by-area-title">This month's milestones by area and status</title>`,
    `<desc id="by-area-desc">${escapeHtml(described)}</desc>`,
    ...bars,
    `<g class="legend" transform="translate(0,${height - 8})">${legend.join("")}</g>`,
    `</svg>`,
  ].join("");
}

/** A step of 1, 2 or 5 times a power of ten giving about five grid lines. */
function niceStep(total: number): number {
  const raw = total / 5;
  const power = 10 ** Math.floor(Math.log10(Math.max(raw, 1)));
  return [1, 2, 5, 10].map((factor) => factor * power).find((step) => step >= raw) ?? power * 10;
}

/** At most this many milestones are drawn in the forecast history: the ones that slipped most. */
const HISTORY_LINES = 8;
/** The fewest months the forecast history's dates axis spans. */
const HISTORY_MIN_MONTHS = 3;

/**
 * The forecast of each delayed milestone month by month: the report months across, the forecast
 * dates up; a line that climbs is a milestone that slipped, the dashed line its due date.
 */
export function forecastHistorySvg(lines: readonly ForecastLine[], locale: string): string {
  const months = lines[0]?.points.map((point) => point.month) ?? [];
  if (!lines.length || months.length < 2) return "";
  const forecasts = (line: ForecastLine) => line.points.flatMap((point) => (point.forecast ? [point.forecast] : []));
  // The lines that moved most over the months shown, then the latest: what a reader looks for.
  const moved = (line: ForecastLine) => daysBetween(forecasts(line)[0]!, forecasts(line).at(-1)!);
  const shown = [...lines]
    .sort((a, b) => moved(b) - moved(a) || daysBetween(a.due, forecasts(b).at(-1)!) - daysBetween(b.due, forecasts(a).at(-1)!))
    .slice(0, HISTORY_LINES);
  // The dates axis runs over whole months, at least HISTORY_MIN_MONTHS of them: a slip of a day
  // looks like a day, not like the whole height of the chart. It starts at the end of the month
  // before the first forecast and ends at the end of the month of the last.
  const dates = shown.flatMap(forecasts).sort();
  const axisMonths = [previousMonth(dates[0]!.slice(0, 7))];
  while (axisMonths.at(-1)! < dates[dates.length - 1]!.slice(0, 7) || axisMonths.length <= HISTORY_MIN_MONTHS)
    axisMonths.push(nextMonth(axisMonths.at(-1)!));
  const low = endOfMonth(axisMonths[0]!);
  const span = daysBetween(low, endOfMonth(axisMonths.at(-1)!));
  const width = 680;
  const left = 64;
  const right = 96;
  const top = 14;
  const plotHeight = Math.max(220, shown.length * 14);
  const height = top + plotHeight + 40;
  const plotWidth = width - left - right;
  const x = (index: number) => round(left + (plotWidth * index) / (months.length - 1));
  const y = (date: string) => round(top + plotHeight - (plotHeight * daysBetween(low, date)) / span);
  // A line at the end of each month (of every few, on a long axis), labelled with it: a forecast
  // on a month's line or under it, and over the line of the month before, falls in that month (a
  // month-end forecast, as schedules write most, sits on its month's line).
  const every = Math.ceil((axisMonths.length - 1) / 6);
  const grid: string[] = [];
  for (let index = 0; index < axisMonths.length; index += every) {
    const date = endOfMonth(axisMonths[index]!);
    grid.push(`<line class="grid" x1="${left}" x2="${width - right}" y1="${y(date)}" y2="${y(date)}"/>`);
    grid.push(
      `<text class="tick" x="${left - 6}" y="${y(date) + 4}" text-anchor="end">${escapeHtml(monthLabel(axisMonths[index]!, locale, "short"))}</text>`,
    );
  }
  // Counted back from the report month, as the burndown's, so that no two labels collide.
  const labelEvery = Math.max(1, Math.ceil(months.length / 8));
  const ticks = months.flatMap((month, index) =>
    (months.length - 1 - index) % labelEvery === 0
      ? [
          `<text class="tick" x="${x(index)}" y="${top + plotHeight + 18}" text-anchor="middle">${escapeHtml(monthLabel(month, locale, "short"))}</text>`,
        ]
      : [],
  );
  // Labels at the lines' ends, pushed apart where forecasts are close.
  const labelY = new Map<ForecastLine, number>();
  let previous = -Infinity;
  for (const line of [...shown].sort((a, b) => y(forecasts(a).at(-1)!) - y(forecasts(b).at(-1)!))) {
    previous = Math.max(y(forecasts(line).at(-1)!) + 4, previous + 13);
    labelY.set(line, round(previous));
  }
  const series = shown.map((line, index) => {
    const points = line.points.flatMap((point, at) => (point.forecast ? [{ at, forecast: point.forecast }] : []));
    const last = points[points.length - 1]!;
    const slip = daysBetween(line.due, last.forecast);
    return [
      `<g class="series series-${index % 6}">`,
      `<title>${escapeHtml(`${line.id} ${line.title}: due ${line.due}, forecast ${last.forecast} (${counted(slip, DAYS, locale)} late)`)}</title>`,
      points.length > 1
        ? `<polyline class="forecast" points="${points.map((point) => `${x(point.at)},${y(point.forecast)}`).join(" ")}"/>`
        : "",
      ...points.map((point) => `<circle cx="${x(point.at)}" cy="${y(point.forecast)}" r="3"/>`),
      `<text class="label" x="${x(last.at) + 8}" y="${labelY.get(line)}">${escapeHtml(line.id)}</text>`,
      `</g>`,
    ].join("");
  });
  const summary = shown.map((line) => `${line.id}: forecast ${line.points.map((point) => point.forecast ?? "none").join(", ")}`).join("; ");
  const more = lines.length > shown.length ? ` (the ${shown.length} of ${lines.length} delayed milestones that slipped most)` : "";
  return [
    `<svg class="chart forecast-history" viewBox="0 0 ${width} ${height}" role="img" aria-labelledby="forecast-history-title forecast-history-desc" xmlns="http://www.w3.org/2000/svg">`,
    `<title id="forecast-history-title">Forecast history of the delayed milestones${escapeHtml(more)}</title>`,
    `<desc id="forecast-history-desc">${escapeHtml(summary)}</desc>`,
    ...grid,
    `<line class="axis" x1="${left}" x2="${width - right}" y1="${top + plotHeight}" y2="${top + plotHeight}"/>`,
    ...ticks,
    ...series,
    `</svg>`,
  ].join("");
}
