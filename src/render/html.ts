/** Write mdast content as safe HTML: raw HTML parsed, then everything sanitized. */
import type { Element, Root as HastRoot } from "hast";
import { readFileSync } from "node:fs";
import type { Image, Root } from "mdast";
import rehypeRaw from "rehype-raw";
import rehypeSanitize, { defaultSchema } from "rehype-sanitize";
import rehypeStringify from "rehype-stringify";
import remarkRehype from "remark-rehype";
import { unified } from "unified";
import { visit } from "unist-util-visit";
import type { LinkRule } from "../model.js";
import { placeContent, type ContentPlacement } from "./content.js";

/** Images may be embedded as data URLs of these types only; no other data URL survives. */
const DATA_IMAGE = /^data:image\/(?:png|jpeg|gif|webp);base64,[A-Za-z0-9+/=\s]+$/i;

/**
 * GitHub's sanitizing rules (no script, no event handlers, no javascript: URLs, ids prefixed
 * so fragments cannot clobber the report's anchors), with data URLs allowed for images only.
 */
const schema = {
  ...defaultSchema,
  protocols: { ...defaultSchema.protocols, src: [...(defaultSchema.protocols?.src ?? []), "data"] },
};

/** Drop data URLs that are not images of a safe type (the schema lets `data:` through for img). */
function dataImagesOnly() {
  return (tree: HastRoot) => {
    visit(tree, "element", (element: Element) => {
      const src = element.properties?.src;
      if (typeof src === "string" && /^\s*data:/i.test(src) && !(element.tagName === "img" && DATA_IMAGE.test(src))) {
        delete element.properties.src;
      }
    });
  };
}

/** Local images checked by validate are carried inside the page, as data URLs. */
function inlineLocalImages() {
  return (tree: Root) => {
    visit(tree, "image", (node: Image) => {
      const image = (node.data as { dmreportImage?: { path: string; type: string } } | undefined)?.dmreportImage;
      if (image) node.url = `data:${image.type};base64,${readFileSync(image.path).toString("base64")}`;
    });
  };
}

const htmlProcessor = unified()
  .use(inlineLocalImages)
  .use(remarkRehype, { allowDangerousHtml: true })
  .use(rehypeRaw)
  .use(rehypeSanitize, schema)
  .use(dataImagesOnly)
  .use(rehypeStringify)
  .freeze();

/** Fragment content as sanitized HTML at its place in the report. */
export function contentHtml(content: Root, links: readonly LinkRule[], placement: ContentPlacement): string {
  let tree = placeContent(content, links, placement);
  // The placed tree is shared by every format: inlining images must not change it.
  let local = false;
  visit(tree, "image", (node: Image) => {
    local ||= Boolean((node.data as { dmreportImage?: unknown } | undefined)?.dmreportImage);
  });
  if (local) tree = structuredClone(tree);
  const hast = htmlProcessor.runSync(tree) as HastRoot;
  return String(htmlProcessor.stringify(hast)).trim();
}
