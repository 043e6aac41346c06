// axe-core, run in Chromium on the screen and print HTML: no accessibility violation.
import { createRequire } from "node:module";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { launchChromium, runBrowserTests } from "./chromium.js";
import { REPO, runCli, tempFolder } from "./helpers.js";

const AXE = createRequire(import.meta.url).resolve("axe-core");

interface AxeResult {
  violations: { id: string; nodes: { target: string[] }[] }[];
}

describe.runIf(runBrowserTests)("accessibility (axe-core)", () => {
  it("finds no violation in the screen and print HTML of both examples (the print HTML as printed)", async () => {
    const out = tempFolder();
    for (const [source, month] of [
      ["lsst-dm", "2018-01"],
      ["minimal", "2026-10"],
    ] as const) {
      expect(runCli(["build", join(REPO, "examples", source), "--month", month, "--format", "html,print", "--out", out]).status).toBe(0);
    }
    // January 2018 has every milestone view (completed, delayed, slipped, changes, threats, owed).
    const files = ["lsst-dm-monthly-2018-01", "kestrel-2026-10"].flatMap((name) => [`${name}.html`, `${name}.print.html`]);
    const browser = await launchChromium();
    try {
      const found: string[] = [];
      for (const file of files) {
        const page = await browser.newPage();
        await page.goto(pathToFileURL(join(out, file)).href);
        await page.addScriptTag({ path: AXE });
        for (const media of file.endsWith(".print.html") ? (["print"] as const) : (["screen"] as const)) {
          await page.emulateMedia({ media });
          const result = (await page.evaluate(() => (window as unknown as { axe: { run(): Promise<unknown> } }).axe.run())) as AxeResult;
          found.push(
            ...result.violations.map(
              (violation) =>
                `${file} (${media}): ${violation.id} on ${violation.nodes.length} nodes, first ${violation.nodes[0]?.target.join(" ")}`,
            ),
          );
        }
        await page.close();
      }
      expect(found).toEqual([]);
    } finally {
      await browser.close();
    }
  }, 180_000);
});
