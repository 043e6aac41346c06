// HTML rendering: sanitizing, anchors, charts, and the browser lookup for PDF.
import { chmodSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { build } from "../src/build.js";
import { parseMarkdown } from "../src/load/markdown.js";
import { findBrowser } from "../src/pdf/browser.js";
import { contentHtml } from "../src/render/html.js";
import { wbsAnchor } from "../src/render/html-view.js";
import { exampleCopy, REPO, tempFolder } from "./helpers.js";

const html = (markdown: string) => contentHtml(parseMarkdown(markdown), [], { parentLevel: 4, sourceDepth: 2 });

describe("contentHtml", () => {
  it("removes scripts, event handlers and javascript: links from raw HTML and Markdown", () => {
    expect(html('<script>alert(1)</script>\n\n<img src="x.png" onerror="alert(2)">\n\n[click](javascript:alert(3))\n')).toBe(
      '<img src="x.png">\n<p><a>click</a></p>',
    );
  });

  it("keeps data URLs for images only", () => {
    const png = "data:image/png;base64,iVBORw0KGgo=";
    expect(html(`![plot](${png})\n\n<img src="data:text/html;base64,PHNjcmlwdD4=">\n\n<a href="data:text/html,x">x</a>\n`)).toBe(
      `<p><img src="${png}" alt="plot"></p>\n<img>\n<p><a>x</a></p>`,
    );
  });

  it("keeps harmless HTML and prefixes ids so fragments cannot clobber the report's anchors", () => {
    expect(html('Water is H<sub>2</sub>O.\n\n<p id="milestones">x</p>\n')).toBe(
      '<p>Water is H<sub>2</sub>O.</p>\n<p id="user-content-milestones">x</p>',
    );
  });

  it("places fragment headings under their block", () => {
    expect(html("### Detail\n")).toBe("<h5>Detail</h5>");
  });
});

describe("the HTML report", () => {
  it("gives every WBS element the same anchor every month", () => {
    expect(wbsAnchor("1.02C.03.01")).toBe("wbs-1-02C-03-01");
  });

  it("prints template syntax and escapes markup written in titles", async () => {
    const source = exampleCopy("minimal", {
      "wbs.yaml":
        'elements:\n  - code: "4.1"\n    title: "Control <b>{{title}}</b>"\n    children:\n      - { code: "4.1.1", title: Pointing }\n      - { code: "4.1.2", title: Scheduler }\n  - { code: "4.2", title: Data Pipeline }\n',
    });
    const result = await build({ source, month: "2026-10", formats: ["html"], write: false });
    const page = result.rendered[0]!.content;
    expect(page).toContain('<h3><span class="code">4.1</span> Control &lt;b&gt;{{title}}&lt;/b&gt;</h3>');
    expect(page).not.toContain("<script");
  });

  it("draws the burndown from the register and every month's completions", async () => {
    const result = await build({ source: join(REPO, "examples", "minimal"), month: "2026-10", formats: ["html"], write: false });
    expect(result.tree!.charts.burndown).toEqual([
      { month: "2026-09", planned: 2, remaining: 3 },
      { month: "2026-10", planned: 1, remaining: 2 },
      { month: "2026-11", planned: 1, remaining: undefined },
      { month: "2026-12", planned: 0, remaining: undefined },
    ]);
    expect(result.rendered[0]!.content).toContain(
      '<desc id="burndown-desc">At the end of October 2026, 2 of 3 milestones remain; by the plan, 1 would.</desc>',
    );
  });
});

describe("findBrowser", () => {
  it("takes DMREPORT_CHROME first, and says when it is not a program", () => {
    const folder = tempFolder();
    const fake = join(folder, "chrome");
    writeFileSync(fake, "#!/bin/sh\n");
    chmodSync(fake, 0o755);
    expect(findBrowser(undefined, { DMREPORT_CHROME: fake, PATH: "" })).toEqual({ path: fake });
    expect(findBrowser(undefined, { DMREPORT_CHROME: join(folder, "none"), PATH: "" })).toEqual({
      problem: `the browser named by DMREPORT_CHROME (${join(folder, "none")}) is not an executable file`,
    });
  });

  it("searches PATH and explains how to install one when there is none", () => {
    const folder = tempFolder();
    const fake = join(folder, "chromium");
    writeFileSync(fake, "#!/bin/sh\n");
    chmodSync(fake, 0o755);
    expect(findBrowser(undefined, { PATH: folder })).toEqual({ path: fake });
    expect(findBrowser(undefined, { PATH: tempFolder() })).toMatchObject({ problem: expect.stringMatching(/apt-get install chromium/) });
  });
});
