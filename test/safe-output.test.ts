// Safe, self-contained outputs: a build fetches nothing from the network, and no output carries script.
import { createServer, type Server } from "node:http";
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { Element, Root as HastRoot } from "hast";
import { fromHtml } from "hast-util-from-html";
import { PDFArray, PDFDict, PDFDocument, PDFHexString, PDFName, PDFString, type PDFObject } from "pdf-lib";
import rehypeRaw from "rehype-raw";
import remarkGfm from "remark-gfm";
import remarkParse from "remark-parse";
import remarkRehype from "remark-rehype";
import { unified } from "unified";
import { visit } from "unist-util-visit";
import { afterEach, describe, expect, it } from "vitest";
import { lint } from "../src/lint.js";
import { runBrowserTests } from "./chromium.js";
import { exampleCopy, REPO, runCli, runCliAsync, tempFolder } from "./helpers.js";

const MINIMAL_CONFIG = readFileSync(join(REPO, "examples", "minimal", "dmreport.yaml"), "utf8");
const fragment = (body: string) => `---\nwbs: "4.2"\nmonth: 2026-10\n---\n\n## Highlights\n\n${body}\n`;

describe.runIf(runBrowserTests)("no network at build", () => {
  let server: Server | undefined;
  afterEach(() => server?.close());

  /** A server on the loopback address that records every path asked of it and answers with a 1-pixel PNG. */
  async function loopback(): Promise<{ port: number; requests: string[] }> {
    const requests: string[] = [];
    const png = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==", "base64");
    server = createServer((request, response) => {
      requests.push(request.url ?? "");
      response.writeHead(200, { "content-type": request.url?.endsWith(".css") ? "text/css" : "image/png" });
      response.end(request.url?.endsWith(".css") ? "body{}" : png);
    });
    await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
    const address = server.address();
    return { port: typeof address === "object" && address ? address.port : 0, requests };
  }

  /** Every way HTML can make a page load something, each on its own line, each at its own path. */
  const references = (base: string) => [
    `![Markdown image](${base}/md.png)`,
    `<img alt="raw image" src="${base}/raw.png">`,
    `<img alt="srcset" src="data:image/png;base64,iVBORw0KGgo=" srcset="${base}/srcset.png 1x">`,
    `<picture><source srcset="${base}/source.png"></picture>`,
    `<video poster="${base}/poster.png"></video>`,
    `<link rel="stylesheet" href="${base}/link.css">`,
    `<div style="background-image: url(${base}/style.png)">styled</div>`,
    `<style>@import "${base}/import.css";</style>`,
    `<svg><image href="${base}/svg.png" width="10" height="10"/></svg>`,
  ];

  it("makes no request while printing the PDF, with one warning for each reference; with remote images allowed, the images arrive", async () => {
    const { port, requests } = await loopback();
    const base = `http://127.0.0.1:${port}`;
    const lines = references(base);
    const source = exampleCopy("minimal", {
      "months/2026-10/4.2.md": fragment(lines.join("\n\n")),
      // The dropped markup is told as a warning here, so that the PDF is printed and its requests counted.
      "dmreport.yaml": `${MINIMAL_CONFIG}rules:\n  html-dropped: warning\n`,
    });
    const out = tempFolder();
    const run = await runCliAsync(["build", "--month", "2026-10", "--format", "pdf,html", "--out", out], source);
    expect(run.status, run.stderr).toBe(0);
    expect(requests).toEqual([]);
    const warnings = run.stderr.split("\n").filter((line) => line.includes("[remote-resource]"));
    // One warning for each reference, at its line (the fragment's body starts on line 8, a reference every other line).
    expect(warnings.map((line) => Number(/4\.2\.md:(\d+):/.exec(line)?.[1]))).toEqual(lines.map((_, index) => 8 + 2 * index));
    // The HTML shows the remote images as links to them.
    const html = readFileSync(join(out, "kestrel-2026-10.html"), "utf8");
    expect(html).toContain(`<a href="${base}/md.png">Markdown image</a>`);
    expect(html).toContain(`<a href="${base}/raw.png">raw image</a>`);

    // Allowed: the images are fetched, and nothing else.
    const allowed = exampleCopy("minimal", {
      "months/2026-10/4.2.md": fragment(lines.join("\n\n")),
      "dmreport.yaml": `${MINIMAL_CONFIG.replace("output:\n", "output:\n  remoteImages: true\n")}rules:\n  html-dropped: warning\n`,
    });
    const again = await runCliAsync(["build", "--month", "2026-10", "--format", "pdf", "--out", tempFolder()], allowed);
    expect(again.status, again.stderr).toBe(0);
    // (The sanitizer drops an <img>'s srcset, and a <picture> with no <img> shows nothing.)
    expect([...new Set(requests)].sort()).toEqual(["/md.png", "/raw.png"]);
    const told = again.stderr.split("\n").filter((line) => line.includes("[remote-resource]"));
    expect(told.map((line) => Number(/4\.2\.md:(\d+):/.exec(line)?.[1]))).toEqual([12, 16, 18, 20, 22, 24]);
  });
});

