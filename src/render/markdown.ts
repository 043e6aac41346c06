/** Write mdast content back to Markdown. */
import type { Nodes, Root, RootContent } from "mdast";
import { unified } from "unified";
import remarkGfm from "remark-gfm";
import remarkStringify from "remark-stringify";
import { SKIP, visit } from "unist-util-visit";
import { visitParents } from "unist-util-visit-parents";
import { DATA_IMAGE, isRemote, urlKept } from "../core/content-safety.js";
import { sanitizedHtml } from "./html.js";
import type { LinkRule } from "../core/model.js";
import { placeContent, renderedOnce, type ContentPlacement, type RenderedContents } from "./content.js";

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

/**
 * Fragment content as Markdown at its place in the report. With `safety` (a report's output),
 * it carries what the HTML carries: raw HTML sanitized, unsafe URLs removed, and remote images
 * as links unless `safety.remoteImages`.
 */
export function contentMarkdown(
  content: Root,
  links: readonly LinkRule[],
  placement: ContentPlacement,
  safety?: { remoteImages: boolean },
  contents?: RenderedContents,
): string {
  return renderedOnce(contents, "md", content, links, placement, safety ?? null, () => {
    const placed = placeContent(content, links, placement);
    return stringify(safety ? safeMarkdown(placed, safety.remoteImages) : placed);
  });
}

/** Containers whose children are blocks: a raw HTML node directly in one is a block of its own. */
const FLOW_PARENTS = new Set(["root", "listItem", "blockquote", "footnoteDefinition"]);

/**
 * `tree`, or a copy with what the HTML output would not carry made safe: each block holding raw
 * HTML is replaced by that block's sanitized HTML (the same as the HTML output's), in a `<div>`
 * with no blank line, so that a Markdown renderer reads it as one HTML block and finds no
 * Markdown in it; links with an unsafe URL keep their text; images with one keep their
 * description; remote images become links unless allowed. Most content has none of these and is
 * returned as it is.
 */
export function safeMarkdown(tree: Root, remoteImages: boolean): Root {
  let unsafe = false;
  visit(tree, (node) => {
    if (node.type === "html") unsafe = true;
    else if ((node.type === "link" || node.type === "definition") && !urlKept(node.url, "href")) unsafe = true;
    else if (node.type === "image" && (!imageKept(node.url) || (!remoteImages && isRemote(node.url)))) unsafe = true;
  });
  if (!unsafe) return tree;
  const copy = structuredClone(tree);
  const blocks = new Set<Nodes>();
  visitParents(copy, "html", (node, ancestors) => {
    const chain = [...ancestors, node];
    const at = chain.findIndex((each, index) => index > 0 && FLOW_PARENTS.has(chain[index - 1]!.type) && !FLOW_PARENTS.has(each.type));
    blocks.add(chain[at >= 0 ? at : chain.length - 1]!);
  });
  visit(copy, (node, index, parent) => {
    if (!parent || index === undefined) return undefined;
    if (blocks.has(node)) {
      const html = sanitizedHtml({ type: "root", children: [node as RootContent] }, remoteImages).replace(/\n\s*\n/g, "\n");
      parent.children[index] = { type: "html", value: html ? `<div>${html}</div>` : "" } as never;
      return SKIP;
    }
    if (node.type === "link" && !urlKept(node.url, "href")) {
      parent.children.splice(index, 1, ...node.children);
      return [SKIP, index];
    }
    if (node.type === "definition" && !urlKept(node.url, "href")) node.url = "";
    if (node.type === "image" && !imageKept(node.url)) {
      parent.children[index] = { type: "text", value: node.alt ?? "" } as never;
    } else if (node.type === "image" && !remoteImages && isRemote(node.url)) {
      parent.children[index] = { type: "link", url: node.url, children: [{ type: "text", value: node.alt || node.url }] } as never;
    }
    return undefined;
  });
  return copy;
}

/** Whether an image's URL reaches the outputs: a safe URL, or a data URL of a safe image type. */
function imageKept(url: string): boolean {
  return /^\s*data:/i.test(url) ? DATA_IMAGE.test(url) : urlKept(url, "src");
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
