/** Print stage: print-ready HTML into a PDF, by a Chromium already on the machine. */
import type { Element } from "hast";
import { fromHtml } from "hast-util-from-html";
import { toHtml } from "hast-util-to-html";
import { remove } from "unist-util-remove";
import { visit } from "unist-util-visit";

export { findBrowser, type BrowserSearch } from "./browser.js";

export interface PdfMetadata {
  title: string;
  subject?: string;
  author?: string;
  creator: string;
  language: string;
  /** The document's date: fixed for a given input, so that builds are reproducible. */
  date: Date;
}

/** A printing failure that is the machine's, not the report's: exit status 2. */
export class PrintError extends Error {}

export interface PrintOptions {
  /** Let the browser fetch images from the network (`output.remoteImages`); nothing else is ever fetched. */
  remoteImages?: boolean;
  timeoutMs?: number;
}

/**
 * The policy the printed page runs under, whatever its template says: it loads nothing but the
 * images and fonts it carries (data URLs) and its own styles, runs no script, and, only when the
 * project allows them, images from http and https addresses.
 */
export function printPolicy(remoteImages: boolean): string {
  const images = remoteImages ? "data: http: https:" : "data:";
  return `default-src 'none'; img-src ${images}; style-src 'unsafe-inline'; font-src data:; base-uri 'none'; form-action 'none'`;
}

/**
 * `html` as the browser prints it: parsed, the print policy made the first child of its head,
 * and what could fetch or go elsewhere without it taken out (`<link>`, `<base>`, `<meta
 * http-equiv>`), then written out again. The policy is placed in the document as parsed, so no
 * markup a template writes (a commented-out `<head>`, a `>` in an attribute) can keep it out.
 */
export function withPrintPolicy(html: string, remoteImages: boolean, pageNumbers?: ReadonlyMap<string, number>): string {
  const tree = fromHtml(html);
  remove(tree, (node) => {
    const element = node as Element;
    return (
      element.type === "element" &&
      (element.tagName === "link" ||
        element.tagName === "base" ||
        (element.tagName === "meta" && element.properties.httpEquiv !== undefined))
    );
  });
  let head: Element | undefined;
  visit(tree, "element", (element: Element) => {
    if (element.tagName === "head" && !head) head = element;
  });
  const meta: Element = {
    type: "element",
    tagName: "meta",
    properties: { httpEquiv: ["Content-Security-Policy"], content: printPolicy(remoteImages) },
    children: [],
  };
  // The parser always makes a head; a page without one is given one all the same.
  const first = head?.children ?? tree.children;
  first.unshift(meta);
  if (pageNumbers?.size) {
    // Each contents entry's page, after its link (print.css places it): the last rule of the head, so no template's overrides it.
    const rules = [...pageNumbers].map(([href, page]) => `.toc a[href=${cssString(href)}]::after { content: ${cssString(String(page))}; }`);
    first.push({ type: "element", tagName: "style", properties: {}, children: [{ type: "text", value: rules.join("\n") }] });
  }
  return toHtml(tree);
}

/**
 * The fragment links of the page's contents (`.toc`): each `href` as written, with the name of
 * the destination Chromium gives its target (the fragment as a URL has it: spaces, quotes and
 * letters beyond ASCII percent-encoded).
 */
function contentsTargets(html: string): Map<string, string> {
  const targets = new Map<string, string>();
  visit(fromHtml(html), "element", (element: Element) => {
    const classes = element.properties.className;
    if (!Array.isArray(classes) || !classes.includes("toc")) return;
    visit(element, "element", (link: Element) => {
      const href = link.tagName === "a" ? link.properties.href : undefined;
      if (typeof href === "string" && href.startsWith("#") && href.length > 1)
        targets.set(href, new URL(href, "https://report.invalid/").hash.slice(1));
    });
  });
  return targets;
}

/** A CSS string holding `text`, which can close no element it stands in (`<` and `>` escaped too). */
function cssString(text: string): string {
  return `"${text.replace(/[\\"]/g, "\\$&").replace(/[\n\r\f<>]/g, (character) => `\\${character.charCodeAt(0).toString(16)} `)}"`;
}

/**
 * Print `html` to PDF with the browser at `browser` and give the PDF its metadata. Headings
 * become the PDF's outline (bookmarks). Nothing is fetched and no script runs: the page is given
 * to the browser as content (no file of the machine is its neighbour), under a policy that
 * refuses every request but for the images the project allows; every request the page makes,
 * navigations included (a template's `<meta http-equiv="refresh">`), is refused by the browser
 * controller but those images, and the browser resolves no host name unless they are allowed.
 */
