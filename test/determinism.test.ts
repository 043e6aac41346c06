// The same input gives the same bytes: in another checkout path, with files created in another order.
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { findBrowser } from "../src/pdf/browser.js";
import { REPO, runCli, tempFolder } from "./helpers.js";

const example = join(REPO, "examples", "lsst-dm");
const withPdf = "path" in findBrowser(undefined) || Boolean(process.env.CI);
const formats = withPdf ? "md,html,print,pdf" : "md,html,print";

function filesOf(folder: string, prefix = ""): string[] {
  return readdirSync(join(folder, prefix), { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesOf(folder, join(prefix, entry.name)) : [join(prefix, entry.name)],
  );
}

/** A copy of the example, its files created in `order`. */
function copyInOrder(target: string, order: (files: string[]) => string[]): void {
  for (const file of order(filesOf(example).sort())) {
    mkdirSync(dirname(join(target, file)), { recursive: true });
    copyFileSync(join(example, file), join(target, file));
  }
}

describe("determinism", () => {
  it(`builds the December 2017 example to the same bytes (${formats}) from two checkouts`, () => {
    const first = join(tempFolder(), "a", "much", "deeper", "checkout");
    const second = join(tempFolder(), "b");
    copyInOrder(first, (files) => files);
    copyInOrder(second, (files) => [...files].reverse());
    for (const source of [first, second]) {
      const run = runCli(["build", source, "--month", "2017-12", "--format", formats, "--out", join(source, "..", "out")]);
      expect(run.status).toBe(0);
    }
    const written = readdirSync(join(first, "..", "out")).sort();
    expect(written).toHaveLength(formats.split(",").length);
    for (const file of written)
      expect(readFileSync(join(second, "..", "out", file)), file).toEqual(readFileSync(join(first, "..", "out", file)));
  }, 60_000);

  it.runIf(withPdf)(
    "dates the PDF by SOURCE_DATE_EPOCH when it is set, never by the clock",
    () => {
      const out = tempFolder();
      const run = spawnSync(
        process.execPath,
        [join(REPO, "bin", "dmreport"), "build", example, "--month", "2017-12", "--format", "pdf", "--out", out],
        {
          encoding: "utf8",
          env: { ...process.env, SOURCE_DATE_EPOCH: "1514764800" },
        },
      );
      expect(run.status).toBe(0);
      const info = spawnSync("pdfinfo", [join(out, "lsst-dm-monthly-2017-12.pdf")], { encoding: "utf8" }).stdout;
      expect(info).toMatch(/^CreationDate:\s+Mon Jan  1 00:00:00 2018 UTC$/m);
    },
    60_000,
  );
});
