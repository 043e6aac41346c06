/** Prepare fragment content for its place in the report: links added, headings moved under it. */
import type { Root } from "mdast";
import { visit } from "unist-util-visit";
import type { LinkRule } from "../core/model.js";
import { linkReferences } from "./links.js";

/** Markdown's and HTML's deepest heading level. */
const DEEPEST = 6;

export interface ContentPlacement {
  /** Level of the heading the content sits under in the report. */
  parentLevel: number;
  /** Depth of the heading the content sat under in its fragment (a top-level part: 0). */
  sourceDepth: number;
}

/**
 * `content` with links added and headings placed under `parentLevel`, never changing the parsed
 * tree, so one parse serves every output format. The result is shared: it must not be changed.
 */
export function placeContent(content: Root, links: readonly LinkRule[], placement: ContentPlacement): Root {
  const tree = linked(content, links);
  // Most text has no headings of its own: then the linked tree serves every format as it is.
  if (!tree.children.some(hasHeading)) return tree;
  const placed = structuredClone(tree);
  shiftHeadings(placed, placement);
  return placed;
}

/** A copy of each content tree with its links added, made once and shared by every format. */
const linkedTrees = new WeakMap<Root, { links: readonly LinkRule[]; tree: Root }>();

function linked(content: Root, links: readonly LinkRule[]): Root {
  const known = linkedTrees.get(content);
  if (known && known.links === links) return known.tree;
  const tree = structuredClone(content);
  linkReferences(tree, links);
  linkedTrees.set(content, { links, tree });
  return tree;
}

function hasHeading(node: Root["children"][number]): boolean {
  return (
    node.type === "heading" ||
    ("children" in node && Array.isArray(node.children) && node.children.some((child) => hasHeading(child as Root["children"][number])))
  );
}

function shiftHeadings(tree: Root, { parentLevel, sourceDepth }: ContentPlacement): void {
  let shallowest = DEEPEST;
  visit(tree, "heading", (heading) => {
    shallowest = Math.min(shallowest, heading.depth);
  });
  // Under a section heading the fragment's own depth is known; in a part, its shallowest heading leads.
  const base = sourceDepth > 0 ? sourceDepth : shallowest - 1;
  visit(tree, "heading", (heading) => {
    heading.depth = Math.min(DEEPEST, Math.max(1, parentLevel + heading.depth - base)) as 1 | 2 | 3 | 4 | 5 | 6;
  });
}
