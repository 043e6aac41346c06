/** The HTML report's view: plain text (escaped by Handlebars), sanitized HTML, anchors and charts. */
import type { MilestoneLine, ReportTree } from "../merge/index.js";
import type { LinkRule, MilestoneView } from "../core/model.js";
import { burndownSvg, byAreaSvg, forecastHistorySvg, STATE_LABELS } from "./charts.js";
import { carriedText, slipText, storyView } from "./milestone-story.js";
import type { RenderedContents } from "./content.js";
import { contentHtml } from "./html.js";
import { groupCounted } from "./words.js";

/** Heading levels of the HTML report; the templates write the same ones. */
const LEVELS = { part: 2, chapter: 3, section: 4 } as const;

export interface TocEntry {
  href: string;
  text: string;
  children: TocEntry[];
}

/** The anchor of a WBS element, the same every month: `wbs-1-02C-03-01`. */
export function wbsAnchor(fullCode: string): string {
  return `wbs-${fullCode.replace(/[^A-Za-z0-9]+/g, "-")}`;
}

export interface HtmlViewOptions {
  links: readonly LinkRule[];
  /** `output.remoteImages`: images from the network shown; otherwise shown as links. */
  remoteImages?: boolean;
  locale: string;
  generator: string;
  /** The stylesheets, in order. */
  css: string[];
  pageSize: string;
  /** The computed milestone views to show. */
  show: readonly MilestoneView[];
  /** Fragment content rendered in an earlier run, by whoever keeps it. */
  contents?: RenderedContents;
}

/** Build the view of `tree` for the HTML and print templates. */
export function htmlView(tree: ReportTree, options: HtmlViewOptions) {
  const { links } = options;
  const seen = new Set<string>();
  const parts = tree.parts.map((part) => ({
    id: `part-${part.id}`,
    title: part.title,
    body: contentHtml(part.content, links, { parentLevel: LEVELS.part, sourceDepth: 0 }, options.remoteImages, options.contents),
  }));
  const milestoneGroups = tree.milestoneSummary.map((group) => ({
    id: `milestones-${group.status}`,
    title: group.title,
    areas: group.areas.map((area) => ({
      title: area.title,
      rows: area.milestones.map((line) => milestoneRow(line, links, tree.month, options)),
    })),
  }));
  const chapters = tree.chapters.map((chapter) => {
    const id = wbsAnchor(chapter.fullCode);
    seen.add(id);
    return {
      id,
      code: chapter.code,
      title: chapter.title,
      lead: chapter.lead,
      sections: chapter.sections.map((section) => ({
        id: `${id}-${section.id}`,
        title: section.title,
        blocks: section.blocks.map((block) => {
          const level = block.element ? LEVELS.section + block.depth : undefined;
          let anchor: string | undefined;
          if (block.element) {
            // The element's first appearance carries its plain anchor; each section its own.
            const plain = wbsAnchor(block.element.fullCode);
            anchor = seen.has(plain) ? `${plain}-${section.id}` : plain;
            seen.add(anchor);
          }
          return {
            id: anchor,
            level: level === undefined ? undefined : Math.min(level, 6),
            code: block.element?.code,
            title: block.element && block.element.title !== block.element.code ? block.element.title : undefined,
            body: block.content
              ? contentHtml(
                  block.content,
                  links,
                  { parentLevel: level ?? LEVELS.section, sourceDepth: block.sourceDepth },
                  options.remoteImages,
                  options.contents,
                )
              : undefined,
            placeholder: block.placeholder,
          };
        }),
      })),
    };
  });

  const story = storyView(tree, options.show, options.locale);
  const storyEntries = [
    ...(story.changes ? [{ href: "#milestones-changes", text: `Changes since ${story.changes.sinceLabel}`, children: [] }] : []),
    ...(story.threats.length ? [{ href: "#milestones-threats", text: "Threats", children: [] }] : []),
  ];
  const toc: TocEntry[] = [
    ...parts.map((part) => ({ href: `#${part.id}`, text: part.title, children: [] })),
    {
      href: "#milestones",
      text: "Milestone Summary",
      children: [...storyEntries, ...milestoneGroups.map((group) => ({ href: `#${group.id}`, text: group.title, children: [] }))],
    },
    {
      href: "#progress",
      text: "Detailed Project Progress",
      children: chapters.map((chapter) => ({ href: `#${chapter.id}`, text: `${chapter.code} ${chapter.title}`, children: [] })),
    },
  ];

  const counts = tree.milestoneSummary.map((group) => ({ status: group.status, ...groupCounted(group, options.locale) }));

  return {
    lang: options.locale,
    title: tree.title,
    organisation: tree.organisation,
    subject: tree.subject,
    month: tree.month,
    monthLabel: tree.monthLabel,
    generator: options.generator,
    pageSize: options.pageSize,
    css: options.css.join("\n"),
    // For @page margin boxes: a CSS string's content, quotes and backslashes escaped.
    cssTitle: cssString(tree.title),
    cssMonth: cssString(tree.monthLabel),
    toc,
    parts,
    milestones: {
      counts,
      groups: milestoneGroups,
      changes: story.changes,
      threats: story.threats,
      burndown: burndownSvg(tree.charts, tree.month, options.locale),
      forecastHistory: options.show.includes("history") ? forecastHistorySvg(tree.forecastHistory, options.locale) : "",
      byArea: byAreaSvg(tree.charts),
    },
    chapters,
  };
}

function milestoneRow(line: MilestoneLine, links: readonly LinkRule[], month: string, options: HtmlViewOptions) {
  return {
    slip: options.show.includes("slip") ? slipText(line.slip, options.locale) : undefined,
    slipMarked: line.slipMarked,
    carried: carriedText(line, month, options.locale),
    ids: line.ids.join(", "),
    title: line.title,
    level: line.level,
    due: line.due,
    completed: line.completed,
    forecast: line.forecast,
    status: line.status,
    statusLabel: STATE_LABELS[line.status],
    note: line.note ? contentHtml(line.note, links, { parentLevel: 6, sourceDepth: 0 }, options.remoteImages) : undefined,
  };
}

function cssString(text: string): string {
  return text.replace(/[\\"]/g, (char) => `\\${char}`).replace(/[\n\r<>]/g, " ");
}
