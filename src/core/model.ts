/**
 * The checked, typed contents of a report source (what validate hands to merge), and the plain
 * data every stage shares: positions in files, parsed YAML, the publish record. The bottom of the
 * house: it imports nothing of dmreport's.
 */
import type { Root } from "mdast";
import type { Document } from "yaml";

/** A 1-based place in a file. */
export interface Position {
  line: number;
  column: number;
}

/** A parsed YAML text and the means to place its values in the file. */
export interface YamlSource {
  /** Path of the file, as shown in diagnostics. */
  file: string;
  /** The whole file's text (LF line endings, no BOM). */
  text: string;
  /** Where the YAML starts in the file. */
  offset: number;
  doc: Document.Parsed;
  /** Position in the file of an offset in the parsed YAML text. */
  positionAt(offset: number): Position;
}

/** The text formats a publish record keeps (`PUBLISHED_FORMATS` in validate/publish-record.ts). */
export type PublishedFormat = "md" | "html" | "print";

export interface OutputDigest {
  sha256: string;
  /** The first 4 bytes of each line's SHA-256, one after another, in base64 (from the month's details). */
  lines?: string;
}

export interface PublishedMonth {
  /** YYYY-MM-DD: the day it was published. */
  published: string;
  /** The dmreport version that made the outputs. */
  dmreport: string;
  outputs: Partial<Record<PublishedFormat, OutputDigest>>;
  /** What the outputs were made from: each file's short digest by its path in the source (and the earlier months' statuses). */
  reads?: Map<string, string>;
  /** Read from a record of the first form (each output with its line digests, no details file). */
  firstForm?: boolean;
}

/** The publish record: the months published, and where each stands in its files. */
export interface PublishRecord {
  months: Map<string, PublishedMonth>;
  source: YamlSource;
  /** Each month's details file, by month. */
  details: Map<string, YamlSource>;
}

/** When an entry of the structure is in force: YYYY-MM, both ends included; always when absent (see structure.ts). */
export interface InForce {
  from?: string;
  until?: string;
}

export interface SectionSpec extends InForce {
  id: string;
  title: string;
  /** Shown for a WBS element without a fragment; the section is left out when absent. */
  placeholder?: string;
  /** What it says comes next: `new` quotes last month's text of it in the element's new fragment. */
  remind?: boolean;
}

export interface PartSpec extends InForce {
  id: string;
  title: string;
}

export interface LinkRule {
  pattern: RegExp;
  /** Target with `{0}` for the match and `{1}`... for its groups. */
  url: string;
}

/** The fields import-milestones reads from a schedule export. */
export type ScheduleField =
  | "id"
  | "title"
  | "wbs"
  | "due"
  | "forecast"
  | "completed"
  | "status"
  | "deleted"
  | "predecessors"
  | "successors"
  | "level";

/** How import-milestones reads a schedule export. */
export interface ScheduleImport {
  /** For each field, the column names it may have, in order of preference (exports differ). */
  columns: Record<ScheduleField, string[]>;
  /** Removed from the front of the export's WBS ids (anchored at the start; it may change between exports). */
  wbsPrefix: RegExp | undefined;
  /** As written in dmreport.yaml, for messages. */
  wbsPrefixText?: string;
  /**
   * Schedule WBS codes (after the prefix) and the element of the tree each belongs to, for codes
   * the tree has no element for (the subsystem's own level, above its chapters); a deeper code
   * follows its nearest mapped ancestor.
   */
  wbsMap: { code: string; element: string }[];
  /** A leading part of WBS codes that the schedule writes and the tree does not, or the reverse (`1.`). */
  wbsLeading: string;
  completedStatus: string[];
  /** The text encoding of exports that are not UTF-8 (`windows-1252`); undefined: UTF-8 (or UTF-16 with its mark). */
  encoding?: string;
  /** The export's finish is the baseline: it sets due dates, and adds milestones the register does not know. */
  baseline: boolean;
}

/** Settings for some exports (a baseline export, another tool's), by the export's file name or `--profile`. */
export interface ImportProfile extends ScheduleImport {
  name: string;
  /** A glob the export's file name matches (`*BL*.csv`). */
  match?: string;
}

