/** Where a month stands on deadline day: who has written, who has not, which milestones lack a status. */
import { monthStory } from "../milestones/story.js";
import { toString as plainText } from "mdast-util-to-string";
import { hasErrors, type Diagnostic } from "../core/diagnostics.js";
import { loadSource } from "../load/index.js";
import type { FragmentSource } from "../load/fragment-source.js";
import { statusesReported } from "../load/history.js";
import { plainValue } from "../load/yaml-source.js";
import { reportingElements } from "../merge/chapters.js";
import type { Config, WbsElement } from "../core/model.js";
import { projectAt } from "../core/structure.js";
import { validateSource } from "../validate/index.js";
import { isComment, splitSections } from "../validate/sections.js";

export type FragmentState = "written" | "missing" | "empty" | "placeholder";

export interface MonthStatus {
  month: string;
  /** Each reporting element's fragment: its state, and how many errors lint finds in it (when any). */
  elements: { code: string; title: string; lead?: string; state: FragmentState; file?: string; errors?: number }[];
  /** Each report part in force this month (the summary, the risks): its fragment's state and errors. */
  parts: { id: string; title: string; state: FragmentState; file?: string; errors?: number }[];
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
  /** Nothing missing, empty or placeholder only, no fragment with errors, and every due milestone reported. */
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
export function monthStatus(
  root: string,
  month: string,
  options: { cache?: string } = {},
): { status?: MonthStatus; diagnostics: Diagnostic[] } {
  const { source, diagnostics: loaded } = loadSource(root, { months: [month], history: true, cache: options.cache });
  const { project: whole, diagnostics } = validateSource({ ...source, fragments: [] });
  if (!whole || hasErrors(diagnostics)) return { diagnostics };
  const project = projectAt(whole, month);

  const byElement = new Map<string, FragmentSource>();
  const byPart = new Map<string, FragmentSource>();
  for (const fragment of source.fragments) {
    const value = ((fragment.frontmatter ? plainValue(fragment.frontmatter).value : undefined) ?? {}) as { wbs?: unknown; part?: unknown };
    const element = typeof value.wbs === "string" || typeof value.wbs === "number" ? project.wbs.find(String(value.wbs)) : undefined;
    if (element && !byElement.has(element.fullCode)) byElement.set(element.fullCode, fragment);
    if (typeof value.part === "string" && !byPart.has(value.part)) byPart.set(value.part, fragment);
  }
  // The errors lint finds in each fragment of the month: a fragment with errors holds the build up.
  const errorsIn = new Map<string, number>();
  for (const found of [...loaded, ...validateSource(source).diagnostics])
    if (found.severity === "error") errorsIn.set(found.file, (errorsIn.get(found.file) ?? 0) + 1);
  const errorsOf = (file: string | undefined) => (file && errorsIn.get(file) ? { errors: errorsIn.get(file)! } : {});

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
      ...errorsOf(fragment?.file),
    };
  });
  const parts = project.config.parts.map((part) => {
    const fragment = byPart.get(part.id);
    // Its comments (the line `new` writes, a reminder) are not its text: the build leaves a part of comments alone out.
    const written = fragment && plainText({ type: "root", children: fragment.body.children.filter((node) => !isComment(node)) }).trim();
    const state: FragmentState = !fragment ? "missing" : !written ? "empty" : FILLER.test(written) ? "placeholder" : "written";
    return { id: part.id, title: part.title, state, ...(fragment && { file: fragment.file }), ...errorsOf(fragment?.file) };
  });
  // What is owed, as the report, lint and new have it: this month's statuses read leniently too.
  const thisMonth = source.fragments.flatMap((fragment) => statusesReported(fragment)).filter((report) => whole.milestones.has(report.id));
  const story = monthStory(whole, month, {
    reports: [...whole.history, ...thisMonth],
    written: (element) => byElement.has(element.fullCode),
  });
  const milestones = story.owed.map(({ milestone, state, owedBy }) => ({
    id: milestone.id,
    title: milestone.title,
    due: milestone.due,
    wbs: project.wbs.find(milestone.wbs)?.code ?? milestone.wbs,
    owedBy: {
      code: owedBy.code,
      ...(leadOf(owedBy) && { lead: leadOf(owedBy) }),
      ...(byElement.has(owedBy.fullCode) && { file: byElement.get(owedBy.fullCode)!.file }),
    },
    ...(state.lastReported && { lastReported: state.lastReported }),
  }));
  const complete = [...elements, ...parts].every((entry) => entry.state === "written" && !entry.errors) && milestones.length === 0;
  const published = [...(whole.published?.months ?? [])]
    .map(([done, entry]) => ({ month: done, published: entry.published, dmreport: entry.dmreport }))
    .sort((a, b) => (a.month < b.month ? -1 : 1));
  return { status: { month, elements, parts, milestones, complete, published }, diagnostics };
}

function leadOf(element: WbsElement): string | undefined {
  for (let node: WbsElement | null = element; node; node = node.parent) if (node.lead) return node.lead;
  return undefined;
}

function fragmentState(fragment: FragmentSource, config: Config): FragmentState {
  const { sections } = splitSections(fragment.file, fragment.body, config.sections);
  const texts = [...sections.values()].map((section) => plainText(section.content).trim()).filter(Boolean);
  if (!texts.length) return "empty";
  const placeholders = new Set(config.sections.flatMap((section) => (section.placeholder ? [normalise(section.placeholder)] : [])));
  return texts.every((text) => placeholders.has(normalise(text)) || FILLER.test(text)) ? "placeholder" : "written";
}

function normalise(text: string): string {
  return text.replace(/\s+/g, " ").replace(/\.$/, "").trim().toLowerCase();
}
