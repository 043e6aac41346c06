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

/** The processor for content with raw HTML or images: raw HTML parsed, data URLs checked. */
const fullProcessor = unified()
  .use(inlineLocalImages)
  .use(remarkRehype, { allowDangerousHtml: true })
  .use(rehypeRaw)
  .use(rehypeSanitize, schema)
  .use(dataImagesOnly)
  .use(rehypeStringify)
  .freeze();

/**
 * The processor for content with neither (most of it): without raw HTML there is nothing for
 * rehype-raw to parse, and without images no `src` for a data URL; the sanitizer still runs.
 */
const plainProcessor = unified().use(remarkRehype).use(rehypeSanitize, schema).use(rehypeStringify).freeze();

/** Fragment content as sanitized HTML at its place in the report. */
export function contentHtml(content: Root, links: readonly LinkRule[], placement: ContentPlacement): string {
  let tree = placeContent(content, links, placement);
  let raw = false;
  let images = false;
  let local = false;
  visit(tree, (node) => {
    if (node.type === "html") raw = true;
    else if (node.type === "image" || node.type === "imageReference" || node.type === "definition") {
      images = true;
      local ||= Boolean((node.data as { dmreportImage?: unknown } | undefined)?.dmreportImage);
    }
  });
  // The placed tree is shared by every format: inlining images must not change it.
  if (local) tree = structuredClone(tree);
  const processor = raw || images ? fullProcessor : plainProcessor;
  const hast = processor.runSync(tree) as HastRoot;
  return String(processor.stringify(hast)).trim();
}