export async function printPdf(html: string, browser: string, metadata: PdfMetadata, options: PrintOptions = {}): Promise<Uint8Array> {
  const { remoteImages = false, timeoutMs = 120_000 } = options;
  // Loaded only when a PDF is made: it is large, and most builds write no PDF.
  const { chromium } = await import("playwright-core");
  let launched: Awaited<ReturnType<typeof chromium.launch>>;
  try {
    launched = await chromium.launch({
      executablePath: browser,
      timeout: timeoutMs,
      args: [
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-extensions",
        // No name resolves: what the policy lets through can reach no host (but the allowed images').
        ...(remoteImages ? [] : ["--host-resolver-rules=MAP * ~NOTFOUND"]),
      ],
    });
  } catch (error) {
    throw new PrintError(`the browser at ${browser} did not start: ${firstLine(error)}`);
  }
  try {
    const context = await launched.newContext({
      javaScriptEnabled: false,
      offline: !remoteImages,
      serviceWorkers: "block",
      acceptDownloads: false,
    });
    await context.route("**/*", (route) => {
      const request = route.request();
      // A navigation answered "no content" goes nowhere: the page stays the report.
      if (request.isNavigationRequest()) return route.fulfill({ status: 204 });
      const allowed = remoteImages && request.resourceType() === "image" && /^https?:/i.test(request.url());
      return allowed ? route.continue() : route.abort("blockedbyclient");
    });
    const page = await context.newPage();
    page.setDefaultTimeout(timeoutMs);
    const print = async (pageNumbers?: ReadonlyMap<string, number>) => {
      await page.setContent(withPrintPolicy(html, remoteImages, pageNumbers), { waitUntil: "load", timeout: timeoutMs });
      return page.pdf({ preferCSSPageSize: true, printBackground: true, outline: true, tagged: true, displayHeaderFooter: false });
    };
    let bytes = await print();
    // The contents' page numbers: Chromium cannot compute target-counter(), so the page is
    // printed, the pages its contents' targets landed on are read from the PDF's destinations,
    // and it is printed again with them; again while the numbers move what they number.
    // Numbers that have not settled after MAX_NUMBERING_PASSES are left out: none rather than wrong ones.
    const targets = contentsTargets(html);
    let numbers = targets.size ? await destinationPages(bytes, targets) : new Map<string, number>();
    for (let pass = 0; numbers.size; pass++) {
      if (pass === MAX_NUMBERING_PASSES) {
        bytes = await print();
        break;
      }
      bytes = await print(numbers);
      const again = await destinationPages(bytes, targets);
      if ([...again].every(([href, number]) => numbers.get(href) === number) && again.size === numbers.size) break;
      numbers = again;
    }
    return await withMetadata(bytes, metadata);
  } catch (error) {
    if (error instanceof PrintError) throw error;
    throw new PrintError(`the browser at ${browser} did not print the PDF: ${firstLine(error)}`);
  } finally {
    await launched.close().catch(() => undefined);
  }
}

/** The first line of an error's message (Playwright's carry a call log after it). */
function firstLine(error: unknown): string {
  return ((error as Error)?.message ?? String(error)).split("\n")[0]!.trim();
}

/** How many times a PDF is printed again to number its contents (the numbers settle at the first but where they lengthen the contents). */
const MAX_NUMBERING_PASSES = 5;

/** pdf-lib, large: loaded only when a PDF is made. A CommonJS package: its exports are named under Node, and under `default` in the bundle. */
async function pdfLib(): Promise<typeof import("pdf-lib")> {
  const loaded = (await import("pdf-lib")) as typeof import("pdf-lib") & { default?: typeof import("pdf-lib") };
  return loaded.PDFDocument ? loaded : loaded.default!;
}

/** The page (from 1) each link of `targets` leads to, by its destination's name as Chromium writes it (the catalog's /Dests). */
async function destinationPages(bytes: Uint8Array, targets: ReadonlyMap<string, string>): Promise<Map<string, number>> {
  const { PDFArray, PDFDict, PDFDocument, PDFName, PDFRef } = await pdfLib();
  const document = await PDFDocument.load(bytes, { updateMetadata: false });
  const pages = new Map(document.getPages().map((page, index) => [page.ref.toString(), index + 1]));
  const destinations = document.catalog.lookup(PDFName.of("Dests"));
  const numbers = new Map<string, number>();
  if (!(destinations instanceof PDFDict)) return numbers;
  for (const [href, name] of targets) {
    const destination = destinations.lookup(PDFName.of(name));
    const target = destination instanceof PDFArray ? destination.get(0) : undefined;
    const page = target instanceof PDFRef ? pages.get(target.toString()) : undefined;
    if (page !== undefined) numbers.set(href, page);
  }
  return numbers;
}

async function withMetadata(bytes: Uint8Array, metadata: PdfMetadata): Promise<Uint8Array> {
  const { PDFDocument } = await pdfLib();
  const document = await PDFDocument.load(bytes, { updateMetadata: false });
  document.setTitle(metadata.title, { showInWindowTitleBar: true });
  if (metadata.subject) document.setSubject(metadata.subject);
  if (metadata.author) document.setAuthor(metadata.author);
  document.setCreator(metadata.creator);
  document.setProducer(`${metadata.creator} with Chromium`);
  document.setLanguage(metadata.language);
  document.setCreationDate(metadata.date);
  document.setModificationDate(metadata.date);
  return document.save({ useObjectStreams: false });
}
