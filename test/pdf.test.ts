// The PDF, printed by the machine's Chromium: pages, metadata, outline, and where chapters start.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PDFDict, PDFDocument, PDFName, PDFNumber } from "pdf-lib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findBrowser } from "../src/pdf/browser.js";
import { exampleCopy, REPO, runCli, tempFolder, type CliRun } from "./helpers.js";

const havePoppler = spawnSync("pdfinfo", ["-v"]).status === 0;
const runPdfTests = ("path" in findBrowser(undefined) && havePoppler) || Boolean(process.env.CI);

const pageText = (pdf: string, page: number) =>
  spawnSync("pdftotext", ["-layout", "-f", String(page), "-l", String(page), pdf, "-"], { encoding: "utf8" }).stdout;

describe.runIf(runPdfTests)("the PDF report", () => {
  // One build serves every test here; it is removed when they are done.
  const out = mkdtempSync(join(tmpdir(), "dmreport-pdf-test-"));
  const pdf = join(out, "lsst-dm-monthly-2017-12.pdf");
  let build: CliRun;
  beforeAll(() => {
    build = runCli(["build", "examples/lsst-dm", "--month", "2017-12", "--format", "md,html,print,pdf", "--out", out]);
    // A build that prints twice in Chromium: ~5 s alone, more on a busy machine.
  }, 60_000);
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it("is built with the other formats from one command", () => {
    expect(build.stderr).toBe("");
    expect(build.status).toBe(0);
    expect(build.stdout.split("\n").filter((line) => line.startsWith("wrote"))).toHaveLength(4);
  });

  it("has its title, subject, author, A4 pages and a fixed date", () => {
    const info = spawnSync("pdfinfo", [pdf], { encoding: "utf8" }).stdout;
    expect(info).toMatch(/^Title:\s+Large Synoptic Survey Telescope Data Management Monthly Report – December 2017$/m);
    expect(info).toMatch(/^Subject:\s+Monthly status report of LSST Data Management$/m);
    expect(info).toMatch(/^Author:\s+Large Synoptic Survey Telescope$/m);
    expect(info).toMatch(/^Page size:\s+594\.96 x 841\.92 pts \(A4\)$/m);
    expect(info).toMatch(/^CreationDate:\s+Sun Dec 31 12:00:00 2017 UTC$/m);
    expect(info).toMatch(/^Pages:\s+33$/m);
  });

  it("opens with the cover and the contents, and starts the first chapter on its own page", () => {
    expect(pageText(pdf, 1)).toContain("December 2017");
    expect(pageText(pdf, 2)).toMatch(/^\s*Contents/m);
    const firstChapter = pageText(pdf, 10);
    expect(firstChapter).toMatch(/Detailed Project Progress\s+1\.02C\.01 System Management/);
    expect(pageText(pdf, 9)).not.toContain("1.02C.01 System Management");
  });

  it("gives each entry of the contents the page its heading is on", () => {
    // The contents page as pdftotext lays it out: each entry's text, then its page number at the right.
    const entries = pageText(pdf, 2)
      .split("\n")
      .map((line) => /^\s*(\S.*?\S)\s{2,}(\d+)$/.exec(line))
      .filter((match) => match !== null)
      .map((match) => ({ heading: match[1]!, page: Number(match[2]) }));
    expect(entries.map(({ heading }) => heading)).toEqual([
      "High-level Summary",
      "Risk Management",
      "Milestone Summary",
      "Milestones Completed",
      "Milestones Delayed",
      "Detailed Project Progress",
      "1.02C.01 System Management",
      "1.02C.02.01 Data Management Science",
      "1.02C.02.02 DM System Architecture",
      "1.02C.03 Alert Production",
      "1.02C.04 Data Release Production",
      "1.02C.05 Science User Interface & Tools",
      "1.02C.06 Science Data Archive & Application Services",
      "1.02C.07 LSST Data Facility",
      "1.02C.08 International Communications & Base Site",
      "1.02C.10 Science Quality and Reliability Engineering",
    ]);
    for (const { heading, page } of entries) {
      // The heading starts its line on that page, and on no page before it (the entry names where it begins).
      const startsALine = (text: string) =>
        text.split("\n").some((line) => line.trim() === heading || line.trim().startsWith(`${heading}  `));
      expect(startsALine(pageText(pdf, page)), `${heading} on page ${page}`).toBe(true);
      for (let before = 3; before < page; before++)
        expect(startsALine(pageText(pdf, before)), `${heading} before page ${page}`).toBe(false);
    }
  });

  it("carries a running header and page numbers on every page but the cover", () => {
    expect(pageText(pdf, 1)).not.toContain("Page 1 of 33");
    expect(pageText(pdf, 10)).toMatch(/Large Synoptic Survey Telescope Data Management Monthly Report\s+December 2017/);
    expect(pageText(pdf, 10)).toContain("Page 10 of 33");
  });

  it("has an outline (bookmarks) of its headings", async () => {
    const document = await PDFDocument.load(readFileSync(pdf));
    const outlines = document.catalog.lookup(PDFName.of("Outlines"), PDFDict);
    expect(outlines.lookup(PDFName.of("Count"), PDFNumber).asNumber()).toBeGreaterThan(5);
  });

  it("prints on US Letter when the config asks for it", () => {
    const source = exampleCopy("minimal");
    const config = readFileSync(join(source, "dmreport.yaml"), "utf8").replace("output:\n", "output:\n  pageSize: Letter\n");
    spawnSync("sh", ["-c", `cat > ${join(source, "dmreport.yaml")}`], { input: config });
    const letterOut = tempFolder();
    expect(runCli(["build", source, "--format", "pdf", "--out", letterOut]).status).toBe(0);
    const info = spawnSync("pdfinfo", [join(letterOut, "kestrel-2026-10.pdf")], { encoding: "utf8" }).stdout;
    expect(info).toMatch(/^Page size:\s+612 x 792 pts \(letter\)$/m);
  });
});

describe("PDF without a browser", () => {
  it("says how to install one and exits 2, writing nothing", () => {
    const out = tempFolder();
    const run = spawnSync(
      process.execPath,
      [join(REPO, "bin", "dmreport"), "build", "examples/minimal", "--format", "md,pdf", "--out", out],
      {
        cwd: REPO,
        encoding: "utf8",
        env: { PATH: "/nonexistent", NO_COLOR: "1" },
      },
    );
    expect(run.stderr).toBe(
      "dmreport: PDF output needs Chromium or Google Chrome, and none was found on PATH. Install one (Debian/Ubuntu: apt-get install chromium) or set DMREPORT_CHROME to the browser's path\n",
    );
    expect(run.status).toBe(2);
    expect(spawnSync("ls", ["-A", out], { encoding: "utf8" }).stdout).toBe("");
  });
});
