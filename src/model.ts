/** The checked, typed contents of a report source: what validate hands to merge. */
import type { Root } from "mdast";

export interface SectionSpec {
  id: string;
  title: string;
  /** Shown for a WBS element without a fragment; the section is left out when absent. */
  placeholder?: string;
}

export interface PartSpec {
  id: string;
  title: string;
}

export interface LinkRule {
  pattern: RegExp;
  /** Target with `{0}` for the match and `{1}`... for its groups. */
  url: string;
}

/** How import-milestones reads a schedule export. */
export interface ScheduleImport {
  columns: Record<"id" | "title" | "wbs" | "due" | "forecast" | "completed" | "status" | "deleted", string>;
  wbsPrefix: string;
  completedStatus: string[];
}

export interface Config {
  title: string;
  organisation?: string;
  subject?: string;
  locale: string;
  sections: SectionSpec[];
  parts: PartSpec[];
  links: LinkRule[];
  milestones: { idPatterns: RegExp[]; levelsFirst: number[]; import: ScheduleImport };
  output: { name: string; formats: string[]; pageSize: "A4" | "Letter"; browser?: string };
  /** Absolute folder of template overrides, inside the source root. */
  templates?: string;
  /** Rules turned off or given another severity. */
  rules: Record<string, "off" | "warning" | "error">;
  /** Prefixes of ticket keys (DM, RFC), for the ticket-key rule. */
  tickets: string[];
}

export interface WbsElement {
  /** The code as the report prints it (`02C.03.01`). */
  code: string;
  /** The code with the parents' leading segments (`1.02C.03.01`): unique in the tree. */
  fullCode: string;
  title: string;
  lead?: string;
  /** Its children are chapters of their own. */
  split: boolean;
  /** False when it writes no monthly progress and is left out of Detailed Project Progress. */
  progress: boolean;
  children: WbsElement[];
  parent: WbsElement | null;
}

export interface WbsTree {
  roots: WbsElement[];
  /** Every element in report (depth-first) order. */
  elements: WbsElement[];
  /** Finds an element by its printed or its full code. */
  find(code: string): WbsElement | undefined;
}

export interface Milestone {
  id: string;
  title: string;
  level?: number;
  /** Full code of the owning WBS element. */
  wbs: string;
  /** Baseline due date, YYYY-MM-DD. */
  due: string;
  /** Place in the register, which orders milestones due the same day. */
  order: number;
  /** From the project schedule (import-milestones): the forecast and actual finish. */
  forecast?: string;
  completed?: string;
  /** A local annotation. */
  note?: string;
}

export type MilestoneState = "completed" | "delayed" | "at-risk" | "on-track";

/** One milestone status entry from a fragment's frontmatter. */
export interface MilestoneStatus {
  ids: string[];
  /** Title for several milestones reported together. */
  title?: string;
  status: MilestoneState;
  completed?: string;
  forecast?: string;
  note?: Root;
  /** The fragment that reported it. */
  file: string;
}

/** A fragment section's content: top-level nodes and the heading depth that opened it. */
export interface SectionContent {
  content: Root;
  headingDepth: number;
}

export interface WbsFragment {
  kind: "wbs";
  file: string;
  month: string;
  /** Full code of the element. */
  wbs: string;
  sections: Map<string, SectionContent>;
  /** Sections whose heading is there with nothing under it: not written yet. */
  emptySections: Set<string>;
  milestones: MilestoneStatus[];
}

export interface PartFragment {
  kind: "part";
  file: string;
  month: string;
  part: string;
  content: Root;
  milestones: MilestoneStatus[];
}

export type Fragment = WbsFragment | PartFragment;

/** When a milestone was completed, as reported in some month's fragment. */
export interface MilestoneCompletion {
  id: string;
  /** YYYY-MM-DD: the completion date given, or the last day of the month that reported it. */
  date: string;
  /** The fragment that reported it. */
  file: string;
}

/** A whole report source, checked. */
export interface Project {
  root: string;
  config: Config;
  wbs: WbsTree;
  /** The milestone register, by id, in register order. */
  milestones: Map<string, Milestone>;
  /** Every month folder of the source, sorted. */
  months: string[];
  fragments: Fragment[];
  /** Completions reported in months before the loaded ones (for the burndown). */
  history: MilestoneCompletion[];
}
