/** Prepare fragment content for its place in the report: links added, headings moved under it. */
import type { Root } from "mdast";
import { visit } from "unist-util-visit";
import type { LinkRule } from "../model.js";
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
 * A copy of `content` with links added and headings placed under `parentLevel`. The parsed tree
 * is never changed, so one parse serves every output format.
 */
export function placeContent(content: Root, links: readonly LinkRule[], placement: ContentPlacement): Root {
  const tree = structuredClone(content);
  linkReferences(tree, links);
  shiftHeadings(tree, placement);
  return tree;
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
