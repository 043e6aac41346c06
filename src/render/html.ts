/** Write mdast content as safe HTML: raw HTML parsed, then everything sanitized. */
import type { Element, Root as HastRoot } from "hast";
import type { Image, Root } from "mdast";
import rehypeRaw from "rehype-raw";
import rehypeSanitize from "rehype-sanitize";
import rehypeStringify from "rehype-stringify";
import remarkRehype from "remark-rehype";
import { unified } from "unified";
import { SKIP, visit } from "unist-util-visit";
import { DATA_IMAGE, isRemote, SANITIZE_SCHEMA, srcsetUrls } from "../core/content-safety.js";
import type { LinkRule } from "../core/model.js";
import { SourceFiles } from "../load/source-files.js";
import { MAX_IMAGE_BYTES, type LocalImage } from "../validate/images.js";
import { placeContent, renderedOnce, type ContentPlacement, type RenderedContents } from "./content.js";

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

/**
 * Images from the network shown as links to them, unless the project allows them
 * (`output.remoteImages`): no output then makes its reader's browser, or the PDF build, fetch
 * anything. A `<source>` offering remote images is dropped; its `<img>` stays.
 */
function remoteImagesAsLinks(options: { allowed: boolean }) {
  return (tree: HastRoot) => {
    if (options.allowed) return;
    visit(tree, "element", (element: Element, index, parent) => {
      if (!parent || index === undefined) return undefined;
      const srcset = element.properties?.srcSet;
      if (element.tagName === "source" && srcsetUrls(Array.isArray(srcset) ? srcset.join(",") : String(srcset ?? "")).some(isRemote)) {
        parent.children.splice(index, 1);
        return [SKIP, index];
      }
      const src = element.properties?.src;
      if (element.tagName === "img" && typeof src === "string" && isRemote(src)) {
        const alt = typeof element.properties.alt === "string" && element.properties.alt.trim() ? element.properties.alt : src;
        parent.children[index] = { type: "element", tagName: "a", properties: { href: src }, children: [{ type: "text", value: alt }] };
      }
      return undefined;
    });
  };
}

/** Local images checked by validate are carried inside the page, as data URLs; one written by reference becomes an image of its own. */
function inlineLocalImages() {
  return (tree: Root) => {
    visit(tree, (node, index, parent) => {
      if (node.type !== "image" && node.type !== "imageReference") return;
      const image = (node.data as { dmreportImage?: LocalImage } | undefined)?.dmreportImage;
      if (!image) return;
      // Read through the source's door, as validate found it: an image swapped for a link since is not read.
      const read = new SourceFiles(image.root).readBytes(image.path, MAX_IMAGE_BYTES);
      const url = "bytes" in read ? `data:${image.type};base64,${read.bytes.toString("base64")}` : "";
      if (node.type === "image") node.url = url;
      else if (parent && index !== undefined)
        parent.children[index] = { type: "image", url, alt: node.alt, position: node.position } satisfies Image;
    });
  };
}

/** The processor for content with raw HTML or images: raw HTML parsed, data URLs checked. */
const fullProcessor = (remoteImages: boolean) =>
  unified()
    .use(inlineLocalImages)
    .use(remarkRehype, { allowDangerousHtml: true })
    .use(rehypeRaw)
    .use(rehypeSanitize, SANITIZE_SCHEMA)
    .use(dataImagesOnly)
    .use(remoteImagesAsLinks, { allowed: remoteImages })
    .use(rehypeStringify)
    .freeze();
const fullProcessors = { shown: fullProcessor(true), linked: fullProcessor(false) };

/**
 * The processor for content with neither (most of it): without raw HTML there is nothing for
 * rehype-raw to parse, and without images no `src` for a data URL; the sanitizer still runs.
 */
const plainProcessor = unified().use(remarkRehype).use(rehypeSanitize, SANITIZE_SCHEMA).use(rehypeStringify).freeze();

/** Fragment content as sanitized HTML at its place in the report; remote images as links unless `remoteImages`. */
export function contentHtml(
  content: Root,
  links: readonly LinkRule[],
  placement: ContentPlacement,
  remoteImages = false,
  contents?: RenderedContents,
): string {
  return renderedOnce(contents, "html", content, links, placement, remoteImages, () =>
    sanitizedHtml(placeContent(content, links, placement), remoteImages),
  );
}

/** Placed content as sanitized HTML, by the rules of content-safety.ts. */
export function sanitizedHtml(placed: Root, remoteImages = false): string {
  let tree = placed;
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
  const processor = raw || images ? fullProcessors[remoteImages ? "shown" : "linked"] : plainProcessor;
  const hast = processor.runSync(tree) as HastRoot;
  return String(processor.stringify(hast)).trim();
}