/** Which computed milestone views a format shows. */
export type MilestoneView = "slip" | "changes" | "threats" | "history";
export const MILESTONE_VIEWS: readonly MilestoneView[] = ["slip", "changes", "threats", "history"];

export interface MilestoneSettings {
  idPatterns: RegExp[];
  levelsFirst: number[];
  import: ScheduleImport & { profiles: ImportProfile[] };
  /** Which fragments may report a milestone: its element's (and those above it), or any of its chapter's. */
  reportFrom: "element" | "chapter";
  /** A slip of more days than this (this month, or in all) is marked. */
  slipThreshold: number;
  /** The levels whose delayed milestones the forecast-history chart draws; every level when empty. */
  historyLevels: number[];
  /** The computed views each format shows. */
  show: Record<string, MilestoneView[]>;
}

export interface Config {
  title: string;
  organisation?: string;
  subject?: string;
  locale: string;
  sections: SectionSpec[];
  parts: PartSpec[];
  links: LinkRule[];
  milestones: MilestoneSettings;
  /** `remoteImages`: images from the network shown and fetched (off: shown as links, nothing fetched). */
  output: { name: string; formats: string[]; pageSize: "A4" | "Letter"; browser?: string; remoteImages: boolean };
  /** Absolute folder of template overrides, inside the source root: the one in force (configAt), or the latest. */
  templates?: string;
  /** Every folder of template overrides, each with the months it is in force. */
  templateFolders: (InForce & { folder: string })[];
  /** Rules turned off or given another severity. */
  rules: Record<string, "off" | "warning" | "error">;
  /** Prefixes of ticket keys (DM, RFC), for the ticket-key rule. */
  tickets: string[];
}

export interface WbsElement extends InForce {
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
  /** Full codes of the elements it took over from at a re-plan (re-coded or merged). */
  replaces?: string[];
}

export interface WbsTree {
  roots: WbsElement[];
  /** Every element in report (depth-first) order. */
  elements: WbsElement[];
  /** Finds an element by its printed or its full code. */
  find(code: string): WbsElement | undefined;
}

export interface Milestone extends InForce {
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
  /** The WBS id the schedule gives, when it differs from the element the report groups it under. */
  scheduleWbs?: string;
  /** Milestones before and after it in the schedule's logic. */
  predecessors?: string[];
  successors?: string[];
  /** A local annotation. */
  note?: string;
  /** What the milestone is, at more length than its title (an annotations file's). */
  description?: string;
}

/** A milestone's status as one month's fragment reported it. */
export interface MilestoneReport {
  readonly id: string;
  /** YYYY-MM: the month whose fragment reported it. */
  readonly month: string;
  readonly status: MilestoneState;
  /** For completed: the completion date given, or the last day of the month. */
  readonly completed?: string;
  readonly forecast?: string;
  /** The fragment that reported it. */
  readonly file: string;
}

/** One milestone in one month's schedule export, as import-milestones kept it. */
export interface ScheduleRow {
  id: string;
  due?: string;
  forecast?: string;
  completed?: string;
}

/** A month's schedule export, kept in the source as `schedule/YYYY-MM.yaml`. */
export interface ScheduleSnapshot {
  month: string;
  rows: Map<string, ScheduleRow>;
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
  /**
   * The milestone register by id, in register order: each id's latest entry (the register as it
   * stands now); `projectAt` gives the register as it stood in a month.
   */
  milestones: Map<string, Milestone>;
  /** Every entry of the register, in register order: an id is listed again for months its other entries are not in force. */
  register: readonly Milestone[];
  /** Every month folder of the source, sorted. */
  months: string[];
  fragments: Fragment[];
  /** Statuses reported in months before the loaded ones (for carry-forward, slip and the burndown). */
  history: MilestoneReport[];
  /** The schedule snapshots kept in the source, by month, up to the loaded months. */
  schedule: ScheduleSnapshot[];
  /** The months published (published.yaml), whose outputs a build must reproduce. */
  published?: PublishRecord;
  /** The template overrides of each folder in `config.templateFolders`, by its absolute path: file texts by path in the folder (`html/report.hbs`). */
  templates: ReadonlyMap<string, ReadonlyMap<string, string>>;
}
