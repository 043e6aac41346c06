/** The Markdown report's view: every value the template shows, already written as Markdown. */
import type { LinkRule, MilestoneView } from "../core/model.js";
import { carriedText, slipText, storyView, type StoryView } from "./milestone-story.js";
import type { MilestoneLine, ReportTree } from "../merge/index.js";
import type { RenderedContents } from "./content.js";
import { contentMarkdown, emphasised, inlineMarkdown } from "./markdown.js";
import { groupCounted } from "./words.js";

/** Heading levels of the Markdown report; the template writes the same ones. */
export const LEVELS = { part: 2, chapter: 2, section: 3 } as const;

export interface MarkdownView {
  title: string;
  organisation?: string;
  month: string;
  monthLabel: string;
  parts: { title: string; body: string }[];
  /** The month's milestones in words, as the HTML's count cards have them: "10 milestones completed, 1 milestone delayed." */
  counts?: string;
  milestoneSummary: {
    title: string;
    areas: { title: string; milestones: LineView[] }[];
  }[];
  /** Changes since last month and threats, in words (Markdown). */
  story: StoryView;
  chapters: {
    code: string;
    title: string;
    sections: {
      title: string;
      blocks: { level?: number; code?: string; title?: string; body: string }[];
    }[];
  }[];
}

interface LineView {
  ids: string;
  title: string;
  status: string;
  due: string;
  completed?: string;
  forecast?: string;
  /** The slip in words, when `slip` is shown. */
  slip?: string;
  slipMarked?: boolean;
  /** Why an unreported milestone is listed. */
  carried?: string;
  note?: string;
}

/** Build the view of `tree` for the Markdown templates. */
export function markdownView(
  tree: ReportTree,
  links: readonly LinkRule[],
  options: { locale: string; show: readonly MilestoneView[]; remoteImages?: boolean; contents?: RenderedContents },
): MarkdownView {
  const lineView = (line: MilestoneLine) => milestoneView(line, links, tree.month, options);
  const story = storyView(tree, options.show, options.locale);

  return {
    title: text(tree.title),
    organisation: tree.organisation === undefined ? undefined : text(tree.organisation),
    month: tree.month,
    monthLabel: text(tree.monthLabel),
    parts: tree.parts.map((part) => ({
      title: text(part.title),
      body: contentMarkdown(
        part.content,
        links,
        { parentLevel: LEVELS.part, sourceDepth: 0 },
        { remoteImages: options.remoteImages ?? false },
        options.contents,
      ),
    })),
    ...(tree.milestoneSummary.length && {
      counts: `${tree.milestoneSummary
        .map((group) => groupCounted(group, options.locale))
        .map(({ count, title }) => `${count} ${title.toLowerCase()}`)
        .join(", ")}.`,
    }),
    milestoneSummary: tree.milestoneSummary.map((group) => ({
      title: text(group.title),
      areas: group.areas.map((area) => ({ title: text(area.title), milestones: area.milestones.map(lineView) })),
    })),
    story: {
      changes: story.changes && {
        sinceLabel: text(story.changes.sinceLabel),
        groups: story.changes.groups.map((group) => ({
          ...group,
          items: group.items.map((item) => ({ ids: text(item.ids), title: text(item.title), detail: text(item.detail) })),
        })),
      },
      threats: story.threats.map((threat) => ({
        ...threat,
        id: text(threat.id),
        title: text(threat.title),
        successorId: text(threat.successorId),
        successorTitle: text(threat.successorTitle),
      })),
    },
    chapters: tree.chapters.map((chapter) => ({
      code: text(chapter.code),
      title: text(chapter.title),
      sections: chapter.sections.map((section) => ({
        title: text(section.title),
        blocks: section.blocks.map((block) => {
          const level = block.element ? LEVELS.section + block.depth : undefined;
          const parentLevel = level ?? LEVELS.section;
          return {
            level,
            code: block.element ? text(block.element.code) : undefined,
            // A title that only repeats the code (an element the report names by code alone) is not printed twice.
            title: block.element && block.element.title !== block.element.code ? text(block.element.title) : undefined,
            body: block.content
              ? contentMarkdown(
                  block.content,
                  links,
                  { parentLevel, sourceDepth: block.sourceDepth },
                  { remoteImages: options.remoteImages ?? false },
                  options.contents,
                )
              : text(block.placeholder ?? ""),
          };
        }),
      })),
    })),
  };
}

function milestoneView(
  line: MilestoneLine,
  links: readonly LinkRule[],
  month: string,
  options: { locale: string; show: readonly MilestoneView[]; remoteImages?: boolean },
): LineView {
  const slip = options.show.includes("slip") ? slipText(line.slip, options.locale) : undefined;
  const carried = carriedText(line, month, options.locale);
  return {
    ...(slip && { slip: text(slip), slipMarked: line.slipMarked }),
    ...(carried && { carried: text(carried) }),
    ids: text(line.ids.join(", ")),
    title: text(line.title),
    status: line.status,
    due: line.due,
    completed: line.completed,
    forecast: line.forecast,
    note: line.note
      ? contentMarkdown(emphasised(line.note), links, { parentLevel: 5, sourceDepth: 0 }, { remoteImages: options.remoteImages ?? false })
      : undefined,
  };
}

const text = inlineMarkdown;
