/** Write mdast content back to Markdown at its place in the report. */
import type { Root, RootContent } from "mdast";
import { unified } from "unified";
import remarkGfm from "remark-gfm";
import remarkStringify from "remark-stringify";
import { visit } from "unist-util-visit";
import type { LinkRule } from "../model.js";
import { linkReferences } from "./links.js";

const stringifier = unified()
  .use(remarkStringify, {
    bullet: "-",
    emphasis: "*",
    strong: "*",
    listItemIndent: "one",
    rule: "-",
    fences: true,
  })
  .use(remarkGfm)
  .freeze();

/** Markdown's deepest heading level. */
const DEEPEST = 6;

export interface ContentPlacement {
  /** Level of the heading the content sits under in the report. */
  parentLevel: number;
  /** Depth of the heading the content sat under in its fragment (a top-level part: 0). */
  sourceDepth: number;
}

/**
 * Fragment content as Markdown for the report: links added and headings moved under the heading
 * the content now sits under. The tree is copied, so one parse serves every output format.
 */
export function contentMarkdown(content: Root, links: readonly LinkRule[], placement: ContentPlacement): string {
  const tree = structuredClone(content);
  linkReferences(tree, links);
  shiftHeadings(tree, placement);
  return stringify(tree);
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

/** Plain text as Markdown inline text, with Markdown's special characters escaped. */
export function inlineMarkdown(text: string): string {
  return stringify({ type: "root", children: [{ type: "paragraph", children: [{ type: "text", value: text }] }] });
}

/** A note in italics: each paragraph's text wrapped in emphasis. */
export function emphasised(tree: Root): Root {
  const copy = structuredClone(tree);
  visit(copy, "paragraph", (paragraph) => {
    const hasEmphasis = paragraph.children.some((child) => child.type === "emphasis");
    if (!hasEmphasis) paragraph.children = [{ type: "emphasis", children: paragraph.children }];
  });
  return copy;
}

function stringify(tree: Root | RootContent): string {
  return String(stringifier.stringify(tree as Root)).trimEnd();
}
