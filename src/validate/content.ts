/**
 * Raw HTML and URLs in a fragment's text: what the outputs would drop or change (they carry no
 * script, no embedded page, nothing that loads from the network unasked), said where it is
 * written and with what to write instead; and every resource that would be fetched.
 */
import type { Element, Nodes as HastNodes } from "hast";
import { fromHtml } from "hast-util-from-html";
import type { Html } from "mdast";
import { visit } from "unist-util-visit";
import { cssUrls, DATA_IMAGE, isRemote, sanitizedElement, srcsetUrls, urlKept } from "../core/content-safety.js";
import { diagnostic, type Diagnostic, type Position } from "../core/diagnostics.js";
import type { FragmentSource } from "../load/fragment-source.js";
import { bodyNodes } from "./body-nodes.js";

export interface ContentOptions {
  /** `output.remoteImages`: images from the network are shown as they are, not as links. */
  remoteImages: boolean;
}

const NO_SCRIPT = "a report carries no script";
const PUT_IMAGE_IN_SOURCE = "put the image file beside the fragment and show it with `![description](plot.png)`";

/** Why an element is not kept, and what to write instead. */
function droppedElement(tag: string): string {
  if (tag === "script" || tag === "noscript") return `\`<${tag}>\` is removed from every output: ${NO_SCRIPT}`;
  if (tag === "style") return "`<style>` is removed with its rules: a report's look comes from its templates";
  if (["iframe", "frame", "frameset", "object", "embed", "applet", "portal"].includes(tag))
    return `\`<${tag}>\` is removed: an embedded page does not reach the report; link to it instead, \`[title](https://…)\``;
  if (["video", "audio", "track"].includes(tag))
    return `\`<${tag}>\` is removed: link to the recording instead, or show a still image; ${PUT_IMAGE_IN_SOURCE}`;
  if (tag === "svg" || tag === "math")
    return `inline \`<${tag}>\` is removed (its text is kept): save the figure as a PNG, then ${PUT_IMAGE_IN_SOURCE}`;
  if (["form", "input", "button", "select", "textarea", "option", "label", "fieldset"].includes(tag))
    return `\`<${tag}>\` is removed: a report has no forms`;
  if (["link", "meta", "base", "title", "head", "html", "body"].includes(tag))
    return `\`<${tag}>\` is removed: a fragment cannot change the page around it`;
  return `\`<${tag}>\` is not kept (its text is): write the text in Markdown (\`*emphasis*\`, \`**strong**\`, lists, tables)`;
}

/** Why an attribute (hast property name) is removed, given its value. */
function droppedAttribute(tag: string, property: string, value: unknown): string {
  const attribute = attributeName(property);
  if (/^on/i.test(attribute)) return `the \`${attribute}\` attribute of \`<${tag}>\` is removed: ${NO_SCRIPT}`;
  if (attribute === "style")
    return `the \`style\` attribute of \`<${tag}>\` is removed: write emphasis in Markdown; colours and layout come from the templates`;
  if (typeof value === "string" && ["href", "src", "cite", "longdesc"].includes(attribute))
    return `${urlProblem(value)} (\`${attribute}\` of \`<${tag}>\`)`;
  return `the \`${attribute}\` attribute of \`<${tag}>\` is removed: only the attributes GitHub keeps in Markdown are kept`;
}

/** Why a URL is removed, by its scheme. */
function urlProblem(url: string): string {
  const scheme = /^\s*([a-z][a-z0-9+.-]*):/i.exec(url.replace(/[\t\n\r]/g, ""))?.[1]?.toLowerCase();
  if (scheme === "javascript" || scheme === "vbscript") return `the \`${scheme}:\` URL is removed: ${NO_SCRIPT}`;
  if (scheme === "data") return "the `data:` URL is removed: only PNG, JPEG, GIF and WebP images may be written as data URLs";
  if (scheme === "file")
    return `the \`file:\` URL is removed: no reader can open a file on the writer's machine; ${PUT_IMAGE_IN_SOURCE}, or link to a web page`;
  return `the URL \`${shortened(url)}\` is removed: link to a web page (https://…), an email address (mailto:) or a file in the source`;
}

