/** Prepare fragment content for its place in the report: links added, headings moved under it. */
import { createHash } from "node:crypto";
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

/**
 * Content rendered in an earlier run, kept by whoever keeps it (the archive keeps each month's):
 * `rendered` hands back what `render` gave for the same key, calling it only for a key it does
 * not keep.
 */
export interface RenderedContents {
  rendered(key: string, render: () => string): string;
}

/**
 * `render()`, the rendering of `content` as `kind` at `placement`, through `contents` when given:
 * keyed by everything the text depends on (the tree, the links, the placement and `options`).
 * Content showing a local image is rendered anew each time: the image's bytes are read then, and
 * are not in the tree.
 */
export function renderedOnce(
  contents: RenderedContents | undefined,
  kind: string,
  content: Root,
  links: readonly LinkRule[],
  placement: ContentPlacement,
  options: unknown,
  render: () => string,
): string {
  if (!contents) return render();
  const tree = JSON.stringify(content);
  if (tree.includes('"dmreportImage"')) return render();
  const rules = links.map((rule) => [rule.pattern.source, rule.pattern.flags, rule.url]);
  const key = createHash("sha256")
    .update(JSON.stringify([kind, rules, placement, options]))
    .update("\0")
    .update(tree)
    .digest("base64url");
  return contents.rendered(key, render);
}
