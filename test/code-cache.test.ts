// bin/dmreport runs lint and build with V8's code cache in the per-user cache folder: it changes
// speed only, never what they say or write, whether the cache is missing, being made, corrupt or
// cannot be written.
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Script } from "node:vm";
import { describe, expect, it } from "vitest";
import { exampleCopy, REPO, runCli as runAnywhere, tempFolder, waitFor } from "./helpers.js";

// As a user's machine, not CI (where the suite itself may run, with CI set): no warm-up runs in CI.
const runCli = (args: string[], cwd: string, env: Record<string, string>) => runAnywhere(args, cwd, { CI: "", ...env });

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
    const name = codeCache()[0]!;
    writeFileSync(join(cache, name), "not a code cache");
    expect(lintIt({ DMREPORT_CACHE_DIR: cache })).toMatchObject({ stdout: plain.stdout, stderr: "", status: plain.status });
    await waitFor(() => readFileSync(join(cache, name)).length > 10_000, "the corrupt cache made anew");
    await waitFor(() => !readdirSync(cache).some((entry) => entry.endsWith(".warming")), "the warm-up's end");
    const remade = readFileSync(join(cache, name));
    expect(readdirSync(cache).filter((name) => name.endsWith(".tmp"))).toEqual([]);
    // Damaged in its body, its header whole (V8 checks the header alone, and crashed on such a cache): the same.
    const damaged = Buffer.from(remade);
    for (let at = damaged.length >> 1; at < (damaged.length >> 1) + 64; at++) damaged[at] = damaged[at]! ^ 0x5a;
    writeFileSync(join(cache, name), damaged);
    expect(lintIt({ DMREPORT_CACHE_DIR: cache })).toMatchObject({ stdout: plain.stdout, stderr: "", status: plain.status });
    await waitFor(() => !readFileSync(join(cache, name)).equals(damaged), "the damaged cache made anew");
    expect(lintIt({ DMREPORT_CACHE_DIR: cache })).toMatchObject({ stdout: plain.stdout, stderr: "", status: plain.status });
  });

  it("is not made in the background in CI, whose cache starts empty at every job, nor while another warm-up is at work", async () => {
    const source = exampleCopy("lsst-dm");
    const cache = tempFolder();
    const lintIt = (env: Record<string, string>) => runCli(["lint", "months/2018-01/02C.06.00.md"], source, env);
    const plain = lintIt({ DMREPORT_NO_CACHE: "1" });
    expect(lintIt({ DMREPORT_CACHE_DIR: cache, CI: "true" })).toMatchObject({ stdout: plain.stdout, status: plain.status });
    // A warm-up holds its lock from before it starts until it has written the cache.
    expect(readdirSync(cache).filter((name) => name.startsWith("code-"))).toEqual([]);
    await new Promise((done) => setTimeout(done, 3000));
    expect(readdirSync(cache).filter((name) => name.startsWith("code-"))).toEqual([]);
    // Outside CI it is, by one warm-up at a time: a lock younger than ten minutes is one at work, an older one died.
    const key = createHash("sha1")
      .update(`${process.version} ${process.arch}\n`)
      .update(readFileSync(join(REPO, "dist", "cli", "cli.cjs"), "utf8"))
      .digest("hex")
      .slice(0, 20);
    const lock = join(cache, `code-lint-${key}.bin.warming`);
    writeFileSync(lock, "4242\n");
    expect(lintIt({ DMREPORT_CACHE_DIR: cache })).toMatchObject({ stdout: plain.stdout, status: plain.status });
    await new Promise((done) => setTimeout(done, 3000));
    expect(readdirSync(cache).filter((name) => name.endsWith(".bin"))).toEqual([]);
    const died = new Date(Date.now() - 11 * 60 * 1000);
    utimesSync(lock, died, died);
    expect(lintIt({ DMREPORT_CACHE_DIR: cache })).toMatchObject({ stdout: plain.stdout, status: plain.status });
    await waitFor(() => readdirSync(cache).some((name) => name.endsWith(".bin")), "the code cache");
    await waitFor(() => !readdirSync(cache).some((name) => name.endsWith(".warming")), "the warm-up's end");
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

  it("is made by a build of a month after its work, and for build --all by a warm-up, with the same bytes written each time, and sweeps the caches no run can use", async () => {
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

    // A cache made anew takes the place of those of other builds of dmreport and versions of Node,
    // and of what runs killed while writing one left; lint's own is not build's to remove.
    const current = codeCache("build")[0]!;
    const old = new Date(Date.now() - 2 * 3600 * 1000);
    for (const name of ["code-build-00000000000000000000.bin", "code-lint-00000000000000000000.bin", "code-build-1.bin.77.tmp"])
      writeFileSync(join(cache, name), "old");
    utimesSync(join(cache, "code-build-1.bin.77.tmp"), old, old);
    writeFileSync(join(cache, current), "not a code cache");
    expect(built(["--month", "2018-01"], { DMREPORT_CACHE_DIR: cache })).toEqual(plain);
    expect(
      readdirSync(cache)
        .filter((name) => name.startsWith("code-"))
        .sort(),
    ).toEqual([current, "code-lint-00000000000000000000.bin"].sort());

    // build --all runs from a cache only where there is one: the first, without, as ES modules, after
    // which one warm-up builds the latest month into a folder of its own and keeps a month's build's
    // cache; the next starts from that one and keeps its own. The same bytes each time.
    const archive = built(["--all"], { DMREPORT_NO_CACHE: "1" });
    const fresh = tempFolder();
    expect(built(["--all"], { DMREPORT_CACHE_DIR: fresh, CI: "true" })).toEqual(archive);
    await new Promise((done) => setTimeout(done, 2000));
    expect(readdirSync(fresh).filter((name) => name.startsWith("code-") || name.startsWith("warm-up-"))).toEqual([]);
    expect(built(["--all"], { DMREPORT_CACHE_DIR: fresh })).toEqual(archive);
    await waitFor(() => readdirSync(fresh).some((name) => /^code-build-[0-9a-f]{20}\.bin$/.test(name)), "the warm-up's cache");
    await waitFor(() => readdirSync(fresh).every((name) => !/^warm-up-|\.warming$/.test(name)), "the warm-up's end");
    const inFresh = () =>
      readdirSync(fresh)
        .filter((name) => name.startsWith("code-"))
        .sort();
    expect(inFresh()).toEqual([current]);
    expect(built(["--all"], { DMREPORT_CACHE_DIR: fresh })).toEqual(archive);
    const all = current.replace("code-build-", "code-build-all-");
    expect(inFresh()).toEqual([all, current]);
    // Run from it: a cache whole but V8's to refuse (made for another script) is made anew by the run.
    const key = current.slice("code-build-".length, -".bin".length);
    const refused = new Script("1 + 1").createCachedData();
    const foreign = Buffer.concat([createHash("sha1").update(key).update(refused).digest(), refused]);
    writeFileSync(join(fresh, all), foreign);
    expect(built(["--all", "--fresh"], { DMREPORT_CACHE_DIR: fresh })).toEqual(archive);
    // --fresh runs as ES modules: the cache untouched.
    expect(readFileSync(join(fresh, all)).equals(foreign)).toBe(true);
    expect(built(["--all"], { DMREPORT_CACHE_DIR: fresh })).toEqual(archive);
    expect(readFileSync(join(fresh, all)).length).toBeGreaterThan(10_000);
    expect(readdirSync(fresh).filter((name) => name.endsWith(".tmp"))).toEqual([]);
  }, 120_000);
});
