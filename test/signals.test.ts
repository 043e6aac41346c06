// A build stopped by a signal leaves the earlier outputs exactly as they were, and no temp file.
import { spawn } from "node:child_process";
import { appendFileSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
// The benchmark's corpus generator: a 20-month source, big enough to stop part-way, and long
// enough for the archive to build in worker threads.
import { writeCorpus } from "../bench/corpus.mjs";
import { CLI, runCli, tempFolder } from "./helpers.js";

function snapshot(folder: string): Record<string, string> {
  return Object.fromEntries(
    readdirSync(folder, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => {
        const path = join(entry.parentPath, entry.name);
        return [path.slice(folder.length), readFileSync(path, "utf8")];
      }),
  );
}

describe("a build stopped by a signal", () => {
  it("leaves the earlier archive as it was, with no temp file", async () => {
    const source = join(tempFolder(), "source");
    writeCorpus(source, 1200);
    const out = join(tempFolder(), "out");
    expect(runCli(["build", "--all", "--format", "md,html", "--out", out], source).status).toBe(0);
    const before = snapshot(out);
    // Every fragment changes, so a finished build would rewrite every month.
    for (const month of readdirSync(join(source, "months")))
      for (const file of readdirSync(join(source, "months", month)))
        appendFileSync(join(source, "months", month, file), "\nA late change.\n");

    const child = spawn(process.execPath, [CLI, "build", "--all", "--format", "md,html", "--out", out], { cwd: source });
    let stderr = "";
    child.stderr.on("data", (chunk) => (stderr += chunk));
    setTimeout(() => child.kill("SIGTERM"), 900);
    const [status, signal] = await new Promise<[number | null, string | null]>((resolve) =>
      child.on("close", (code, name) => resolve([code, name])),
    );

    // Stopped before the end: by dmreport's own handler (143), or by the signal itself if it came first.
    expect(status === 143 || signal === "SIGTERM").toBe(true);
    if (status === 143) expect(stderr).toContain("dmreport: stopped by SIGTERM; nothing was written, earlier outputs are as they were");
    expect(snapshot(out)).toEqual(before);
  }, 60_000);
});
