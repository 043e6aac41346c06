/** Check the local images a fragment shows: inside the source, there, and of a type a page can hold. */
import { existsSync, realpathSync, statSync } from "node:fs";
import { dirname, extname, isAbsolute, join, relative } from "node:path";
import type { Image } from "mdast";
import { diagnostic, type Diagnostic } from "../diagnostics.js";
import type { FragmentSource } from "../load/index.js";
import { bodyNodes } from "./body-nodes.js";

/** Image types the HTML can carry inline (as data URLs the sanitizer lets through). */
export const IMAGE_TYPES: Record<string, string> = { ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif", ".webp": "image/webp" };

/** Largest image inlined into a report page. */
const MAX_IMAGE_BYTES = 5 * 1024 * 1024;

/**
 * Each local image (no URL scheme) of the fragment resolved against its folder (`realRoot`: the
 * source root with links resolved, found once by the caller). A good one is
 * marked with its file, for the HTML to inline; one outside the source, missing, too large or of
 * another type is an error.
 */
export function checkImages(root: string, realRoot: string, fragment: FragmentSource): Diagnostic[] {
  return bodyNodes(fragment.body).images.flatMap((node) => {
    const problem = checkImage(root, realRoot, fragment, node);
    return problem ? [problem] : [];
  });
}

/** One image's problem, or undefined when it is a URL or a good local image (then marked). */
function checkImage(root: string, realRoot: string, fragment: FragmentSource, node: Image): Diagnostic | undefined {
  if (/^[a-z][a-z0-9+.-]*:/i.test(node.url) || node.url.startsWith("//") || node.url === "") return undefined;
  const place = node.position ? { line: node.position.start.line, column: node.position.start.column } : fragment.bodyStart;
  const report = (rule: string, message: string) => diagnostic(fragment.file, place, rule, message);
  let path: string;
  try {
    path = join(root, dirname(fragment.file), decodeURI(node.url.split(/[?#]/)[0]!));
  } catch {
    return report("image-missing", `image \`${node.url}\` is not a path dmreport can read`);
  }
  if (!existsSync(path) || !statSync(path).isFile()) return report("image-missing", `image \`${node.url}\` does not exist (looked for ${relative(root, path)})`);
  const inside = relative(realRoot, realpathSync(path));
  if (inside.startsWith("..") || isAbsolute(inside))
    return report("image-outside-source", `image \`${node.url}\` is outside the source; images must live in the source, so copy it in`);
  const type = IMAGE_TYPES[extname(path).toLowerCase()];
  if (!type) return report("image-type", `image \`${node.url}\` is not PNG, JPEG, GIF or WebP, which is what a report page can carry`);
  if (statSync(path).size > MAX_IMAGE_BYTES) return report("image-type", `image \`${node.url}\` is larger than ${MAX_IMAGE_BYTES / 1024 / 1024} MiB; make it smaller`);
  node.data = { ...node.data, dmreportImage: { path: realpathSync(path), type } } as Image["data"];
  return undefined;
}
