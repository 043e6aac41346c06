/**
 * What fragment content may carry into a report: GitHub's sanitizing rules (hast-util-sanitize's
 * default schema), shared by the checks that tell a lead what would be dropped and by the
 * renderers that drop it, so that the two always agree.
 */
import type { Element, Properties, Root } from "hast";
import { defaultSchema, sanitize, type Schema } from "hast-util-sanitize";

/** Images may be embedded as data URLs of these types only; no other data URL survives. */
export const DATA_IMAGE = /^data:image\/(?:png|jpeg|gif|webp);base64,[A-Za-z0-9+/=\s]+$/i;

/**
 * GitHub's rules (no script, no event handlers, no `javascript:` URLs, ids prefixed so that
 * fragments cannot clobber the report's anchors), with data URLs allowed for images, and the
 * text of `<style>` dropped with it rather than shown.
 */
export const SANITIZE_SCHEMA: Schema = {
  ...defaultSchema,
  protocols: { ...defaultSchema.protocols, src: [...(defaultSchema.protocols?.src ?? []), "data"] },
  strip: [...(defaultSchema.strip ?? []), "style"],
};

/** What the sanitizer does to one element on its own: kept or not, and the properties it removes. */
export function sanitizedElement(element: Element): { kept: boolean; removed: string[] } {
  const alone: Root = { type: "root", children: [{ ...element, children: [] }] };
  const result = sanitize(alone, SANITIZE_SCHEMA) as Root;
  const survivor = result.children.find((child): child is Element => child.type === "element");
  if (!survivor || survivor.tagName !== element.tagName) return { kept: false, removed: [] };
  const before = element.properties ?? {};
  const after: Properties = survivor.properties ?? {};
  const removed = Object.keys(before).filter((name) => before[name] !== undefined && before[name] !== null && after[name] === undefined);
  // A data URL the schema lets through must still be an image of a safe type.
  if (typeof after.src === "string" && /^\s*data:/i.test(after.src) && !(element.tagName === "img" && DATA_IMAGE.test(after.src)))
    removed.push("src");
  return { kept: true, removed };
}

/** Whether a Markdown link's (`href`) or image's (`src`) URL survives the sanitizer. */
export function urlKept(url: string, property: "href" | "src"): boolean {
  const element: Element = { type: "element", tagName: property === "href" ? "a" : "img", properties: { [property]: url }, children: [] };
  return !sanitizedElement(element).removed.includes(property);
}

/** A URL the reader's browser (or the PDF printer) would fetch from the network. */
export function isRemote(url: string): boolean {
  return /^\s*(?:https?:)?\/\//i.test(url);
}

/** The URLs of a `srcset` (`a.png 1x, b.png 2x`). */
export function srcsetUrls(value: string): string[] {
  return value
    .split(",")
    .map((candidate) => candidate.trim().split(/\s+/)[0] ?? "")
    .filter(Boolean);
}

/** The URLs a piece of CSS loads: `url(...)` and `@import "..."`. */
export function cssUrls(css: string): string[] {
  const urls = [...css.matchAll(/url\(\s*(['"]?)(.*?)\1\s*\)/gi)].map((match) => match[2]!);
  const imports = [...css.matchAll(/@import\s+(['"])(.*?)\1/gi)].map((match) => match[2]!);
  return [...urls, ...imports];
}
