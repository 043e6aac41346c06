#!/usr/bin/env node
// The screenshots in the README and docs/, made anew from the examples with the machine's
// Chromium (playwright-core) and poppler's pdftoppm: `npm run docs:screenshots`, after a change
// to how the outputs look. Look at them before committing them.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, renameSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { findBrowser } from "../dist/pdf/browser.js";

const repo = join(dirname(fileURLToPath(import.meta.url)), "..");
const docs = join(repo, "docs");
const work = mkdtempSync(join(tmpdir(), "dmreport-screenshots-"));
const cli = join(repo, "bin", "dmreport");
const run = (args) => {
  const done = spawnSync(process.execPath, [cli, ...args], { encoding: "utf8" });
  if (done.status !== 0) throw new Error(`dmreport ${args.join(" ")}: ${done.stderr}`);
};

try {
  run(["build", join(repo, "examples", "lsst-dm"), "--month", "2017-12", "--format", "html,pdf", "--out", work]);
  run(["build", join(repo, "examples", "lsst-dm"), "--all", "--format", "html", "--out", join(work, "all")]);
  const found = findBrowser(undefined);
  if (!("path" in found)) throw new Error("no Chromium on this machine: apt-get install chromium");
  const browser = await chromium.launch({ executablePath: found.path, args: ["--no-sandbox", "--disable-gpu"] });
  const shot = async (file, width, height, selector, path) => {
    const page = await browser.newPage({ viewport: { width, height }, deviceScaleFactor: 1 });
    await page.goto(`file://${file}`);
    await page.locator(selector).first().scrollIntoViewIfNeeded();
    await page.evaluate((wanted) => document.querySelector(wanted).scrollIntoView(), selector);
    await page.screenshot({ path });
    await page.close();
  };
  const december = join(work, "lsst-dm-monthly-2017-12.html");
  // A laptop: the Milestone Summary; a phone: the same, its first chart.
  await shot(december, 900, 645, "#milestones", join(docs, "html.png"));
  await shot(december, 390, 844, "#milestones", join(docs, "phone.png"));
  await shot(join(work, "all", "lsst-dm-monthly-2018-01.html"), 768, 1500, "#milestones", join(docs, "january-milestones.png"));
  await shot(join(work, "all", "milestones.html"), 1100, 1250, "main", join(docs, "dashboard-milestones.png"));
  await browser.close();
  // The PDF: its contents page, and a page of the Milestone Summary.
  const pdf = join(work, "lsst-dm-monthly-2017-12.pdf");
  for (const [page, name] of [
    [2, "pdf-contents"],
    [5, "pdf-page"],
  ]) {
    const done = spawnSync("pdftoppm", ["-png", "-r", "60", "-f", String(page), "-l", String(page), "-singlefile", pdf, join(work, name)]);
    if (done.status !== 0) throw new Error(`pdftoppm: ${done.stderr}`);
    renameSync(join(work, `${name}.png`), join(docs, `${name}.png`));
  }
  process.stdout.write(
    `${readdirSync(docs)
      .filter((name) => name.endsWith(".png"))
      .join("\n")}\n`,
  );
} finally {
  rmSync(work, { recursive: true, force: true });
}
