/** Questions every stage asks of the WBS tree: chapters, who may report a milestone, where a schedule's code belongs. */
import type { WbsElement, WbsTree } from "./model.js";

/** The elements that are chapters: top-level elements, or the children of a split one. */
export function chapterElements(wbs: WbsTree): WbsElement[] {
  return areaElements(wbs).filter((element) => !(element.split && element.children.length));
}

/**
 * The areas of the Milestone Summary, in WBS order: every chapter, and every split element
 * before its chapters, for the milestones and text that the split element owns itself.
 */
export function areaElements(wbs: WbsTree): WbsElement[] {
  const areas = (elements: WbsElement[]): WbsElement[] =>
    elements.flatMap((element) => (element.split && element.children.length ? [element, ...areas(element.children)] : [element]));
  return areas(wbs.roots);
}

/**
 * The area an element belongs to: the chapter it is in, or the split element itself. Walks down
 * from the top the way `areaElements` does, so every element has one of its areas.
 */
export function areaOf(element: WbsElement): WbsElement {
  const path: WbsElement[] = [];
  for (let node: WbsElement | null = element; node; node = node.parent) path.unshift(node);
  let index = 0;
  while (index < path.length - 1 && path[index]!.split && path[index]!.children.length) index++;
  return path[index]!;
}

/**
 * True when `reporter` may report the status of a milestone owned by `owner`: the owner itself
 * or an element above it; with `reportFrom: chapter`, any element of the owner's chapter.
 */
export function mayReport(reporter: WbsElement, owner: WbsElement, reportFrom: "element" | "chapter"): boolean {
  if (reportFrom === "chapter" && areaOf(reporter) === areaOf(owner)) return true;
  for (let node: WbsElement | null = owner; node; node = node.parent) if (node === reporter) return true;
  return false;
}

/**
 * The element of the tree that a schedule's WBS code belongs to: the deepest element that is the
 * code or one of its ancestors. Codes that differ only by `leading` (`1.02C.07` and `02C.07`
 * with `1.`) are the same element. Undefined when no part of the code is in the tree.
 */
export function mapScheduleCode(wbs: WbsTree, code: string, leading: string): WbsElement | undefined {
  const forms = [code];
  if (leading) forms.push(code.startsWith(leading) ? code.slice(leading.length) : leading + code);
  for (const form of forms) {
    const segments = form.split(".");
    for (let length = segments.length; length > 0; length--) {
      const element = wbs.find(segments.slice(0, length).join("."));
      if (element) return element;
    }
  }
  return undefined;
}

/**
 * The element whose fragment should report a milestone owned by `owner`, among those that have
 * one (`written`): the owner's own, the nearest above it, or with `reportFrom: chapter` any of
 * its chapter's, in WBS order. Undefined when none of them wrote this month.
 */
export function reporterOf(
  wbs: WbsTree,
  owner: WbsElement,
  written: (element: WbsElement) => boolean,
  reportFrom: "element" | "chapter",
): WbsElement | undefined {
  for (let node: WbsElement | null = owner; node; node = node.parent) if (written(node)) return node;
  if (reportFrom !== "chapter") return undefined;
  const chapter = areaOf(owner);
  return wbs.elements.find((element) => areaOf(element) === chapter && written(element));
}