describe.runIf(runBrowserTests)("the PDF step's own guard", () => {
  let server: Server | undefined;
  afterEach(() => server?.close());

  it("lets a template fetch nothing either, however it asks; with remote images allowed, only images arrive", async () => {
    const requests: string[] = [];
    server = createServer((request, response) => {
      requests.push(request.url ?? "");
      response.end();
    });
    await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
    const address = server.address();
    const base = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
    // Templates are the project's own files and pass no sanitizer: only the print step stands between them and the network.
    const template = readFileSync(join(REPO, "templates", "print", "report.hbs"), "utf8").replace(
      '<body class="print">',
      `<body class="print"><img src="${base}/logo.png" alt=""><link rel="stylesheet" href="${base}/t.css"><iframe src="${base}/frame"></iframe><script src="${base}/t.js"></script><object data="${base}/o"></object>`,
    );
    const files = { "layout/print/report.hbs": template };
    const blocked = exampleCopy("minimal", { ...files, "dmreport.yaml": `${MINIMAL_CONFIG}templates: layout\n` });
    const run = await runCliAsync(["build", "--month", "2026-10", "--format", "pdf", "--out", tempFolder()], blocked);
    expect(run.status, run.stderr).toBe(0);
    expect(requests).toEqual([]);
    const allowed = exampleCopy("minimal", {
      ...files,
      "dmreport.yaml": `${MINIMAL_CONFIG.replace("output:\n", "output:\n  remoteImages: true\n")}templates: layout\n`,
    });
    const again = await runCliAsync(["build", "--month", "2026-10", "--format", "pdf", "--out", tempFolder()], allowed);
    expect(again.status, again.stderr).toBe(0);
    expect([...new Set(requests)]).toEqual(["/logo.png"]);
  });

  it("prints no file of the machine and follows no redirection, whatever markup a template hides its head behind", async () => {
    const requests: string[] = [];
    server = createServer((request, response) => {
      requests.push(request.url ?? "");
      response.end("SERVED-TO-THE-PDF");
    });
    await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
    const address = server.address();
    const base = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
    const secret = join(tempFolder(), "config");
    writeFileSync(secret, "[http]\n\textraheader = AUTHORIZATION: basic FILE-SECRET-IN-THE-PDF\n");
    // Two templates, each with a frame of a local file and a redirection (to a loopback address,
    // no name to resolve; to a local file): one hides the policy's place behind a commented-out
    // head, the other behind a `>` in the head's attribute.
    const frame = `<iframe src="${pathToFileURL(secret).href}" width="600" height="200"></iframe>`;
    const print = readFileSync(join(REPO, "templates", "print", "report.hbs"), "utf8");
    expect(print).toContain("<head>");
    for (const [trick, template] of <[string, string][]>[
      [
        "a commented-out head",
        print.replace(
          "<!DOCTYPE html>",
          `<!DOCTYPE html>\n<!--<head>-->${frame}<meta http-equiv="refresh" content="0;url=${base}/redirected">`,
        ),
      ],
      [
        "a > in the head's attribute",
        print.replace("<head>", `<head data-x=">">${frame}<meta http-equiv="refresh" content="0;url=${pathToFileURL(secret).href}">`),
      ],
    ]) {
      const source = exampleCopy("minimal", {
        "layout/print/report.hbs": template,
        "dmreport.yaml": `${MINIMAL_CONFIG}templates: layout\n`,
      });
      const out = tempFolder();
      const run = await runCliAsync(["build", "--month", "2026-10", "--format", "pdf", "--out", out], source);
      expect(run.status, run.stderr).toBe(0);
      const text = spawnSync("pdftotext", [join(out, "kestrel-2026-10.pdf"), "-"], { encoding: "utf8" }).stdout;
      expect(text, trick).toContain("Kestrel");
      expect(text, trick).not.toContain("FILE-SECRET-IN-THE-PDF");
      expect(text, trick).not.toContain("SERVED-TO-THE-PDF");
    }
    expect(requests).toEqual([]);
  });
});

