/** Print stage: print-ready HTML into a PDF, by a Chromium already on the machine. */
import type { Element } from "hast";
import { fromHtml } from "hast-util-from-html";
import { toHtml } from "hast-util-to-html";
import { remove } from "unist-util-remove";
import { visit } from "unist-util-visit";

export { committedFolders, findBrowser, inFolders, type BrowserSearch } from "./browser.js";

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
export function withPrintPolicy(html: string, remoteImages: boolean): string {
  const tree = fromHtml(html);
  remove(tree, (node) => {
    const element = node as Element;
    return element.type === "element" && (element.tagName === "link" || element.tagName === "base" || (element.tagName === "meta" && element.properties.httpEquiv !== undefined));
  });
  let head: Element | undefined;
  visit(tree, "element", (element: Element) => {
    if (element.tagName === "head" && !head) head = element;
  });
  const meta: Element = { type: "element", tagName: "meta", properties: { httpEquiv: ["Content-Security-Policy"], content: printPolicy(remoteImages) }, children: [] };
  // The parser always makes a head; a page without one is given one all the same.
  if (head) head.children.unshift(meta);
  else tree.children.unshift(meta);
  return toHtml(tree);
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
  let launched;
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
    const context = await launched.newContext({ javaScriptEnabled: false, offline: !remoteImages, serviceWorkers: "block", acceptDownloads: false });
    await context.route("**/*", (route) => {
      const request = route.request();
      // A navigation answered "no content" goes nowhere: the page stays the report.
      if (request.isNavigationRequest()) return route.fulfill({ status: 204 });
      const allowed = remoteImages && request.resourceType() === "image" && /^https?:/i.test(request.url());
      return allowed ? route.continue() : route.abort("blockedbyclient");
    });
    const page = await context.newPage();
    page.setDefaultTimeout(timeoutMs);
    await page.setContent(withPrintPolicy(html, remoteImages), { waitUntil: "load", timeout: timeoutMs });
    const bytes = await page.pdf({ preferCSSPageSize: true, printBackground: true, outline: true, tagged: true, displayHeaderFooter: false });
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

async function withMetadata(bytes: Uint8Array, metadata: PdfMetadata): Promise<Uint8Array> {
  // pdf-lib is large: loaded only when a PDF is made.
  // A CommonJS package: its exports are named under Node, and under `default` in the bundle.
  const pdfLib = (await import("pdf-lib")) as typeof import("pdf-lib") & { default?: typeof import("pdf-lib") };
  const PDFDocument = pdfLib.PDFDocument ?? pdfLib.default!.PDFDocument;
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
