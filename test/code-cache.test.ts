// bin/dmreport runs lint with V8's code cache in the per-user cache folder: it changes speed only,
// never what lint says, whether the cache is missing, being made, corrupt or cannot be written.
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { exampleCopy, runCli, tempFolder, waitFor } from "./helpers.js";

describe("lint's code cache", () => {
  it("is made in the background on the first run, then used, with the same verdict each time", async () => {
    const source = exampleCopy("lsst-dm");
    const cache = tempFolder();
    const lintIt = (env: Record<string, string>) => runCli(["lint", "months/2018-01/02C.06.00.md"], source, env);
    const plain = lintIt({ DMREPORT_NO_CACHE: "1" });
    expect(plain.stdout).toContain("milestone-owed");
    const first = lintIt({ DMREPORT_CACHE_DIR: cache });
    expect(first).toMatchObject({ stdout: plain.stdout, stderr: "", status: plain.status });
    const codeCache = () => readdirSync(cache).filter((name) => /^code-lint-[0-9a-f]{20}\.bin$/.test(name));
    await waitFor(() => codeCache().length === 1, "the code cache");
    const made = readFileSync(join(cache, codeCache()[0]!));
    expect(made.length).toBeGreaterThan(10_000);
    expect(lintIt({ DMREPORT_CACHE_DIR: cache })).toMatchObject({ stdout: plain.stdout, stderr: "", status: plain.status });
    // Used, not made again.
    expect(readFileSync(join(cache, codeCache()[0]!)).equals(made)).toBe(true);

    // Corrupt: ignored, the verdict unchanged, and made anew.
    writeFileSync(join(cache, codeCache()[0]!), "not a code cache");
    expect(lintIt({ DMREPORT_CACHE_DIR: cache })).toMatchObject({ stdout: plain.stdout, stderr: "", status: plain.status });
    expect(readFileSync(join(cache, codeCache()[0]!)).length).toBeGreaterThan(10_000);
    expect(readdirSync(cache).filter((name) => name.endsWith(".tmp"))).toEqual([]);
  });

  it("changes nothing where the cache folder cannot be written, and --fix fixes once", async () => {
    const blocked = join(tempFolder(), "not-a-folder");
    writeFileSync(blocked, "");
    const source = exampleCopy("minimal", {
      "months/2026-10/4.1.1.md": '---\nwbs: "4.1.1"\nmonth: 2026-10\n---\n\n## Highlights\n\nFixed KSW 88.\n',
    });
    const run = runCli(["lint", "--fix", "months/2026-10/4.1.1.md"], source, { DMREPORT_CACHE_DIR: blocked });
    expect(run).toMatchObject({ stdout: "", stderr: "fixed 1 problem in 1 file\n", status: 0 });
    expect(readFileSync(join(source, "months/2026-10/4.1.1.md"), "utf8")).toContain("Fixed KSW-88.");
    expect(readFileSync(blocked, "utf8")).toBe("");
  });
});
