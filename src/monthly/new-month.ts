/** Open a month: one fragment per reporting WBS element, with last month's plans and open milestones in view. */
import type { MilestoneMonthState } from "../milestones/state.js";
import { monthStory } from "../milestones/story.js";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { UsageError } from "../core/errors.js";
import type { Diagnostic } from "../core/diagnostics.js";
import { listMonths } from "../load/index.js";
import { SourceFiles } from "../load/source-files.js";
import { checkedProject } from "../project.js";
import { projectAt } from "../core/structure.js";
import { reportingElements } from "../merge/chapters.js";
import type { Milestone, Project, WbsElement, WbsFragment } from "../core/model.js";
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
    (earlier?.fragments ?? [])
      .filter((fragment): fragment is WbsFragment => fragment.kind === "wbs")
      .map((fragment) => [fragment.wbs, fragment]),
  );

  let elements: WbsElement[];
  if (options.wbs?.length) {
    elements = options.wbs.map((code) => {
      const element = project.wbs.find(code);
      if (!element) throw new UsageError(`--wbs ${code} is not a WBS code of this source (wbs.yaml)`);
      return element;
    });
  } else {
    const reporting = new Set([
      ...reportingElements(project.wbs),
      ...project.wbs.elements.filter((element) => lastMonth.has(element.fullCode)),
    ]);
    elements = project.wbs.elements.filter((element) => reporting.has(element));
  }

  const existing = new Set(
    project.fragments
      .filter((fragment) => fragment.month === month)
      .map((fragment) => (fragment.kind === "wbs" ? `wbs ${fragment.wbs}` : `part ${fragment.part}`)),
  );
  // What the month's report would carry, from the month's story: past due and not completed, or
  // last reported delayed or at risk; each in the fragment of its element, or the nearest above it written.
  const story = monthStory(whole, month);
  const chosen = new Set(elements.map((element) => element.fullCode));
  if (!options.wbs?.length) {
    // A carried milestone whose element and those above it write no fragment (a split element's
    // own milestone) gets a fragment of its element, so that someone reports it.
    for (const state of story.states.values()) {
      let element = state.carried ? (project.wbs.find(story.register.get(state.id)!.wbs) ?? null) : null;
      const owner = element;
      while (element && !chosen.has(element.fullCode)) element = element.parent;
      if (owner && !element) chosen.add(owner.fullCode);
    }
    elements = project.wbs.elements.filter((element) => chosen.has(element.fullCode));
  }
  const carried = new Map<string, { milestone: Milestone; state: MilestoneMonthState }[]>();
  for (const state of story.states.values()) {
    if (!state.carried) continue;
    const milestone = story.register.get(state.id)!;
    let element = project.wbs.find(milestone.wbs) ?? null;
    while (element && !chosen.has(element.fullCode)) element = element.parent;
    if (element) carried.set(element.fullCode, [...(carried.get(element.fullCode) ?? []), { milestone, state }]);
  }
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
    const open = (carried.get(element.fullCode) ?? []).sort((a, b) =>
      a.milestone.due < b.milestone.due ? -1 : a.milestone.due > b.milestone.due ? 1 : a.milestone.order - b.milestone.order,
    );
    // An element that writes no progress gets a fragment only to report its milestones.
    if (!element.progress && open.length === 0) continue;
    write(
      `wbs ${element.fullCode}`,
      `${element.code}.md`,
      fragmentText(project, element, month, open, lastOf(element, lastMonth), previous),
    );
  }
  if (!options.wbs?.length)
    for (const part of project.config.parts)
      write(
        `part ${part.id}`,
        `${part.id}.md`,
        `---\npart: ${part.id}\nmonth: ${month}\n---\n\n<!-- ${part.title} for ${month}: write it here. -->\n`,
      );
  return { diagnostics: [], created, kept };
}

/** Last month's fragment of `element`, or of the element it replaced at a re-plan. */
function lastOf(element: WbsElement, lastMonth: Map<string, WbsFragment>): WbsFragment | undefined {
  return lastMonth.get(element.fullCode) ?? (element.replaces ?? []).map((code) => lastMonth.get(code)).find(Boolean);
}

function fragmentText(
  project: Project,
  element: WbsElement,
  month: string,
  open: { milestone: Milestone; state: MilestoneMonthState }[],
  last: WbsFragment | undefined,
  previous: string | undefined,
): string {
  const lines = ["---", `wbs: ${JSON.stringify(element.code)}`, `month: ${month}`];
  if (open.length) {
    lines.push(
      "# Milestones the report carries unless you report them (due or late, or last reported delayed or",
      "# at risk): report each one's status, then remove the # in front of these lines.",
    );
    lines.push("# milestones:");
    for (const { milestone, state } of open) {
      const since = state.lastReported ? `last reported ${state.lastReported}` : "never reported";
      lines.push(`#   - id: ${milestone.id}  # ${milestone.title}, due ${milestone.due}, ${since}`);
      lines.push(`#     status: ${state.state}  # completed, delayed, at-risk or on-track`);
      if (state.forecast)
        lines.push(`#     forecast: ${state.forecast}${state.scheduleMonth ? `  # the ${state.scheduleMonth} schedule's` : ""}`);
      // A delayed milestone needs its forecast: the line is there to fill, not to be found missing by lint.
      else if (state.state === "delayed") lines.push("#     forecast: YYYY-MM-DD  # when it is now expected");
      lines.push("#     note: What happened, and what comes next.");
    }
  }
  lines.push("---", "");
  // What the element said would come next: the sections marked `remind`, else the one named `planned`.
  const marked = project.config.sections.filter((section) => section.remind);
  for (const { id, heading } of marked.length
    ? marked.map((section) => ({ id: section.id, heading: `${section.title}, as written in` }))
    : [{ id: "planned", heading: "Planned in" }]) {
    const planned = last?.sections.get(id);
    if (!planned || !previous) continue;
    const text = contentMarkdown(planned.content, [], { parentLevel: 2, sourceDepth: planned.headingDepth }).replace(/--+>/g, "- ->");
    lines.push(`<!-- ${heading} ${previous}:`, "", text, "", "-->", "");
  }
  const chapter = element.parent === null || element.parent.split;
  for (const section of element.progress ? project.config.sections : []) {
    // Sections expected every month (with a placeholder) always; others where they were written last month, or for a chapter.
    if (section.placeholder || chapter || last?.sections.has(section.id)) lines.push(`## ${section.title}`, "", "");
  }
  return `${lines.join("\n").replace(/\n+$/, "")}\n`;
}
