/** Pivot WBS fragments into chapters: each section of a chapter gathers every element's part. */
import type { Config, WbsElement, WbsFragment, WbsTree } from "../core/model.js";
import { areaElements, chapterElements } from "../core/wbs.js";
import type { Chapter, ChapterSection, SectionBlock } from "./tree.js";

/**
 * Detailed Project Progress for one month: a chapter per chapter element, and one for a split
 * element whose own fragment has text (before its chapters), so that no written text is dropped.
 */
export function buildChapters(config: Config, wbs: WbsTree, fragments: readonly WbsFragment[]): Chapter[] {
  const byElement = new Map(fragments.map((fragment) => [fragment.wbs, fragment]));
  const chapters = new Set(chapterElements(wbs));
  return areaElements(wbs).flatMap((element): Chapter[] => {
    if (!element.progress) return [];
    const whole = chapters.has(element);
    const sections = config.sections
      .map(
        (spec): ChapterSection => ({
          id: spec.id,
          title: spec.title,
          blocks: whole ? sectionBlocks(element, spec, byElement) : ownBlocks(element, spec, byElement),
        }),
      )
      .filter((section) => section.blocks.length > 0);
    if (!whole && sections.length === 0) return [];
    return [{ code: element.code, fullCode: element.fullCode, title: element.title, lead: element.lead, sections }];
  });
}

/** The text a split element wrote itself in one section: its chapters carry the rest. */
function ownBlocks(element: WbsElement, spec: Config["sections"][number], byElement: Map<string, WbsFragment>): SectionBlock[] {
  const section = byElement.get(element.fullCode)?.sections.get(spec.id);
  return section ? [{ depth: 0, content: section.content, sourceDepth: section.headingDepth }] : [];
}

/**
 * The blocks of one section of a chapter, in WBS order. An element gets a heading when it has
 * text in the section; its children then sit one level deeper. An element without a fragment
 * of its own shows the section's placeholder if it is a leaf, and no heading otherwise, so
 * that intermediate levels nobody reports on do not clutter the report.
 */
function sectionBlocks(chapter: WbsElement, spec: Config["sections"][number], byElement: Map<string, WbsFragment>): SectionBlock[] {
  const blocks: SectionBlock[] = [];
  const visit = (element: WbsElement, depth: number) => {
    if (!element.progress) return;
    const fragment = byElement.get(element.fullCode);
    const own = element === chapter ? undefined : { code: element.code, fullCode: element.fullCode, title: element.title };
    let placed = false;
    const section = fragment?.sections.get(spec.id);
    // A leaf that wrote nothing in a section, or only its heading, shows the placeholder;
    // a section a fragment leaves out entirely is left out of the report.
    const unwritten = !fragment || fragment.emptySections.has(spec.id);
    if (section) {
      blocks.push({ element: own, depth, content: section.content, sourceDepth: section.headingDepth });
      placed = true;
    } else if (unwritten && element.children.length === 0 && spec.placeholder) {
      blocks.push({ element: own, depth, placeholder: spec.placeholder, sourceDepth: 2 });
      placed = true;
    }
    const childDepth = element === chapter ? 1 : placed ? depth + 1 : depth;
    for (const child of element.children) visit(child, childDepth);
  };
  visit(chapter, 0);
  return blocks;
}

/**
 * The elements that write a fragment each month: chapters and leaves that report progress
 * (intermediate elements usually leave their text to their children).
 */
export function reportingElements(wbs: WbsTree): WbsElement[] {
  const chapters = new Set(chapterElements(wbs));
  // An element under one marked `progress: false` writes nothing either.
  const reports = (element: WbsElement): boolean => element.progress && (element.parent === null || reports(element.parent));
  return wbs.elements.filter((element) => reports(element) && !element.split && (chapters.has(element) || element.children.length === 0));
}
