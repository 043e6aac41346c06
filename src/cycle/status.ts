/** Where a month stands on deadline day: who has written, who has not, which milestones lack a status. */
import { completionsIn } from "../milestones/state.js";
import { toString } from "mdast-util-to-string";
import { endOfMonth } from "../calendar.js";
import { reporterOf } from "../wbs.js";
import { hasErrors, type Diagnostic } from "../diagnostics.js";
import { loadSource, plainValue, type FragmentSource } from "../load/index.js";
import { reportingElements } from "../merge/chapters.js";
import type { Config, WbsElement } from "../model.js";
import { projectAt } from "../structure.js";
import { validateSource } from "../validate/index.js";
import { splitSections } from "../validate/sections.js";

export type FragmentState = "written" | "missing" | "empty" | "placeholder";

export interface MonthStatus {
  month: string;
  elements: { code: string; title: string; lead?: string; state: FragmentState; file?: string }[];
  /** Milestones due by the end of the month, or late, with no status reported this month. */
  milestones: {
    id: string;
    title: string;
    due: string;
    wbs: string;
    /** The element that owes its status: whose fragment should report it (see `milestones.reportFrom`), and its lead. */
    owedBy: { code: string; lead?: string; file?: string };
    /** The latest month a fragment reported it, if any. */
    lastReported?: string;
  }[];
  /** Nothing missing, empty or placeholder only, and every due milestone reported. */
  complete: boolean;
  /** The months of the source published (published.yaml): each build must reproduce their outputs. */
  published: { month: string; published: string; dmreport: string }[];
}

/** Text that says nothing yet. */
const FILLER = /^(?:tbd|tbc|todo|n\/?a|nothing yet|-+|\.+)\.?$/i;

/**
 * The month's status. Fragments are read leniently (a fragment with a mistake still counts as
 * written), so that one lead's typo does not hide everybody's state; `lint` reports the mistakes.
 */
export function monthStatus(root: string, month: string, options: { cache?: string } = {}): { status?: MonthStatus; diagnostics: Diagnostic[] } {
  const { source } = loadSource(root, { months: [month], history: true, cache: options.cache });
  const { project: whole, diagnostics } = validateSource({ ...source, fragments: [] });
  if (!whole || hasErrors(diagnostics)) return { diagnostics };
  const project = projectAt(whole, month);

  const byElement = new Map<string, FragmentSource>();
  const reported = new Set<string>();
  for (const fragment of source.fragments) {
    const value = ((fragment.frontmatter ? plainValue(fragment.frontmatter).value : undefined) ?? {}) as { wbs?: unknown; milestones?: { id?: unknown }[] };
    const element = typeof value.wbs === "string" || typeof value.wbs === "number" ? project.wbs.find(String(value.wbs)) : undefined;
    if (element && !byElement.has(element.fullCode)) byElement.set(element.fullCode, fragment);
    for (const entry of Array.isArray(value.milestones) ? value.milestones : [])
      for (const id of ([] as unknown[]).concat(entry?.id)) if (typeof id === "string") reported.add(id);
  }

  // Every leaf must write; an element with children only when it has something of its own.
  const expected = reportingElements(project.wbs).filter((element) => element.children.length === 0 || byElement.has(element.fullCode));
  const elements = expected.map((element) => {
    const fragment = byElement.get(element.fullCode);
    return {
      code: element.code,
      title: element.title,
      // The lead to ask: the element's own, or the nearest one above it.
      lead: leadOf(element),
      state: fragment ? fragmentState(fragment, project.config) : ("missing" as const),
      file: fragment?.file,
    };
  });
  const completed = new Set(completionsIn(project.history).map((completion) => completion.id));
  const lastReported = new Map(project.history.map((report) => [report.id, report.month]));
  const milestones = [...project.milestones.values()]
    .filter((milestone) => milestone.due <= endOfMonth(month) && !completed.has(milestone.id) && !reported.has(milestone.id))
    .map((milestone) => {
      const owner = project.wbs.find(milestone.wbs)!;
      const owing = reporterOf(project.wbs, owner, (element) => byElement.has(element.fullCode), project.config.milestones.reportFrom) ?? owner;
      return {
        id: milestone.id,
        title: milestone.title,
        due: milestone.due,
        wbs: owner.code,
        owedBy: { code: owing.code, ...(leadOf(owing) && { lead: leadOf(owing) }), ...(byElement.has(owing.fullCode) && { file: byElement.get(owing.fullCode)!.file }) },
        ...(lastReported.has(milestone.id) && { lastReported: lastReported.get(milestone.id) }),
      };
    });
  const complete = elements.every((element) => element.state === "written") && milestones.length === 0;
  const published = [...(whole.published?.months ?? [])].map(([done, entry]) => ({ month: done, published: entry.published, dmreport: entry.dmreport })).sort((a, b) => (a.month < b.month ? -1 : 1));
  return { status: { month, elements, milestones, complete, published }, diagnostics };
}

function leadOf(element: WbsElement): string | undefined {
  for (let node: WbsElement | null = element; node; node = node.parent) if (node.lead) return node.lead;
  return undefined;
}

function fragmentState(fragment: FragmentSource, config: Config): FragmentState {
  const { sections } = splitSections(fragment.file, fragment.body, config.sections);
  const texts = [...sections.values()].map((section) => toString(section.content).trim()).filter(Boolean);
  if (!texts.length) return "empty";
  const placeholders = new Set(config.sections.flatMap((section) => (section.placeholder ? [normalise(section.placeholder)] : [])));
  return texts.every((text) => placeholders.has(normalise(text)) || FILLER.test(text)) ? "placeholder" : "written";
}

function normalise(text: string): string {
  return text.replace(/\s+/g, " ").replace(/\.$/, "").trim().toLowerCase();
}
