/** Write mdast content back to Markdown. */
import type { Root, RootContent } from "mdast";
import { unified } from "unified";
import remarkGfm from "remark-gfm";
import remarkStringify from "remark-stringify";
import { visit } from "unist-util-visit";
import type { LinkRule } from "../model.js";
import { placeContent, type ContentPlacement } from "./content.js";

export type { ContentPlacement } from "./content.js";

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

/** Fragment content as Markdown at its place in the report. */
export function contentMarkdown(content: Root, links: readonly LinkRule[], placement: ContentPlacement): string {
  return stringify(placeContent(content, links, placement));
}

/** Nodes written back as Markdown, as they are (no links added, no headings moved). */
export function markdownOf(nodes: readonly RootContent[]): string {
  return stringify({ type: "root", children: [...nodes] });
}

/** Plain text as Markdown inline text, with Markdown's special characters escaped. */
export function inlineMarkdown(text: string): string {
  let escaped = escapedTexts.get(text);
  if (escaped === undefined) {
    escaped = stringify({ type: "root", children: [{ type: "paragraph", children: [{ type: "text", value: text }] }] });
    // Titles and codes repeat in every month of an archive: escape each once.
    if (escapedTexts.size < 10_000) escapedTexts.set(text, escaped);
  }
  return escaped;
}

const escapedTexts = new Map<string, string>();

/** A note in italics: each paragraph's text wrapped in emphasis. */
export function emphasised(tree: Root): Root {
  const copy = structuredClone(tree);
  visit(copy, "paragraph", (paragraph) => {
    const hasEmphasis = paragraph.children.some((child) => child.type === "emphasis");
    if (!hasEmphasis) paragraph.children = [{ type: "emphasis", children: paragraph.children }];
  });
  return copy;
}

function stringify(tree: Root): string {
  return String(stringifier.stringify(tree)).trimEnd();
}