function attributeName(property: string): string {
  const names: Record<string, string> = {
    className: "class",
    htmlFor: "for",
    srcSet: "srcset",
    xLinkHref: "xlink:href",
    longDesc: "longdesc",
    httpEquiv: "http-equiv",
  };
  return names[property] ?? property.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`).replace(/^on-/, "on");
}

function shortened(url: string): string {
  return url.length > 60 ? `${url.slice(0, 57)}…` : url;
}

/** Raw HTML, links and images of a fragment's body that an output would drop or change, and what would load from the network. */
export function checkContent(fragment: FragmentSource, options: ContentOptions): Diagnostic[] {
  const nodes = bodyNodes(fragment.body);
  const diagnostics: Diagnostic[] = [];
  const report = (position: Position, rule: "html-dropped" | "remote-resource", message: string) =>
    diagnostics.push(diagnostic(fragment.file, position, rule, message));
  const remoteImage = (position: Position, url: string) => {
    if (!options.remoteImages)
      report(
        position,
        "remote-resource",
        `the image \`${shortened(url)}\` would be fetched from the network: the outputs show it as a link and the PDF build fetches nothing; ${PUT_IMAGE_IN_SOURCE}, or allow remote images with \`output.remoteImages: true\` in dmreport.yaml`,
      );
  };

  for (const image of nodes.images) {
    const at = startOf(image);
    if (isRemote(image.url)) remoteImage(at, image.url);
    else if (/^\s*data:/i.test(image.url) ? !DATA_IMAGE.test(image.url) : !urlKept(image.url, "src"))
      report(at, "html-dropped", `${urlProblem(image.url)} (an image)`);
  }
  for (const link of nodes.links) {
    if (!urlKept(link.url, "href")) report(startOf(link), "html-dropped", `${urlProblem(link.url)} (a link; its text is kept)`);
  }
  for (const node of nodes.html) checkHtml(node, report, remoteImage);
  return diagnostics;
}

/** One piece of raw HTML: each element the sanitizer drops or changes, and each URL it would load. */
function checkHtml(
  node: Html,
  report: (position: Position, rule: "html-dropped" | "remote-resource", message: string) => void,
  remoteImage: (position: Position, url: string) => void,
): void {
  const start = node.position?.start ?? { line: 1, column: 1 };
  // Positions in the piece, placed in the file: its first line starts where the node does.
  const place = (element: HastNodes): Position => {
    const point = element.position?.start;
    if (!point) return { line: start.line, column: start.column };
    return point.line === 1
      ? { line: start.line, column: start.column + point.column - 1 }
      : { line: start.line + point.line - 1, column: point.column };
  };
  const tree = fromHtml(node.value, { fragment: true });
  visit(tree, "element", (element: Element) => {
    const at = place(element);
    const tag = element.tagName;
    const { kept, removed } = sanitizedElement(element);
    if (!kept) report(at, "html-dropped", droppedElement(tag));
    else for (const property of removed) report(at, "html-dropped", droppedAttribute(tag, property, element.properties[property]));
    const source = element.properties?.src;
    if (
      kept &&
      tag === "img" &&
      typeof source === "string" &&
      !removed.includes("src") &&
      source.trim() &&
      !isRemote(source) &&
      !/^\s*data:/i.test(source)
    )
      report(
        at,
        "html-dropped",
        `\`<img src="${shortened(source)}">\` is not carried into the report, which holds its images inside it: write it as Markdown, \`![description](${shortened(source)})\``,
      );

    // What would load from the network, kept or not: the PDF build and the readers fetch none of it.
    const properties = element.properties ?? {};
    const text = (value: unknown) => (typeof value === "string" ? value : Array.isArray(value) ? value.join(",") : "");
    const imageUrls =
      tag === "img" || tag === "source"
        ? [
            ...[text(properties.src)].map((url) => ({ url, property: "src" })),
            ...srcsetUrls(text(properties.srcSet)).map((url) => ({ url, property: "srcSet" })),
          ]
        : [];
    for (const { url, property } of imageUrls.filter(({ url }) => isRemote(url))) {
      // An image the outputs keep is a remote image; one in markup they drop is never fetched.
      if (kept && !removed.includes(property)) remoteImage(at, url);
      else
        report(
          at,
          "remote-resource",
          `\`${shortened(url)}\` (in \`<${tag}>\`) is not fetched: nothing in a report loads from the network but the images a project allows`,
        );
    }
    const other = [
      ...(tag === "img" || tag === "source" ? [] : [text(properties.src), ...srcsetUrls(text(properties.srcSet))]),
      text(properties.poster),
      text(properties.data),
      text(properties.background),
      // An SVG <image href> (read as <img> by an HTML parser), <use>, a stylesheet <link>.
      ...(["link", "image", "img", "use", "feImage", "script"].includes(tag) ? [text(properties.href), text(properties.xLinkHref)] : []),
      ...cssUrls(text(properties.style)),
      ...(tag === "style" ? cssUrls(element.children.map((child) => ("value" in child ? String(child.value) : "")).join("")) : []),
    ];
    for (const url of other.filter(isRemote))
      report(
        at,
        "remote-resource",
        `\`${shortened(url)}\` (in \`<${tag}>\`) is not fetched: nothing in a report loads from the network but the images a project allows`,
      );
  });
}

function startOf(node: { position?: { start: { line: number; column: number } } }): Position {
  return node.position ? { line: node.position.start.line, column: node.position.start.column } : { line: 1, column: 1 };
}
