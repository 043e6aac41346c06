/** Read a Markdown monthly report into its parts: by what headings say, not by their level. */
import type { Heading, Link, Paragraph, PhrasingContent, Root, RootContent } from "mdast";
import { toString as plainText } from "mdast-util-to-string";
import { visit, SKIP } from "unist-util-visit";
import { parseMarkdown } from "../load/markdown.js";
import type { MilestoneState } from "../core/model.js";
import { markdownOf } from "../render/markdown.js";
import { continuedCode } from "../validate/wbs.js";

/** A block of Markdown and the line of the report it came from. */
export interface Piece {
  line: number;
  nodes: RootContent[];
}

export interface ImportedMilestone {
  ids: string[];
  title: string;
  due: string;
  forecast?: string;
  note?: Root;
  status: MilestoneState;
  /** The completion date, where the report gives it (dmreport's summary lines and its "Changes since" list do). */
  completed?: string;
  level?: number;
  /** The area heading it was listed under (a chapter's title), if any. */
  area?: string;
  line: number;
}

export interface ImportedBlock {
  /** The element's code and title; undefined for the chapter's own text. */
  code?: string;
  title?: string;
  /** Depth of the heading the text stood under, to keep its own headings in proportion. */
  depth: number;
  nodes: RootContent[];
}

export interface ImportedChapter {
  code: string;
  title: string;
  sections: { title: string; blocks: ImportedBlock[] }[];
}

export interface ImportedReport {
  title?: string;
  parts: { title: string; nodes: RootContent[] }[];
  milestones: ImportedMilestone[];
  /** Area headings of the Milestone Summary, in the order they first appear. */
  areas: string[];
  chapters: ImportedChapter[];
  /** What could not be placed, with its line in the report. */
  leftovers: Piece[];
  /** Where a guess was made, with its line. */
  notes: { line: number; message: string }[];
  /** Link targets seen for ticket keys: URL prefix → key prefixes (DM, RFC). */
  linkPrefixes: Map<string, Set<string>>;
  /** The summary's lines carry slip figures (dmreport's own output with `slip` shown). */
  slipShown?: boolean;
}

const KNOWN_SECTIONS = ["current accomplishments", "planned activities", "recruitment update"];
const CODE_HEADING = /^([0-9]*\.?[0-9A-Za-z]+(?:\.[0-9A-Za-z]+)+)\s*(?:[:–—-]\s*)?(.*)$/;
const MILESTONE_ID = "[A-Za-z][A-Za-z0-9&]*(?:[-.][A-Za-z0-9&]+)*";
const ID_LINE = new RegExp(`^\\**((?:${MILESTONE_ID})(?:,\\s*${MILESTONE_ID})*)\\**\\s+(.+)$`);
const DUE_LINE =
  /^due\s+(\d{4}-\d{2}-\d{2})(?:,?\s*completed\s+(\d{4}-\d{2}-\d{2}))?(?:,?\s*forecast\s+(\d{4}-\d{2}-\d{2}))?(;\s*slip\b.*)?\.?$/i;
/** The line dmreport writes for a milestone nobody reported that month: computed, not reported. */
const CARRIED_NOTE =
  /^(?:not reported in .*until its owner reports it\.|forecast after its due date by the schedule export of .*\)\.|completed according to the schedule export; no fragment reported it\.)$/i;
/** Headings of what dmreport computes in the Milestone Summary: nothing in them is a status. */
const COMPUTED_HEADING = /^(?:changes since .+|threats)$/i;
/** What a report says when no milestone is listed, as dmreport's own template writes it. */
const NO_MILESTONES = /^no milestones? (?:was|were) completed\b.*this month\.?$/i;
/** The summary's counts in words, which dmreport computes again: "10 milestones completed, 1 milestone delayed." */
const COUNTS = /^\d+ milestones? (?:completed|delayed|at risk)(?:, \d+ milestones? (?:completed|delayed|at risk))*\.$/i;
const MONTH_LINE = /^(january|february|march|april|may|june|july|august|september|october|november|december)\s+\d{4}$/i;

