// Earlier months' milestone history, and the per-user cache that spares a ten-year-old source
// from parsing thousands of fragments at every lint.
import { cpSync, readdirSync, readFileSync, renameSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadSource } from "../src/load/index.js";
import { ParseMemo } from "../src/load/memo.js";
import { userCacheFolder } from "../src/core/cache-folder.js";
import { exampleCopy, runCli, tempFolder, unwrapped } from "./helpers.js";

const fragment = (wbs: string, month: string, milestones: string) =>
  `---\nwbs: "${wbs}"\nmonth: ${month}\nmilestones:\n${milestones}---\n\n## Highlights\n\nWork went on.\n`;

/** The minimal example with two earlier months reporting completions, all files an hour old. */
function sourceWithHistory(): string {
  const root = exampleCopy("minimal", {
    "months/2026-07/4.1.2.md": fragment("4.1.2", "2026-07", "  - { id: CAMM6995, status: completed, completed: 2026-07-20 }\n"),
    "months/2026-08/4.1.1.md": fragment(
      "4.1.1",
      "2026-08",
      "  - { id: KSW-M-7, status: completed }\n  - { id: NOT-IN-REGISTER, status: completed }\n",
    ),
  });
  const anHourAgo = new Date(Date.now() - 3_600_000);
  for (const month of ["2026-07", "2026-08", "2026-09"])
    for (const name of readdirSync(join(root, "months", month))) utimesSync(join(root, "months", month, name), anHourAgo, anHourAgo);
  return root;
}

/** Wait until files changed just now are old enough to be cached (their change and a later one could share a time stamp). */
const settle = () => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 2_100);

/** The source with history, July's fragment dated a whole second an hour ago (times put back are then exactly those a cache saw), settled. */
function settledSource(padding = ""): { root: string; path: string; then: number } {
  const root = sourceWithHistory();
  const path = join(root, "months/2026-07/4.1.2.md");
  if (padding) writeFileSync(path, `${readFileSync(path, "utf8")}${padding}`);
  const then = Math.floor(Date.now() / 1000) - 3600;
  utimesSync(path, then, then);
  settle();
  return { root, path, then };
}

/** The CLI's lint of October's 4.1.2, which reports July's completion of CAMM6995 again. */
const lintOctober = (root: string, env: Record<string, string>) => runCli(["lint", "months/2026-10/4.1.2.md"], root, env);

const historyOf = (root: string, cache?: string) => loadSource(root, { months: ["2026-10"], history: true, cache }).source.history;

const EXPECTED = [
  { id: "CAMM6995", month: "2026-07", status: "completed", completed: "2026-07-20", file: "months/2026-07/4.1.2.md" },
  { id: "KSW-M-7", month: "2026-08", status: "completed", completed: "2026-08-31", file: "months/2026-08/4.1.1.md" },
  { id: "NOT-IN-REGISTER", month: "2026-08", status: "completed", completed: "2026-08-31", file: "months/2026-08/4.1.1.md" },
  { id: "CAMM6995", month: "2026-09", status: "at-risk", forecast: "2026-09-30", file: "months/2026-09/4.1.2.md" },
];

