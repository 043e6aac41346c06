/** Print stage: print-ready HTML into a PDF, by a Chromium already on the machine. */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

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

/** Chromium's own chatter on stderr that says nothing about the print. */
const NOISE = /dbus|Fontconfig|gcm_|GPU|viz_main|sandbox|crashpad|ERROR:.*(bus|object_proxy)|^\s*$|unexpected operator|bytes written to file/i;

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

/** `html` with the print policy as the first thing in its head, before anything that could load. */
export function withPrintPolicy(html: string, remoteImages: boolean): string {
  const meta = `<meta http-equiv="Content-Security-Policy" content="${printPolicy(remoteImages)}">`;
  const head = /<head(?:\s[^>]*)?>/i.exec(html);
  if (head) return `${html.slice(0, head.index + head[0].length)}${meta}${html.slice(head.index + head[0].length)}`;
  return `<!doctype html><html><head>${meta}</head><body>${html}</body></html>`;
}

/**
 * Print `html` to PDF with the browser at `browser` and give the PDF its metadata. Headings
 * become the PDF's outline (bookmarks). Nothing is fetched: the page runs under a policy that
 * refuses every request but for the images the project allows, and the browser resolves no
 * host name unless it allows them.
 */
export function printPdf(html: string, browser: string, metadata: PdfMetadata, options: PrintOptions = {}): Promise<Uint8Array> {
  const { remoteImages = false, timeoutMs = 120_000 } = options;
  const work = mkdtempSync(join(tmpdir(), "dmreport-pdf-"));
  try {
    const page = join(work, "report.html");
    const pdf = join(work, "report.pdf");
    writeFileSync(page, withPrintPolicy(html, remoteImages));
    const run = spawnSync(
      browser,
      [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-extensions",
        // No name resolves: what the policy lets through can reach no host (but the allowed images').
        ...(remoteImages ? [] : ["--host-resolver-rules=MAP * ~NOTFOUND"]),
        `--user-data-dir=${join(work, "profile")}`,
        "--no-pdf-header-footer",
        "--generate-pdf-document-outline",
        `--print-to-pdf=${pdf}`,
        pathToFileURL(page).href,
      ],
      { encoding: "utf8", timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 },
    );
    let bytes: Buffer;
    try {
      bytes = readFileSync(pdf);
    } catch {
      const said = `${run.stderr ?? ""}`.split("\n").filter((line) => !NOISE.test(line)).slice(-5).join("\n");
      const why = run.error ? run.error.message : run.signal ? `it was stopped (${run.signal})` : `it exited with status ${run.status}`;
      throw new PrintError(`the browser at ${browser} did not print the PDF: ${why}${said ? `\n${said}` : ""}`);
    }
    return withMetadata(bytes, metadata);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
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
