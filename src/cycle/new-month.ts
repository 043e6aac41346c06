/** Open a month: one fragment per reporting WBS element, with last month's plans and open milestones in view. */
import { completionsIn } from "../milestones/state.js";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { UsageError } from "../errors.js";
import { endOfMonth } from "../calendar.js";
import type { Diagnostic } from "../diagnostics.js";
import { listMonths, SourceFiles } from "../load/index.js";
import { checkedProject } from "../project.js";
import { projectAt } from "../structure.js";
import { reportingElements } from "../merge/chapters.js";
import type { Milestone, MilestoneStatus, Project, WbsElement, WbsFragment } from "../model.js";
import { contentMarkdown } from "../render/markdown.js";
import { writeSourceFile } from "../write/source.js";

export interface NewMonthOptions {
  month: string;
  /** Only these WBS elements (printed or full codes); every reporting element when absent. */
  wbs?: readonly string[];
  /** A folder to cache earlier months' milestone history in between runs (`privateCacheFolder()`). */
  cache?: string;
}

export interface NewMonthResult {
  diagnostics: Diagnostic[];
  created: string[];
  /** Fragments that exist already and were left alone. */
  kept: string[];
}

/** Create the month's fragments. A source with errors gets diagnostics and nothing written. */
export function newMonth(root: string, options: NewMonthOptions): NewMonthResult {
  const { month } = options;
  const months = listMonths(root);
  const previous = months.filter((candidate) => candidate < month).pop();
  // Only errors stop a new month; warnings (the empty sections of a month being written) are lint's.
  const { project: whole, errors } = checkedProject(root, { months: [month], history: true, cache: options.cache });
  if (!whole) return { diagnostics: errors, created: [], kept: [] };
  // The new month's fragments follow the structure in force that month.
  const project = projectAt(whole, month);
  const earlier = previous ? checkedProject(root, { months: [previous] }).project : undefined;
  const lastMonth = new Map(
    (earlier?.fragments ?? []).filter((fragment): fragment is WbsFragment => fragment.kind === "wbs").map((fragment) => [fragment.wbs, fragment]),
  );

  let elements: WbsElement[];
  if (options.wbs?.length) {
    elements = options.wbs.map((code) => {
      const element = project.wbs.find(code);
      if (!element) throw new UsageError(`--wbs ${code} is not a WBS code of this source (wbs.yaml)`);
      return element;
    });
  } else {
    const reporting = new Set([...reportingElements(project.wbs), ...project.wbs.elements.filter((element) => lastMonth.has(element.fullCode))]);
    elements = project.wbs.elements.filter((element) => reporting.has(element));
  }

  const existing = new Set(
    project.fragments.filter((fragment) => fragment.month === month).map((fragment) => (fragment.kind === "wbs" ? `wbs ${fragment.wbs}` : `part ${fragment.part}`)),
  );
  const completed = new Set(completionsIn(project.history).map((completion) => completion.id));
  const created: string[] = [];
  const kept: string[] = [];
  const files = new SourceFiles(root);
  const write = (key: string, name: string, content: string) => {
    const file = `months/${month}/${name}`;
    if (existing.has(key) || existsSync(join(root, file))) return kept.push(file);
    writeSourceFile(files, file, content);
    created.push(file);
  };

  for (const element of elements) {
    const open = [...project.milestones.values()].filter(
      (milestone) => milestone.wbs === element.fullCode && !completed.has(milestone.id) && isDueOrLate(milestone, month, earlier),
    );
    // An element that writes no progress gets a fragment only to report its milestones.
    if (!element.progress && open.length === 0) continue;
    write(`wbs ${element.fullCode}`, `${element.code}.md`, fragmentText(project, element, month, open, lastOf(element, lastMonth), previous, earlier));
  }
  if (!options.wbs?.length)
    for (const part of project.config.parts)
      write(`part ${part.id}`, `${part.id}.md`, `---\npart: ${part.id}\nmonth: ${month}\n---\n\n<!-- ${part.title} for ${month}: write it here. -->\n`);
  return { diagnostics: [], created, kept };
}

/** Due by the end of the month, or reported late last month. */
/** Last month's fragment of `element`, or of the element it replaced at a re-plan. */
function lastOf(element: WbsElement, lastMonth: Map<string, WbsFragment>): WbsFragment | undefined {
  return lastMonth.get(element.fullCode) ?? (element.replaces ?? []).map((code) => lastMonth.get(code)).find(Boolean);
}

function isDueOrLate(milestone: Milestone, month: string, earlier: Project | undefined): boolean {
  if (milestone.due <= endOfMonth(month)) return true;
  return lastStatus(milestone.id, earlier)?.status === "delayed";
}

function lastStatus(id: string, earlier: Project | undefined): MilestoneStatus | undefined {
  return earlier?.fragments.flatMap((fragment) => fragment.milestones).find((status) => status.ids.includes(id));
}

function fragmentText(
  project: Project,
  element: WbsElement,
  month: string,
  open: Milestone[],
  last: WbsFragment | undefined,
  previous: string | undefined,
  earlier: Project | undefined,
): string {
  const lines = ["---", `wbs: ${JSON.stringify(element.code)}`, `month: ${month}`];
  if (open.length) {
    lines.push("# Milestones of this element that are due or late: report each one's status, then", "# remove the # in front of these lines.");
    lines.push("# milestones:");
    for (const milestone of open) {
      const before = lastStatus(milestone.id, earlier);
      lines.push(`#   - id: ${milestone.id}  # ${milestone.title}, due ${milestone.due}`);
      lines.push(`#     status: ${before?.status ?? "on-track"}  # completed, delayed, at-risk or on-track`);
      if (before?.forecast) lines.push(`#     forecast: ${before.forecast}`);
      lines.push("#     note: What happened, and what comes next.");
    }
  }
  lines.push("---", "");
  const planned = last?.sections.get("planned");
  if (planned && previous) {
    const text = contentMarkdown(planned.content, [], { parentLevel: 2, sourceDepth: planned.headingDepth }).replace(/--+>/g, "- ->");
    lines.push(`<!-- Planned in ${previous}:`, "", text, "", "-->", "");
  }
  const chapter = element.parent === null || element.parent.split;
  for (const section of element.progress ? project.config.sections : []) {
    // Sections expected every month (with a placeholder) always; others where they were written last month, or for a chapter.
    if (section.placeholder || chapter || last?.sections.has(section.id)) lines.push(`## ${section.title}`, "", "");
  }
  return `${lines.join("\n").replace(/\n+$/, "")}\n`;
}