/** Read `markdown`, a monthly report. Nothing is dropped: what is not understood is a leftover. */
export function parseReport(markdown: string): ImportedReport {
  const tree = parseMarkdown(markdown);
  const report: ImportedReport = { parts: [], milestones: [], areas: [], chapters: [], leftovers: [], notes: [], linkPrefixes: new Map() };
  cleanLinks(tree, report.linkPrefixes);
  const blocks = joinBrokenParagraphs(tree.children);
  const sectionTitles = findSectionTitles(blocks);

  type Place = "front" | "part" | "milestones" | "progress";
  let place: Place = "front";
  let part: { title: string; nodes: RootContent[] } | undefined;
  const milestoneBlocks: RootContent[] = [];
  let chapter: ImportedChapter | undefined;
  let section: ImportedChapter["sections"][number] | undefined;
  let block: ImportedBlock | undefined;
  // Depth of the heading that opened the current text (an element's, or its section's).
  let blockDepth = 0;
  const leftover = (node: RootContent) => report.leftovers.push({ line: node.position?.start.line ?? 1, nodes: [node] });

  for (const node of blocks) {
    const text = node.type === "heading" ? headingText(node) : "";
    if (node.type === "heading" && !report.title && place === "front" && !MONTH_LINE.test(text)) {
      report.title = text;
    } else if (MONTH_LINE.test(node.type === "heading" || node.type === "paragraph" ? plainText(node).trim() : "") && place === "front") {
      // The month under the title: the import is told the month, so nothing to keep.
    } else if (node.type === "heading" && /^milestone summary$/i.test(text)) {
      place = "milestones";
    } else if (node.type === "heading" && /^detailed project progress$/i.test(text)) {
      place = "progress";
    } else if (place === "milestones") {
      milestoneBlocks.push(node);
    } else if (node.type === "heading" && (place === "front" || place === "part") && !CODE_HEADING.test(text)) {
      part = { title: text, nodes: [] };
      report.parts.push(part);
      place = "part";
    } else if (place === "part" && part) {
      part.nodes.push(node);
    } else if (place === "progress" && node.type === "heading" && CODE_HEADING.test(text)) {
      const [, code, title] = CODE_HEADING.exec(text)!;
      const under = chapter && continuedCode(chapter.code, code!) !== undefined;
      if (!chapter || !under) {
        chapter = { code: code!, title: title!.trim() || code!, sections: [] };
        report.chapters.push(chapter);
        section = undefined;
        block = undefined;
        blockDepth = node.depth;
      } else {
        if (!section) {
          section = { title: [...sectionTitles.values()][0] ?? "Current accomplishments", blocks: [] };
          chapter.sections.push(section);
          report.notes.push({
            line: node.position?.start.line ?? 1,
            message: `${code} has no section heading above it in ${chapter.code}: it is placed under ${section.title}`,
          });
        }
        block = { code: code!, title: title!.trim() || undefined, depth: node.depth, nodes: [] };
        section.blocks.push(block);
        blockDepth = node.depth;
      }
    } else if (
      place === "progress" &&
      node.type === "heading" &&
      chapter &&
      (sectionTitles.has(normaliseTitle(text)) || !(block && node.depth > blockDepth))
    ) {
      // A heading without a code in a chapter is a section, unless it sits deeper than the
      // heading of the text it is in: then it is that text's own sub-heading.
      if (!sectionTitles.has(normaliseTitle(text))) sectionTitles.set(normaliseTitle(text), canonicalSection(text));
      section = { title: sectionTitles.get(normaliseTitle(text))!, blocks: [] };
      chapter.sections.push(section);
      block = undefined;
      blockDepth = node.depth;
    } else if (place === "progress" && chapter && section) {
      if (!block) {
        block = { depth: blockDepth, nodes: [] };
        section.blocks.push(block);
      }
      block.nodes.push(node);
    } else {
      leftover(node);
    }
  }
  readMilestones(milestoneBlocks, report);
  return report;
}

function headingText(node: Heading): string {
  return plainText(node).replace(/\s+/g, " ").trim();
}

function normaliseTitle(text: string): string {
  return text.replace(/[*_:]/g, "").replace(/\s+/g, " ").trim().toLowerCase();
}

function canonicalSection(text: string): string {
  const cleaned = text.replace(/[*_]/g, "").replace(/:$/, "").trim();
  return cleaned.charAt(0).toUpperCase() + cleaned.slice(1);
}

/**
 * Section titles, as first written: the known ones, and any heading without a code that several
 * chapters repeat. Compared by their normalised form.
 */
function findSectionTitles(blocks: RootContent[]): Map<string, string> {
  const counts = new Map<string, { count: number; written: string }>();
  for (const node of blocks)
    if (node.type === "heading") {
      const written = headingText(node);
      const key = normaliseTitle(written);
      if (!CODE_HEADING.test(key))
        counts.set(key, { count: (counts.get(key)?.count ?? 0) + 1, written: counts.get(key)?.written ?? canonicalSection(written) });
    }
  const keys = [
    ...KNOWN_SECTIONS.filter((key) => counts.has(key)),
    ...[...counts]
      .filter(([key, { count }]) => count >= 3 && !KNOWN_SECTIONS.includes(key) && !/milestones?\b|summary$/.test(key))
      .map(([key]) => key),
  ];
  return new Map(keys.map((key) => [key, counts.get(key)!.written]));
}

/**
 * Links a conversion left without a target (`(#)`) become their text; links whose text is a
 * ticket key or document handle at the end of their URL become text too, since the source's
 * link patterns make them again.
 */
function cleanLinks(tree: Root, prefixes: Map<string, Set<string>>): void {
  visit(tree, "link", (node: Link, index, parent) => {
    const text = plainText(node);
    const automatic = /^[A-Z][A-Za-z0-9]*-\d+$/.test(text) && node.url.endsWith(text);
    if (automatic) {
      const target = node.url.slice(0, -text.length);
      prefixes.set(target, (prefixes.get(target) ?? new Set()).add(text.split("-")[0]!));
    }
    if (parent && index !== undefined && (node.url === "#" || node.url === "" || automatic)) {
      parent.children.splice(index, 1, ...(node.children as PhrasingContent[]));
      return [SKIP, index];
    }
    return undefined;
  });
}