/** Hostile HTML and URLs, one per paragraph: each must be dropped from every output and named by lint. */
const HOSTILE = [
  "<script>alert(1)</script>",
  "<ScRiPt SRC=//x.test/a.js></ScRiPt>",
  '<img src=x onerror="alert(2)">',
  '<a href="javascript:alert(3)">a</a>',
  '<a href="JaVaScRiPt:alert(4)">b</a>',
  '<a href="jav&#x61;script:alert(5)">c</a>',
  '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;:alert(6)">d</a>',
  '<a href=" javascript:alert(7)">e</a>',
  '<a href="java\tscript:alert(8)">f</a>',
  '<a href="vbscript:msgbox(9)">g</a>',
  '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxMCk8L3NjcmlwdD4=">h</a>',
  "[i](javascript:alert(11))",
  "[j](JAVASCRIPT:alert(12))",
  "[k](<java&#x09;script:alert(13)>)",
  "<javascript:alert(14)>",
  "![l](javascript:alert(15))",
  '<iframe src="https://x.test/"></iframe>',
  '<object data="https://x.test/a.swf"></object>',
  '<embed src="https://x.test/a.swf">',
  '<form action="https://x.test/"><button formaction="javascript:alert(16)">m</button></form>',
  '<svg onload="alert(17)"><script>alert(18)</script></svg>',
  '<svg><a xlink:href="javascript:alert(19)"><text>n</text></a></svg>',
  "<math><mtext><table><mglyph><style><img src=x onerror=alert(20)></style></mglyph></table></mtext></math>",
  '<details open ontoggle="alert(21)"><summary>o</summary></details>',
  '<div style="background:url(javascript:alert(22))">p</div>',
  '<style>*{background:url("javascript:alert(23)")}</style>',
  '<base href="javascript:alert(24)//">',
  '<meta http-equiv="refresh" content="0;url=javascript:alert(25)">',
  "<<script>alert(26)//<</script>",
  "<scr<script>ipt>alert(27)</script>",
  '<noscript><p title="</noscript><img src=x onerror=alert(28)>"></noscript>',
  '<a href="#" onclick="alert(29)">q</a>',
  "<template><script>alert(30)</script></template>",
  '<a href="javascript&colon;alert(33)">r</a>',
  '<img src="x.png" srcset="javascript:alert(34) 1x">',
  "<input type=image src=x onfocus=alert(35) autofocus>",
  '<table background="javascript:alert(37)"><tr><td>s</td></tr></table>',
  '<object type="text/html" data="data:text/html,<script>alert(38)</script>"></object>',
];

const URL_PROPERTIES = [
  "href",
  "src",
  "action",
  "formAction",
  "poster",
  "data",
  "background",
  "xLinkHref",
  "srcSet",
  "cite",
  "longDesc",
  "dynsrc",
  "lowsrc",
];
const FORBIDDEN = new Set([
  "script",
  "iframe",
  "frame",
  "frameset",
  "object",
  "embed",
  "applet",
  "form",
  "base",
  "noscript",
  "template",
  "portal",
]);

