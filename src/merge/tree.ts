/** The report tree: one month's report as data, in report order, ready for templates. */
import type { Root } from "mdast";
import type { MilestoneState } from "../core/model.js";
import type { ForecastLine, MilestoneChanges, Slip, Threat } from "../milestones/changes.js";

export interface ReportTree {
  title: string;
  organisation?: string;
  subject?: string;
  /** YYYY-MM */
  month: string;
  /** The month as people write it (December 2017). */
  monthLabel: string;
  parts: ReportPart[];
  milestoneSummary: MilestoneGroup[];
  /** What changed since the source's previous month; undefined in its first month. */
  milestoneChanges?: MilestoneChanges;
  /** Delayed milestones forecast after the due date of a milestone that follows them. */
  threats: Threat[];
  /** The forecasts of this month's delayed milestones over the last twelve months of the source. */
  forecastHistory: ForecastLine[];
  charts: MilestoneCharts;
  chapters: Chapter[];
}

export interface ReportPart {
  id: string;
  title: string;
  content: Root;
}

/** Milestones of one state (completed, delayed, at risk), by area. */
export interface MilestoneGroup {
  status: MilestoneState;
  title: string;
  /** The title for one milestone ("Milestone Delayed"), beside a count. */
  one: string;
  areas: MilestoneArea[];
}

export interface MilestoneArea {
  title: string;
  /** The chapter's WBS code, or undefined for a level group (Level 2 Milestones). */
  wbs?: string;
  milestones: MilestoneLine[];
}

export interface MilestoneLine {
  ids: string[];
  title: string;
  level?: number;
  status: MilestoneState;
  due: string;
  completed?: string;
  forecast?: string;
  note?: Root;
  /** Not reported this month: carried forward from the month last reported (or the schedule export of a month). */
  carried?: { lastReported?: string; scheduleMonth?: string };
  /** Completed according to the schedule export, with no fragment reporting it. */
  fromSchedule?: boolean;
  /** For delayed and at-risk milestones with a forecast: how far it moved. */
  slip?: Slip;
  /** The slip this month is past `milestones.slipThreshold`. */
  slipMarked?: boolean;
}

/** The figures behind the milestone charts. */
export interface MilestoneCharts {
  /** Milestones in the register. */
  total: number;
  /**
   * Month by month, from the first due date to the last (or the report month if later): how many
   * milestones remain by the plan (not yet due) and in fact (not yet completed, up to the report
   * month only).
   */
  burndown: { month: string; planned: number; remaining?: number }[];
  /** This month's reported milestones, per area (chapter) in WBS order. */
  byArea: { title: string; counts: Record<MilestoneState, number> }[];
}

/** A chapter of Detailed Project Progress: one WBS element and what lies under it. */
export interface Chapter {
  code: string;
  fullCode: string;
  title: string;
  lead?: string;
  sections: ChapterSection[];
}

/** One section (Current accomplishments...) of a chapter, with each element's part. */
export interface ChapterSection {
  id: string;
  title: string;
  blocks: SectionBlock[];
}

export interface SectionBlock {
  /** The element the text is about; undefined for the chapter's own text (no heading). */
  element?: { code: string; fullCode: string; title: string };
  /** 0 for the chapter's own text, 1 for elements directly under the section heading, and so on. */
  depth: number;
  /** The fragment's text; undefined when the placeholder stands in for a missing fragment. */
  content?: Root;
  /** Heading depth the fragment used for the section, to place deeper headings under the block. */
  sourceDepth: number;
  placeholder?: string;
}