/** Text a page break cut in two ("into the" | "work. Colin"): joined again. */
function joinBrokenParagraphs(nodes: RootContent[]): RootContent[] {
  const joined: RootContent[] = [];
  for (const node of nodes) {
    const last = joined[joined.length - 1];
    const starts = node.type === "paragraph" ? plainText(node).trimStart() : "";
    if (last && node.type === "paragraph" && /^[a-z]/.test(starts)) {
      const target = last.type === "paragraph" ? last : last.type === "list" ? deepestParagraph(last) : undefined;
      if (target && !/[.!?:;)"”’]\s*$/.test(plainText(target))) {
        target.children.push({ type: "text", value: " " }, ...node.children);
        continue;
      }
    }
    joined.push(node);
  }
  return joined;
}

function deepestParagraph(node: RootContent): Paragraph | undefined {
  if (node.type === "paragraph") return node;
  if ("children" in node && Array.isArray(node.children) && node.children.length)
    return deepestParagraph(node.children[node.children.length - 1] as RootContent);
  return undefined;
}

/** The Milestone Summary: states, level groups, areas, and each milestone's lines. */
function readMilestones(nodes: RootContent[], report: ImportedReport): void {
  let status: MilestoneState | undefined;
  let level: number | undefined;
  let area: string | undefined;
  let computed = false;
  // dmreport's own "Changes since" list gives each completion's date, which the summary lines do not.
  const completedOn = new Map<string, string>();
  interface Line {
    text: string;
    line: number;
    node: RootContent;
  }
  const lines: Line[] = [];
  const flush = () => {
    for (let index = 0; index < lines.length; index++) {
      const id = ID_LINE.exec(lines[index]!.text);
      const due = lines[index + 1] ? DUE_LINE.exec(lines[index + 1]!.text) : null;
      if (!id || !due || !status) {
        report.leftovers.push({
          line: lines[index]!.line,
          nodes: [{ type: "paragraph", children: [{ type: "text", value: lines[index]!.text }] }],
        });
        continue;
      }
      const noteLines: string[] = [];
      let next = index + 2;
      while (next < lines.length && !(ID_LINE.test(lines[next]!.text) && lines[next + 1] && DUE_LINE.test(lines[next + 1]!.text)))
        noteLines.push(lines[next++]!.text);
      const note = noteLines
        .join(" ")
        .trim()
        .replace(/^\*(.+)\*$/, "$1")
        .replace(/^_(.+)_$/, "$1");
      if (due[4]) report.slipShown = true;
      const line = lines[index]!.line;
      index = next - 1;
      if (CARRIED_NOTE.test(note)) continue;
      report.milestones.push({
        ids: id[1]!.split(/,\s*/),
        title: id[2]!.replace(/\\$/, "").trim(),
        due: due[1]!,
        ...(due[2] && { completed: due[2] }),
        forecast: due[3],
        note: note ? parseMarkdown(note) : undefined,
        status,
        level,
        area,
        line,
      });
    }
    lines.length = 0;
  };
  for (const node of nodes) {
    if (node.type === "heading") {
      flush();
      const text = headingText(node);
      computed = COMPUTED_HEADING.test(text);
      if (computed) continue;
      if (/^milestones? completed$/i.test(text)) [status, level, area] = ["completed", undefined, undefined];
      else if (/^milestones? delayed$/i.test(text)) [status, level, area] = ["delayed", undefined, undefined];
      else if (/^milestones? at risk$/i.test(text)) [status, level, area] = ["at-risk", undefined, undefined];
      else if (/^level (\d+) milestones?$/i.test(text)) [level, area] = [Number(/\d+/.exec(text)![0]), undefined];
      else {
        [level, area] = [undefined, text];
        if (!report.areas.includes(text)) report.areas.push(text);
      }
      continue;
    }
    const start = node.position?.start.line ?? 1;
    if (computed) {
      if (node.type === "list")
        for (const item of node.children) {
          const found = /^(\S+)\s.*:\s*completed (\d{4}-\d{2}-\d{2})\b/.exec(plainText(item));
          if (found) completedOn.set(found[1]!, found[2]!);
        }
      continue;
    }
    if (node.type === "paragraph" && (NO_MILESTONES.test(plainText(node).trim()) || COUNTS.test(plainText(node).trim()))) continue;
    if (node.type !== "paragraph") {
      report.leftovers.push({ line: start, nodes: [node] });
      continue;
    }
    // One line per line break, as the milestone was written: id and title, due date, note.
    markdownOf([node])
      .split("\n")
      .map((text) =>
        text
          .replace(/\\$/, "")
          .replace(/ {2,}$/, "")
          .trim(),
      )
      .forEach((text, offset) => {
        if (text) lines.push({ text, line: start + offset, node });
      });
  }
  flush();
  for (const milestone of report.milestones)
    if (milestone.status === "completed" && !milestone.completed && completedOn.has(milestone.ids[0]!))
      milestone.completed = completedOn.get(milestone.ids[0]!);
}