/** What in a parsed page could run script or load what it should not; empty for a safe page. */
function scriptCapable(tree: HastRoot): string[] {
  const found: string[] = [];
  visit(tree, "element", (element: Element, _index, parent) => {
    const where = `<${element.tagName}>`;
    if (FORBIDDEN.has(element.tagName)) found.push(`${where} element`);
    if (element.tagName === "meta" && element.properties.httpEquiv) found.push(`${where} http-equiv`);
    if (element.tagName === "style" && (parent as Element | undefined)?.tagName !== "head") found.push(`${where} outside the head`);
    for (const [name, value] of Object.entries(element.properties ?? {})) {
      if (/^on/i.test(name)) found.push(`${where} ${name}`);
      const text = Array.isArray(value) ? value.join(",") : String(value);
      if (URL_PROPERTIES.includes(name)) {
        for (const url of name === "srcSet" ? text.split(",").map((candidate) => candidate.trim().split(/\s+/)[0] ?? "") : [text]) {
          const plain = url.replace(/[\u0000-\u0020]/g, "").toLowerCase();
          if (
            /^(javascript|vbscript|livescript):/.test(plain) ||
            (plain.startsWith("data:") && !/^data:image\/(png|jpeg|gif|webp);/.test(plain))
          )
            found.push(`${where} ${name}=${url}`);
        }
      }
      if (name === "style" && /url\(\s*['"]?\s*(?!data:image\/)/i.test(text)) found.push(`${where} style loads ${text}`);
    }
  });
  return found;
}

/** A Markdown output as a site that publishes Markdown without sanitizing it would show it. */
function asPublishedMarkdown(markdown: string): HastRoot {
  const mdast = unified().use(remarkParse).use(remarkGfm).parse(markdown);
  return unified().use(remarkRehype, { allowDangerousHtml: true }).use(rehypeRaw).runSync(mdast) as HastRoot;
}

/** What in a PDF could run script or launch something: actions and links other than web and mail links. */
async function pdfActions(bytes: Uint8Array): Promise<string[]> {
  const document = await PDFDocument.load(bytes, { updateMetadata: false });
  const found: string[] = [];
  const seen = new Set<PDFObject>();
  const check = (object: PDFObject | undefined, action = false) => {
    if (!object || seen.has(object)) return;
    seen.add(object);
    if (object instanceof PDFArray) for (const item of object.asArray()) check(item, action);
    if (!(object instanceof PDFDict)) return;
    for (const [key, value] of object.entries()) {
      const name = key.decodeText();
      if (["JS", "JavaScript", "Launch", "SubmitForm", "ImportData", "RichMedia", "EmbeddedFile"].includes(name)) found.push(`/${name}`);
      // An action dictionary (a link's /A, a page's /AA, the document's /OpenAction): web and in-document links only.
      if (action && name === "S" && value instanceof PDFName && !["URI", "GoTo"].includes(value.decodeText()))
        found.push(`action /${value.decodeText()}`);
      if (name === "URI" && (value instanceof PDFString || value instanceof PDFHexString) && !/^(https?|mailto):/i.test(value.decodeText()))
        found.push(`URI ${value.decodeText()}`);
      check(value, ["A", "AA", "OpenAction", "Next"].includes(name) || (action && name.length <= 2));
    }
  };
  for (const [, object] of document.context.enumerateIndirectObjects()) check(object);
  return found;
}

describe("no script in any output", () => {
  const formats = runBrowserTests ? "md,html,print,pdf" : "md,html,print";

  it("builds a corpus of hostile HTML to every format with nothing script-capable in any of them, and lint names each one", async () => {
    const body = HOSTILE.join("\n\n");
    const source = exampleCopy("minimal", {
      "months/2026-10/4.2.md": fragment(body),
      "dmreport.yaml": `${MINIMAL_CONFIG}rules:\n  html-dropped: warning\n`,
    });
    const out = tempFolder();
    const run = runCli(["build", "--month", "2026-10", "--format", formats, "--out", out], source);
    expect(run.status, run.stderr).toBe(0);
    for (const file of ["kestrel-2026-10.html", "kestrel-2026-10.print.html"]) {
      expect(scriptCapable(fromHtml(readFileSync(join(out, file), "utf8"))), file).toEqual([]);
    }
    const markdown = readFileSync(join(out, "kestrel-2026-10.md"), "utf8");
    expect(scriptCapable(asPublishedMarkdown(markdown))).toEqual([]);
    // The same content as the HTML: the sanitized markup is carried, not dropped (a <details> stays a <details>).
    expect(markdown).toContain("<details open><summary>o</summary></details>");
    if (runBrowserTests) expect(await pdfActions(readFileSync(join(out, "kestrel-2026-10.pdf")))).toEqual([]);

    // Lint names every one, at its line.
    const found = lint({ cwd: source, today: "2026-11-24" }).sources[0]!.diagnostics.filter((d) => d.rule === "html-dropped");
    const lines = new Set(found.map((d) => d.line));
    const missed = HOSTILE.filter((_, index) => !lines.has(8 + 2 * index));
    expect(missed).toEqual([]);
  });

  it("is proven able to find script: an unsanitized page fails the same check", () => {
    const page = fromHtml(`<body>${HOSTILE.join("\n")}</body>`);
    expect(scriptCapable(page).length).toBeGreaterThan(20);
    expect(scriptCapable(asPublishedMarkdown(HOSTILE.join("\n\n"))).length).toBeGreaterThan(20);
  });

  it("leaves a source without raw HTML as it was: the Markdown of the December example keeps its Markdown", () => {
    const golden = readFileSync(join(REPO, "test", "golden", "lsst-dm-monthly-2017-12.md"), "utf8");
    expect(golden).not.toContain("<div>");
  });
});
