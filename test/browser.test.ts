// The HTML report in a real headless Chromium (Debian's, driven by playwright-core).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium, runBrowserTests } from "./chromium.js";
import { exampleCopy, REPO, runCli, tempFolder } from "./helpers.js";

interface PageReport {
  page: Page;
  consoleErrors: string[];
  failedRequests: string[];
  outsideRequests: string[];
  dialogs: string[];
}

describe.runIf(runBrowserTests)("the HTML report in Chromium", () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  async function open(file: string, viewport = { width: 1280, height: 900 }): Promise<PageReport> {
    const context = await browser.newContext({ viewport });
    const page = await context.newPage();
    const report: PageReport = { page, consoleErrors: [], failedRequests: [], outsideRequests: [], dialogs: [] };
    page.on("console", (message) => {
      if (message.type() === "error") report.consoleErrors.push(message.text());
    });
    page.on("pageerror", (error) => report.consoleErrors.push(error.message));
    page.on("requestfailed", (request) => report.failedRequests.push(request.url()));
    page.on("request", (request) => {
      if (!request.url().startsWith("file:")) report.outsideRequests.push(request.url());
    });
    page.on("dialog", async (dialog) => {
      report.dialogs.push(dialog.message());
      await dialog.dismiss();
    });
    await page.goto(pathToFileURL(file).href, { waitUntil: "load" });
    return report;
  }

  function buildExample(source: string, month: string, formats = "html,print"): string {
    const out = tempFolder();
    const run = runCli(["build", source, "--month", month, "--format", formats, "--out", out]);
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    return out;
  }

  it("loads the December 2017 report with no console error, no failed request and nothing fetched", async () => {
    const out = buildExample(join(REPO, "examples", "lsst-dm"), "2017-12");
    for (const name of ["lsst-dm-monthly-2017-12.html", "lsst-dm-monthly-2017-12.print.html"]) {
      const report = await open(join(out, name));
      expect(report.consoleErrors).toEqual([]);
      expect(report.failedRequests).toEqual([]);
      expect(report.outsideRequests).toEqual([]);
      expect(await report.page.evaluate(() => document.scripts.length)).toBe(0);
      await report.page.context().close();
    }
  });

  it("lands every contents link, and every link within the page, on an existing anchor", async () => {
    const out = buildExample(join(REPO, "examples", "lsst-dm"), "2017-12", "html");
    const { page } = await open(join(out, "lsst-dm-monthly-2017-12.html"));
    const targets = await page.evaluate(() =>
      [...document.querySelectorAll<HTMLAnchorElement>('a[href^="#"]')].map((link) => ({
        href: link.getAttribute("href")!,
        inToc: Boolean(link.closest("nav.toc")),
        found: Boolean(document.getElementById(decodeURIComponent(link.getAttribute("href")!.slice(1)))),
      })),
    );
    expect(targets.filter((target) => target.inToc).length).toBe(16);
    expect(targets.filter((target) => !target.found)).toEqual([]);
    const ids = await page.evaluate(() => [...document.querySelectorAll("[id]")].map((element) => element.id));
    expect(ids.length).toBe(new Set(ids).size);
    expect(ids).toContain("wbs-1-02C-03-01");
    await page.context().close();
  });

  it("fits a phone's width without scrolling sideways", async () => {
    const out = buildExample(join(REPO, "examples", "lsst-dm"), "2017-12", "html");
    const { page } = await open(join(out, "lsst-dm-monthly-2017-12.html"), { width: 390, height: 844 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.context().close();
  });

  it("runs nothing from a hostile fragment and shows its template syntax as text", async () => {
    const hostile = [
      "---",
      'wbs: "4.2"',
      "month: 2026-10",
      "milestones: [{ id: A2330, status: completed, completed: 2026-10-14 }]",
      "---",
      "",
      "## Highlights",
      "",
      "<script>window.pwned = 'script'; alert('script')</script>",
      "",
      "<img src=\"missing.png\" onerror=\"window.pwned = 'onerror'; alert('onerror')\">",
      "",
      "[a harmless-looking link](javascript:window.pwned='link')",
      "",
      '<a href="javascript:alert(1)" onclick="window.pwned=\'click\'">click me</a>',
      "",
      "Literal {{title}} and {{{organisation}}} stay as typed.",
      "",
    ].join("\n");
    // Lint and build name each of these (html-dropped, tested in safe-output.test.ts); off here, so that the page is built and tried.
    const config = `${readFileSync(join(REPO, "examples", "minimal", "dmreport.yaml"), "utf8")}rules:\n  html-dropped: off\n`;
    const source = exampleCopy("minimal", { "months/2026-10/4.2.md": hostile, "dmreport.yaml": config });
    const out = buildExample(source, "2026-10", "html");
    const { page, dialogs } = await open(join(out, "kestrel-2026-10.html"));
    await page.getByText("a harmless-looking link").click();
    await page.getByText("click me").click();
    expect(await page.evaluate(() => (window as unknown as { pwned?: string }).pwned)).toBeUndefined();
    expect(dialogs).toEqual([]);
    expect(await page.evaluate(() => document.body.innerText)).toContain("Literal {{title}} and {{{organisation}}} stay as typed.");
    const html = readFileSync(join(out, "kestrel-2026-10.html"), "utf8");
    expect(html).not.toMatch(/<script|onerror|onclick|javascript:/i);
    await page.context().close();
  });

  it("shows January 2018's milestone story and the dashboard with no console error, fitting a phone", async () => {
    const out = tempFolder();
    const run = runCli(["build", join(REPO, "examples", "lsst-dm"), "--all", "--format", "md,html", "--out", out]);
    expect(run.status).toBe(0);
    for (const name of ["lsst-dm-monthly-2018-01.html", "index.html", "milestones.html"]) {
      for (const viewport of [
        { width: 1280, height: 900 },
        { width: 390, height: 844 },
      ]) {
        const report = await open(join(out, name), viewport);
        expect(report.consoleErrors, name).toEqual([]);
        expect(report.failedRequests, name).toEqual([]);
        expect(report.outsideRequests, name).toEqual([]);
        expect(await report.page.evaluate(() => document.scripts.length)).toBe(0);
        expect(
          await report.page.evaluate(() => document.documentElement.scrollWidth),
          `${name} at ${viewport.width} px`,
        ).toBeLessThanOrEqual(viewport.width);
        await report.page.context().close();
      }
    }
    const january = await open(join(out, "lsst-dm-monthly-2018-01.html"));
    expect(await january.page.locator("#milestones-changes h4").allInnerTexts()).toEqual([
      "Completed 3",
      "Newly delayed 1",
      "Slipped 2",
      "Recovered 1",
      "Removed from the register 1",
    ]);
    expect(await january.page.locator("#milestones-threats tbody tr").innerText()).toContain("LDM-503-4");
    expect(await january.page.locator("svg.forecast-history .series").count()).toBeGreaterThan(0);
    await january.page.context().close();

    const { page } = await open(join(out, "milestones.html"));
    // The register in force in the latest month: DLP-544, retired at the re-plan, is not in it.
    expect(await page.locator("#register tbody tr").count()).toBe(33);
    const carried = page.locator("#register tbody tr", { hasText: "DLP-808" });
    expect(await carried.innerText()).toMatch(/Delayed\s+2017-11-30\s+2018-11-30\s+\+365 days\s+Dec 2017/);
    // The month last reported links to that month's report, which is there.
    await carried.getByRole("link", { name: "Dec 2017" }).click();
    expect(page.url()).toMatch(/lsst-dm-monthly-2017-12\.html$/);
    await page.goBack();
    await page.getByRole("link", { name: "Months" }).click();
    expect(await page.locator("#months tbody tr").count()).toBe(2);
    await page.context().close();
  });
});
