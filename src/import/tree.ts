/** Rebuild a WBS tree from an imported report's chapter and element headings, and find milestone owners. */
import type { Project } from "../core/model.js";
import { continuedCode } from "../validate/wbs.js";
import type { ImportedMilestone, ImportedReport } from "./parse-report.js";

export interface Element {
  code: string;
  fullCode: string;
  title: string;
  progress: boolean;
  children: Element[];
}

export type ImportedTree = { roots: Element[]; byCode: Map<string, Element> };

/** The tree of chapters and elements the report's headings name, nested by their codes. */
export function buildTree(report: ImportedReport): { roots: Element[]; byCode: Map<string, Element> } {
  const byCode = new Map<string, Element>();
  const roots: Element[] = [];
  for (const chapter of report.chapters) {
    const root: Element = { code: chapter.code, fullCode: chapter.code, title: chapter.title, progress: true, children: [] };
    byCode.set(chapter.code, root);
    roots.push(root);
    const titles = new Map<string, string | undefined>();
    for (const section of chapter.sections)
      for (const block of section.blocks) if (block.code && !titles.get(block.code)) titles.set(block.code, block.title);
    // Shorter codes first, so that a parent exists before its children; siblings in code order.
    for (const code of [...titles.keys()].sort((a, b) => a.split(".").length - b.split(".").length || compareCodes(a, b))) {
      let parent = root;
      for (const candidate of [...byCode.values()].filter((element) => element === root || isUnder(element, root)))
        if (continuedCode(candidate.fullCode, code) && candidate.fullCode.length > parent.fullCode.length) parent = candidate;
      const element: Element = {
        code,
        fullCode: continuedCode(parent.fullCode, code)!,
        title: titles.get(code) ?? code,
        progress: true,
        children: [],
      };
      parent.children.push(element);
      parent.children.sort((a, b) => compareCodes(a.code, b.code));
      byCode.set(code, element);
    }
  }
  // Areas of the Milestone Summary that are no chapter: elements that own milestones and write no
  // progress, placed among the chapters where the report lists them (after the area listed before
  // it, or before the one listed after it), with a code made of their title's initials.
  report.areas.forEach((area, index) => {
    if (roots.some((root) => sameTitle(root.title, area))) return;
    const code = areaCode(area, byCode);
    const element: Element = { code, fullCode: code, title: area, progress: false, children: [] };
    const at = (titles: string[]) =>
      titles.map((title) => roots.findIndex((root) => sameTitle(root.title, title))).find((found) => found >= 0);
    const after = at(report.areas.slice(0, index).reverse());
    const before = after === undefined ? at(report.areas.slice(index + 1)) : undefined;
    roots.splice(after !== undefined ? after + 1 : (before ?? roots.length), 0, element);
    byCode.set(element.code, element);
  });
  return { roots, byCode };
}

/**
 * A code a person can read for an area that is no chapter: the initials of its title's words
 * (`System Integration & Test`: SIT; `Télémétrie Système`: TS), or AREA where they have no Latin
 * letter; made unique, and never a number (which would read as a WBS code).
 */
function areaCode(title: string, taken: ReadonlyMap<string, Element>): string {
  const words =
    title
      .normalize("NFD")
      .replace(/\p{M}/gu, "")
      .match(/[\p{L}\p{N}]+/gu) ?? [];
  const initials = words
    .map((word) => word[0]!)
    .filter((letter) => /[A-Za-z]/.test(letter))
    .join("")
    .toUpperCase();
  if (initials && !taken.has(initials)) return initials;
  for (let count = initials ? 2 : 1; ; count++) if (!taken.has(`${initials || "AREA"}${count}`)) return `${initials || "AREA"}${count}`;
}

function isUnder(element: Element, root: Element): boolean {
  return root.children.some((child) => child === element || isUnder(element, child));
}

/** Each area heading's owning element. */
export function areaOwners(report: ImportedReport, project: Project | undefined, tree: ImportedTree | undefined) {
  const owners = new Map<string, { code: string; fullCode: string }>();
  for (const area of report.areas) {
    const element = project
      ? project.wbs.elements.find((candidate) => sameTitle(candidate.title, area))
      : tree!.roots.find((root) => sameTitle(root.title, area));
    if (element) owners.set(area, { code: element.code, fullCode: element.fullCode });
  }
  return owners;
}

export function ownerOf(
  milestone: ImportedMilestone,
  areaOwner: Map<string, { code: string; fullCode: string }>,
  project: Project | undefined,
  tree: ImportedTree | undefined,
): { code: string; fullCode: string } {
  const area = milestone.area ? areaOwner.get(milestone.area) : undefined;
  if (area) return area;
  // A level group names no area: the first chapter owns it, and reports it.
  const first = project ? project.wbs.roots[0]! : (tree!.roots.find((root) => root.progress) ?? tree!.roots[0]!);
  return { code: first.code, fullCode: first.fullCode };
}

export function normalise(text: string): string {
  return text.replace(/\s+/g, " ").replace(/[.:]$/, "").trim().toLowerCase();
}

/** Whether two titles name the same thing: letters and digits of any script compared, case, "&"/"and" and punctuation aside. */
export function sameTitle(a: string, b: string): boolean {
  const plain = (text: string) =>
    normalise(text)
      .replace(/&/g, "and")
      .replace(/[^\p{L}\p{N}]+/gu, " ")
      .trim();
  const [left, right] = [plain(a), plain(b)];
  // Titles of punctuation alone are the same only when they are written the same.
  return left || right ? left === right : normalise(a) === normalise(b);
}

export function slug(text: string): string {
  return (
    text
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-|-$/g, "") || "part"
  );
}

export function compareCodes(a: string, b: string): number {
  const left = a.split(".");
  const right = b.split(".");
  for (let index = 0; index < Math.max(left.length, right.length); index++) {
    const [x, y] = [left[index], right[index]];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    const order = /^\d+$/.test(x) && /^\d+$/.test(y) ? Number(x) - Number(y) : x.localeCompare(y);
    if (order) return order;
  }
  return 0;
}
