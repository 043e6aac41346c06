/** Check the local images a fragment shows: inside the source, there, and of a type a page can hold. */
import { extname, posix } from "node:path";
import type { Image, ImageReference } from "mdast";
import { diagnostic, type Diagnostic } from "../core/diagnostics.js";
import type { FragmentSource } from "../load/fragment-source.js";
import type { SourceFiles } from "../load/source-files.js";
import { bodyNodes } from "./body-nodes.js";

/** Image types the HTML can carry inline (as data URLs the sanitizer lets through). */
export const IMAGE_TYPES: Record<string, string> = {
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".gif": "image/gif",
  ".webp": "image/webp",
};

/** Largest image inlined into a report page. */
export const MAX_IMAGE_BYTES = 5 * 1024 * 1024;

/** What validate marks a good local image with, for the HTML to inline it (read through the source's door). */
export interface LocalImage {
  /** The source root. */
  root: string;
  /** The image's path in the source. */
  path: string;
  /** Its media type. */
  type: string;
}

/**
 * Each local image (no URL scheme) of the fragment resolved against its folder, through the
 * source's door (`files`). A good one is marked with its file, for the HTML to inline; one
 * outside the source, missing, too large or of another type is an error.
 */
export function checkImages(files: SourceFiles, fragment: FragmentSource): Diagnostic[] {
  const nodes = bodyNodes(fragment.body);
  // An image by reference takes its URL from its definition, and is checked (and carried) alike.
  const shown = [
    ...nodes.images.map((node) => ({ node, url: node.url })),
    ...nodes.imageReferences.map(({ node, definition }) => ({ node, url: definition.url })),
  ];
  return shown.flatMap(({ node, url }) => {
    const problem = checkImage(files, fragment, node, url);
    return problem ? [problem] : [];
  });
}

/** One image's problem, or undefined when it is a URL or a good local image (then marked). */
function checkImage(files: SourceFiles, fragment: FragmentSource, node: Image | ImageReference, url: string): Diagnostic | undefined {
  if (/^[a-z][a-z0-9+.-]*:/i.test(url) || url.startsWith("//") || url === "") return undefined;
  const place = node.position ? { line: node.position.start.line, column: node.position.start.column } : fragment.bodyStart;
  const report = (rule: string, message: string) => diagnostic(fragment.file, place, rule, message);
  let path: string;
  try {
    path = posix.join(posix.dirname(fragment.file), decodeURI(url.split(/[?#]/)[0]!));
  } catch {
    return report("image-missing", `image \`${url}\` is not a path dmreport can read`);
  }
  const found = files.locate(path);
  if ("refusal" in found) {
    if (found.refusal.rule === "file-outside-source")
      return report("image-outside-source", `image \`${url}\` is outside the source; images must live in the source, so copy it in`);
    return report("image-missing", `image \`${url}\` does not exist (looked for ${path})`);
  }
  if (!found.stat.isFile()) return report("image-missing", `image \`${url}\` does not exist (looked for ${path})`);
  const type = IMAGE_TYPES[extname(path).toLowerCase()];
  if (!type) return report("image-type", `image \`${url}\` is not PNG, JPEG, GIF or WebP, which is what a report page can carry`);
  if (found.stat.size > MAX_IMAGE_BYTES)
    return report("image-type", `image \`${url}\` is larger than ${MAX_IMAGE_BYTES / 1024 / 1024} MiB; make it smaller`);
  const image: LocalImage = { root: files.root, path, type };
  node.data = { ...node.data, dmreportImage: image } as unknown as Image["data"];
  return undefined;
}
