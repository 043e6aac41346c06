// bin/dmreport runs lint and build with V8's code cache in the per-user cache folder: it changes
// speed only, never what they say or write, whether the cache is missing, being made, corrupt or
// cannot be written.
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { exampleCopy, runCli, tempFolder, waitFor } from "./helpers.js";

describe("the code cache of lint and build", () => {
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

  it("is made by a build after its work, one for a month and one for the archive, with the same bytes written each time", () => {
    const source = exampleCopy("lsst-dm");
    const cache = tempFolder();
    const built = (args: string[], env: Record<string, string>) => {
      const out = tempFolder();
      const run = runCli(["build", ...args, "--format", "md", "--out", out], source, env);
      expect(run.status).toBe(0);
      const written = readdirSync(out)
        .filter((name) => name.endsWith(".md"))
        .sort()
        .map((name) => readFileSync(join(out, name), "utf8"));
      return { stderr: run.stderr, written };
    };
    const plain = built(["--month", "2018-01"], { DMREPORT_NO_CACHE: "1" });
    const codeCache = (kind: string) => readdirSync(cache).filter((name) => new RegExp(`^code-${kind}-[0-9a-f]{20}\\.bin$`).test(name));
    // Made by the run itself, before it exits: no process is left behind to make it.
    expect(built(["--month", "2018-01"], { DMREPORT_CACHE_DIR: cache })).toEqual(plain);
    expect(codeCache("build")).toHaveLength(1);
    const made = readFileSync(join(cache, codeCache("build")[0]!));
    expect(made.length).toBeGreaterThan(10_000);
    expect(built(["--month", "2018-01"], { DMREPORT_CACHE_DIR: cache })).toEqual(plain);
    expect(readFileSync(join(cache, codeCache("build")[0]!)).equals(made)).toBe(true);

    writeFileSync(join(cache, codeCache("build")[0]!), "not a code cache");
    expect(built(["--month", "2018-01"], { DMREPORT_CACHE_DIR: cache })).toEqual(plain);
    expect(readFileSync(join(cache, codeCache("build")[0]!)).length).toBeGreaterThan(10_000);

    const archive = built(["--all"], { DMREPORT_NO_CACHE: "1" });
    expect(built(["--all"], { DMREPORT_CACHE_DIR: cache })).toEqual(archive);
    expect(codeCache("build-all")).toHaveLength(1);
    expect(built(["--all"], { DMREPORT_CACHE_DIR: cache })).toEqual(archive);
    expect(readdirSync(cache).filter((name) => name.endsWith(".tmp"))).toEqual([]);
  }, 120_000);
});