describe("milestone history", () => {
  it("reads the statuses of every earlier month, completions dated by the entry or the month's last day", () => {
    expect(historyOf(sourceWithHistory())).toEqual(EXPECTED);
  });

  it("keeps each fragment's statuses in the cache and uses them while its whole stat stays", () => {
    const root = sourceWithHistory();
    settle();
    const cache = tempFolder();
    expect(historyOf(root, cache)).toEqual(EXPECTED);
    const [file] = readdirSync(cache);
    expect(file).toMatch(/^history-[0-9a-f]{16}\.json$/);
    const kept = JSON.parse(readFileSync(join(cache, file!), "utf8"));
    expect(Object.keys(kept.files).sort()).toEqual([
      "months/2026-07/4.1.2.md",
      "months/2026-08/4.1.1.md",
      "months/2026-09/4.1.2.md",
      "months/2026-09/4.2.md",
    ]);
    // What the cache says is what is read back: the file itself is not parsed again.
    kept.files["months/2026-07/4.1.2.md"][1] = [["CAMM6995", "completed", "2026-07-02", ""]];
    writeFileSync(join(cache, file!), JSON.stringify(kept));
    expect(historyOf(root, cache)[0]).toEqual({
      id: "CAMM6995",
      month: "2026-07",
      status: "completed",
      completed: "2026-07-02",
      file: "months/2026-07/4.1.2.md",
    });
  });

  it("reads a fragment again when it changes, and never caches one changed just now", () => {
    const root = sourceWithHistory();
    settle();
    const cache = tempFolder();
    historyOf(root, cache);
    // Changed now: same size, new time; the clock's tick could hide a second change, so it stays out of the cache.
    const path = join(root, "months/2026-07/4.1.2.md");
    writeFileSync(path, readFileSync(path, "utf8").replace("2026-07-20", "2026-07-21"));
    expect(historyOf(root, cache)[0]!.completed).toBe("2026-07-21");
    const kept = JSON.parse(readFileSync(join(cache, readdirSync(cache)[0]!), "utf8"));
    expect(kept.files["months/2026-07/4.1.2.md"]).toBeUndefined();
    expect(kept.files["months/2026-08/4.1.1.md"]).toBeDefined();
  });

  it("ignores a cache that is corrupt, from another version, or cannot be written", () => {
    const root = sourceWithHistory();
    settle();
    const cache = tempFolder();
    historyOf(root, cache);
    const file = join(cache, readdirSync(cache)[0]!);
    const kept = JSON.parse(readFileSync(file, "utf8"));
    kept.files["months/2026-07/4.1.2.md"][1] = [["CAMM6995", "completed", "2026-07-02", ""]];
    writeFileSync(file, JSON.stringify({ ...kept, tool: "0.0.0-other" }));
    expect(historyOf(root, cache)).toEqual(EXPECTED);
    writeFileSync(file, "{ not json");
    expect(historyOf(root, cache)).toEqual(EXPECTED);
    expect(JSON.parse(readFileSync(file, "utf8")).version).toBe(3);
    // A file where the folder should be: nothing is cached, nothing fails.
    const blocked = join(tempFolder(), "not-a-folder");
    writeFileSync(blocked, "");
    expect(historyOf(root, blocked)).toEqual(EXPECTED);
  });

  it("reads again a fragment replaced in place by one of the same size with its old times (cp -p, rsync -a, a restore)", () => {
    const { root, path, then } = settledSource();
    const cache = tempFolder();
    const lintIt = (env: Record<string, string>) => lintOctober(root, env);
    expect(unwrapped(lintIt({ DMREPORT_CACHE_DIR: cache }).stdout)).toContain("completed on 2026-07-20 in months/2026-07/4.1.2.md");
    expect(
      Object.keys(JSON.parse(readFileSync(join(cache, readdirSync(cache).find((name) => name.startsWith("history-"))!), "utf8")).files),
    ).toContain("months/2026-07/4.1.2.md");
    // Another completion date, the same size, the times put back: only the change time and perhaps the inode tell.
    const { size } = statSync(path);
    writeFileSync(path, readFileSync(path, "utf8").replace("2026-07-20", "2026-07-21"));
    utimesSync(path, then, then);
    expect(statSync(path)).toMatchObject({ size, mtimeMs: then * 1000 });
    const warm = lintIt({ DMREPORT_CACHE_DIR: cache });
    expect(unwrapped(warm.stdout)).toContain("completed on 2026-07-21 in months/2026-07/4.1.2.md");
    expect(warm).toEqual(lintIt({ DMREPORT_NO_CACHE: "1" }));
  });

  it("is not used under other limits: a fragment now too large to read gives no statuses, as without the cache", () => {
    const { root } = settledSource(`\n<!-- ${"x".repeat(20_000)} -->\n`);
    const cache = tempFolder();
    const lintIt = (env: Record<string, string>) => lintOctober(root, env);
    expect(unwrapped(lintIt({ DMREPORT_CACHE_DIR: cache }).stdout)).toContain("completed on 2026-07-20 in months/2026-07/4.1.2.md");
    writeFileSync(join(root, "dmreport.yaml"), `${readFileSync(join(root, "dmreport.yaml"), "utf8")}limits:\n  fileBytes: 10000\n`);
    const warm = lintIt({ DMREPORT_CACHE_DIR: cache });
    expect(warm.stdout).not.toContain("completed on 2026-07-20");
    expect(warm).toEqual(lintIt({ DMREPORT_NO_CACHE: "1" }));
  });

  it("keeps the statuses in memory for a long-lived process: the cache file is not read again, and a change is still seen", () => {
    const { root, path, then } = settledSource();
    const cache = tempFolder();
    const memo = new ParseMemo();
    const load = () => loadSource(root, { months: ["2026-10"], history: true, cache, memo }).source.history;
    expect(load()).toEqual(EXPECTED);
    // The second load answers from memory: the cache file, now garbage, is neither read nor written.
    const file = join(cache, readdirSync(cache)[0]!);
    writeFileSync(file, "{ not json");
    expect(load()).toEqual(EXPECTED);
    expect(readFileSync(file, "utf8")).toBe("{ not json");
    // Another date, the same size, the times put back: seen all the same.
    writeFileSync(path, readFileSync(path, "utf8").replace("2026-07-20", "2026-07-21"));
    utimesSync(path, then, then);
    expect(load()[0]).toMatchObject({ id: "CAMM6995", completed: "2026-07-21" });
  });

  it("answers a watched month from memory alone until its folder reports a change; a linked fragment's month is always looked at", async () => {
    const { root, path, then } = settledSource();
    const memo = new ParseMemo(true);
    const load = () => loadSource(root, { months: ["2026-10"], history: true, memo }).source.history;
    const turn = () => new Promise((resolve) => setTimeout(resolve, 50));
    expect(load()).toEqual(EXPECTED);
    expect(load()).toEqual(EXPECTED);
    expect(memo.history!.trustedReads).toBe(1);
    // Written behind the memory's back (no turn of the event loop yet): still the memory's answer.
    writeFileSync(path, readFileSync(path, "utf8").replace("2026-07-20", "2026-07-21"));
    utimesSync(path, then, then);
    expect(load()[0]).toMatchObject({ completed: "2026-07-20" });
    // Once the watch has told, the month is looked at again.
    await turn();
    expect(load()[0]).toMatchObject({ completed: "2026-07-21" });
    // A fragment that is a link: an edit of the file it points to is seen at once, with no watch to tell.
    const target = join(root, "months/2026-08/4.1.1.md");
    const shared = join(root, "shared-4.1.1.md");
    renameSync(target, shared);
    symlinkSync("../../shared-4.1.1.md", target);
    const anHourAgo = new Date(Date.now() - 3_600_000);
    utimesSync(shared, anHourAgo, anHourAgo);
    settle();
    await turn();
    expect(load()[1]).toMatchObject({ id: "KSW-M-7", completed: "2026-08-31" });
    expect(load()[1]).toMatchObject({ id: "KSW-M-7", completed: "2026-08-31" });
    writeFileSync(shared, readFileSync(shared, "utf8").replace("status: completed }", "status: completed, completed: 2026-08-03 }"));
    utimesSync(shared, anHourAgo, anHourAgo);
    expect(load()[1]).toMatchObject({ id: "KSW-M-7", completed: "2026-08-03" });
    // The link made a file again: every month is answered from memory again.
    rmSync(target);
    renameSync(shared, target);
    settle();
    await turn();
    load();
    const trusted = memo.history!.trustedReads;
    expect(load()[0]).toMatchObject({ completed: "2026-07-21" });
    expect(memo.history!.trustedReads).toBe(trusted + 1);
    // Told that files changed (the language server's client, or a pause in the typing): the watches no longer vouch for them.
    writeFileSync(path, readFileSync(path, "utf8").replace("2026-07-21", "2026-07-22"));
    memo.history!.distrust();
    expect(load()[0]).toMatchObject({ completed: "2026-07-22" });
    // The whole months folder replaced by a copy, which is then edited: the folders watched were
    // moved away and tell nothing, but the folder at each path is another.
    expect(load()[0]).toMatchObject({ completed: "2026-07-22" });
    expect(memo.history!.trustedReads).toBe(trusted + 2);
    renameSync(join(root, "months"), join(root, "months.old"));
    cpSync(join(root, "months.old"), join(root, "months"), { recursive: true, preserveTimestamps: true });
    settle();
    writeFileSync(path, readFileSync(path, "utf8").replace("2026-07-22", "2026-07-23"));
    utimesSync(path, then, then);
    await turn();
    expect(load()[0]).toMatchObject({ completed: "2026-07-23" });
    memo.history!.close();
  });

  it("finds the cache folder from the environment", () => {
    expect(userCacheFolder({ DMREPORT_CACHE_DIR: "/c", XDG_CACHE_HOME: "/x" })).toBe("/c");
    expect(userCacheFolder({ XDG_CACHE_HOME: "/x" })).toBe("/x/dmreport");
    expect(userCacheFolder({ DMREPORT_NO_CACHE: "1", DMREPORT_CACHE_DIR: "/c" })).toBeUndefined();
  });

  it("gives the CLI's lint the same verdict with the cache cold, warm, and off", () => {
    const root = sourceWithHistory();
    // October reports a milestone completed in July again: lint says so, from the history.
    expect(readFileSync(join(root, "months/2026-10/4.1.2.md"), "utf8")).toContain("  - id: CAMM6995\n    status: delayed\n");
    const cache = tempFolder();
    const lintIt = (env: Record<string, string>) => runCli(["lint", "months/2026-10/4.1.2.md"], root, env);
    const runs = [lintIt({ DMREPORT_CACHE_DIR: cache }), lintIt({ DMREPORT_CACHE_DIR: cache }), lintIt({ DMREPORT_NO_CACHE: "1" })];
    expect(readdirSync(cache).filter((name) => name.startsWith("history-"))).toHaveLength(1);
    for (const run of runs) {
      expect(run.status).toBe(1);
      expect(run.stdout).toContain("CAMM6995");
      expect(run.stdout).toContain("months/2026-07/4.1.2.md");
      expect(run.stdout).toBe(runs[0]!.stdout);
    }
  });
});
