/**
 * The archive's milestone dashboard rendered: every month with its counts and links, the burndown
 * over the whole history, every milestone's state, through the archive templates.
 */
import { endOfMonth, monthLabel } from "../core/calendar.js";
import { slipOf } from "../milestones/changes.js";
import { daysBetween } from "../milestones/state.js";
import type { MonthStory } from "../milestones/story.js";
import type { Config, MilestoneState, WbsTree } from "../core/model.js";
import type { MilestoneCharts } from "../merge/tree.js";
import { burndownSvg, STATE_LABELS } from "./charts.js";
import { loadTemplates, type TemplateOverrides } from "./templates.js";
import { signedDays } from "./milestone-story.js";
import { withinTimeLimit } from "../core/time-limit.js";

/** What the dashboard needs of one month built. */
export interface DashboardMonth {
  month: string;
  label: string;
  /** The month's output files, by name. */
  files: string[];
  counts: Record<string, number>;
}

export interface DashboardInput {
  config: Config;
  wbs: WbsTree;
  /** The latest month's milestone story, as its report tells it. */
  story: MonthStory;
  /** The burndown's data over the whole history, up to the latest month (merged by the archive). */
  charts: MilestoneCharts;
  months: DashboardMonth[];
  /** The format of each output file, from its name. */
  formatOf: (file: string) => string;
  formats: readonly string[];
  generator: string;
  templates?: TemplateOverrides;
}

/** A page of the dashboard: its file name and text. */
export interface DashboardFile {
  name: string;
  content: string;
}

const STATES: MilestoneState[] = ["completed", "delayed", "at-risk", "on-track"];
const UPCOMING = 10;

/** The dashboard's files: index.md with the Markdown format, index.html and milestones.html with any HTML one. */
export function dashboardFiles(input: DashboardInput): DashboardFile[] {
  // The source's templates render under the time limit, as the months' do (a partial that includes itself twice never ends).
  return withinTimeLimit(() => dashboardFilesOf(input));
}

function dashboardFilesOf(input: DashboardInput): DashboardFile[] {
  const months = [...input.months].sort((a, b) => (a.month < b.month ? 1 : -1));
  const latest = months[0]?.month;
  if (!latest) return [];
  const { config } = input;
  const files: DashboardFile[] = [];
  const count = (month: DashboardMonth, status: string) => month.counts[status] ?? 0;
  if (input.formats.includes("md")) {
    const rows = months.map((month) => {
      const links = month.files.map((file) => `[${input.formatOf(file)}](${encodeURI(file)})`).join(", ");
      return `| ${month.label} | ${links} | ${count(month, "completed")} | ${count(month, "delayed")} | ${count(month, "at-risk")} |`;
    });
    files.push({
      name: "index.md",
      content: `# ${config.title}\n\n| Month | Report | Completed | Delayed | At risk |\n| --- | --- | --- | --- | --- |\n${rows.join("\n")}\n`,
    });
  }
  if (!input.formats.some((format) => format !== "md")) return files;

  const { render, styles, diagnostics } = loadTemplates("archive", input.templates, { escapeHtml: true, inherits: "html" });
  if (!render || diagnostics.length) return files;
  const now = input.story.states;
  const earlier = months[1]?.month;
  const before = earlier ? input.story.before : undefined;
  const common = {
    lang: config.locale,
    title: config.title,
    organisation: config.organisation,
    generator: input.generator,
    css: styles.join("\n"),
    firstLabel: monthLabel(months[months.length - 1]!.month, config.locale),
    latestLabel: monthLabel(latest, config.locale),
  };
  const htmlFile = (month: string) =>
    months.find((candidate) => candidate.month === month)?.files.find((file) => input.formatOf(file) === "html");
  files.push({
    name: "index.html",
    content: render({
      ...common,
      isIndex: true,
      pageTitle: "Milestone dashboard",
      monthCount: months.length,
      oneMonth: months.length === 1,
      months: months.map((month) => ({
        month: month.month,
        label: month.label,
        files: month.files.map((file) => ({ href: encodeURI(file), format: input.formatOf(file) })),
        completed: count(month, "completed"),
        delayed: count(month, "delayed"),
        atRisk: count(month, "at-risk"),
      })),
      burndown: burndownSvg(input.charts, latest, config.locale),
    }),
  });

  const end = endOfMonth(latest);
  const milestones = [...input.story.register.values()].map((milestone) => {
    const state = now.get(milestone.id)!;
    // A milestone done late (or early) shows by how much, as one still open shows its forecast's slip.
    const done = state.state === "completed" && state.completed ? daysBetween(milestone.due, state.completed) : undefined;
    const slip = done === undefined ? slipOf(milestone, state, before?.get(milestone.id)).total : done || undefined;
    const report = state.lastReported ? htmlFile(state.lastReported) : undefined;
    return {
      id: milestone.id,
      title: milestone.title,
      level: milestone.level,
      wbs: input.wbs.find(milestone.wbs)?.code ?? milestone.wbs,
      state: state.state,
      stateLabel: STATE_LABELS[state.state],
      due: milestone.due,
      forecast: state.forecast,
      completed: state.completed,
      slip: slip === undefined ? "" : signedDays(slip, config.locale),
      lastReported: state.lastReported ? monthLabel(state.lastReported, config.locale, "short") : "never",
      lastReportedHref: report ? encodeURI(report) : undefined,
      overdue: state.state !== "completed" && milestone.due <= end,
    };
  });
  const levels = [...new Set(milestones.map((milestone) => milestone.level))].sort((a, b) => (a ?? 99) - (b ?? 99));
  files.push({
    name: "milestones.html",
    content: render({
      ...common,
      isIndex: false,
      pageTitle: "Milestones",
      stateCounts: STATES.map((status) => ({
        status,
        label: STATE_LABELS[status],
        count: milestones.filter((milestone) => milestone.state === status).length,
      })),
      overdueCount: milestones.filter((milestone) => milestone.overdue).length,
      levels: levels.map((level) => {
        const ofLevel = milestones.filter((milestone) => milestone.level === level);
        return {
          label: level === undefined ? "No level" : `Level ${level}`,
          counts: STATES.map((status) => ofLevel.filter((milestone) => milestone.state === status).length),
          overdue: ofLevel.filter((milestone) => milestone.overdue).length,
        };
      }),
      upcoming: milestones
        .filter((milestone) => milestone.state !== "completed" && milestone.due > end)
        .sort((a, b) => (a.due < b.due ? -1 : a.due > b.due ? 1 : 0))
        .slice(0, UPCOMING),
      milestones,
    }),
  });
  return files;
}
