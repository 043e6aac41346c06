// Golden files: both examples' Markdown, byte for byte. `npm run test:update` rewrites them.
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { build } from "../src/build.js";
import { exampleCopy, REPO, runCli, tempFolder } from "./helpers.js";

function filesUnder(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(join(folder, entry.name)) : [join(folder, entry.name)],
  );
}

const update = process.env.UPDATE_GOLDEN === "1";

function compareGolden(name: string, actual: string): void {
  const path = join(REPO, "test", "golden", name);
  if (update) writeFileSync(path, actual);
  expect(actual).toBe(readFileSync(path, "utf8"));
}

describe("golden reports", () => {
  it("builds the December 2017 LSST DM report through the CLI", () => {
    const out = tempFolder();
    const run = runCli(["build", "examples/lsst-dm", "--month", "2017-12", "--format", "md", "--out", out]);
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    compareGolden("lsst-dm-monthly-2017-12.md", readFileSync(join(out, "lsst-dm-monthly-2017-12.md"), "utf8"));
  });

  it("builds January 2018, the month after the reference, with its milestone story", async () => {
    const result = await build({ source: join(REPO, "examples", "lsst-dm"), month: "2018-01", formats: ["md", "html"], write: false });
    // DLP-808 was delayed in December and nobody reported it in January: owed, and carried.
    expect(result.diagnostics.map((found) => `${found.file}:${found.line}:${found.column} ${found.rule}`)).toEqual([
      "months/2018-01/02C.06.00.md:2:6 milestone-owed",
    ]);
    compareGolden("lsst-dm-monthly-2018-01.md", result.rendered[0]!.content);
    compareGolden("lsst-dm-monthly-2018-01.html", result.rendered[1]!.content);
  });

  it("builds the minimal example's two months through the library", async () => {
    for (const month of ["2026-09", "2026-10"]) {
      const result = await build({ source: join(REPO, "examples", "minimal"), month, write: false });
      expect(result.diagnostics).toEqual([]);
      compareGolden(`kestrel-${month}.md`, result.rendered[0]!.content);
    }
  });

  it("renders both examples' HTML and print HTML", async () => {
    const cases = [
      ["lsst-dm", "2017-12", "lsst-dm-monthly-2017-12"],
      ["minimal", "2026-10", "kestrel-2026-10"],
    ] as const;
    for (const [example, month, name] of cases) {
      const result = await build({ source: join(REPO, "examples", example), month, formats: ["html", "print"], write: false });
      expect(result.diagnostics).toEqual([]);
      compareGolden(`${name}.html`, result.rendered[0]!.content);
      compareGolden(`${name}.print.html`, result.rendered[1]!.content);
    }
  });

  it("builds a source saved with CRLF line endings and byte order marks byte-identical to LF", async () => {
    const source = exampleCopy("lsst-dm");
    for (const file of filesUnder(source)) {
      writeFileSync(file, `\uFEFF${readFileSync(file, "utf8").replace(/\n/g, "\r\n")}`);
    }
    const result = await build({ source, month: "2017-12", write: false });
    expect(result.diagnostics).toEqual([]);
    expect(result.rendered[0]!.content).toBe(readFileSync(join(REPO, "test", "golden", "lsst-dm-monthly-2017-12.md"), "utf8"));
  });

  it("gives byte-identical output for the same input", async () => {
    const first = await build({ source: join(REPO, "examples", "lsst-dm"), month: "2017-12", write: false });
    const second = await build({ source: join(REPO, "examples", "lsst-dm"), month: "2017-12", write: false });
    expect(second.rendered[0]!.content).toBe(first.rendered[0]!.content);
  });
});

// The acceptance measure of the product: the example against the real December 2017 report.
const similarity = join(REPO, "..", "shared", "acceptance", "similarity.mjs");
const reference = join(REPO, "..", "shared", "reference", "lsst-dm-monthly-2017-12.md");

describe.runIf(existsSync(similarity) && existsSync(reference))("the December 2017 example against the reference", () => {
  it("scores recall and precision of at least 0.97", () => {
    const golden = join(REPO, "test", "golden", "lsst-dm-monthly-2017-12.md");
    const run = spawnSync(process.execPath, [similarity, golden, reference], { encoding: "utf8" });
    const [, recall, precision] = /similarity: recall=([\d.]+) precision=([\d.]+)/.exec(run.stdout) ?? [];
    expect(Number(recall)).toBeGreaterThanOrEqual(0.97);
    expect(Number(precision)).toBeGreaterThanOrEqual(0.97);
  });
});
