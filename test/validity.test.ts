// The HTML passes the Nu Html Checker (vnu-jar, run with the machine's Java).
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { exampleCopy, REPO, runCli, tempFolder } from "./helpers.js";

const vnuJar = createRequire(import.meta.url)("vnu-jar") as string;
const hasJava = spawnSync("java", ["-version"]).status === 0;

describe.runIf(hasJava || Boolean(process.env.CI))("HTML validity", () => {
  it("has no error in the Nu Html Checker, in both examples, both HTML formats and the milestone dashboard", () => {
    const out = tempFolder();
    const hostile = exampleCopy("minimal", {
      "months/2026-10/4.2.md":
        '---\nwbs: "4.2"\nmonth: 2026-10\n---\n\n## Highlights\n\n<div><p>unclosed <b>markup\n\n<table><tr><td>cell</table>\n\n<script>x()</script>\n',
      // Told, not stopped: the script is dropped from the outputs with a warning.
      "dmreport.yaml": `${readFileSync(join(REPO, "examples", "minimal", "dmreport.yaml"), "utf8")}rules:\n  html-dropped: warning\n`,
    });
    for (const [source, month] of [
      [join(REPO, "examples", "lsst-dm"), "2017-12"],
      [join(REPO, "examples", "lsst-dm"), "2018-01"],
      [hostile, "2026-10"],
    ] as const) {
      const run = runCli(["build", source, "--month", month, "--format", "html,print", "--out", out]);
      expect(run.status).toBe(0);
    }
    const archive = join(out, "archive");
    expect(runCli(["build", join(REPO, "examples", "lsst-dm"), "--all", "--format", "html", "--out", archive]).status).toBe(0);
    const files = [
      "lsst-dm-monthly-2017-12.html",
      "lsst-dm-monthly-2017-12.print.html",
      "lsst-dm-monthly-2018-01.html",
      "lsst-dm-monthly-2018-01.print.html",
      "kestrel-2026-10.html",
      "kestrel-2026-10.print.html",
      "archive/index.html",
      "archive/milestones.html",
    ];
    const check = spawnSync("java", ["-jar", vnuJar, "--errors-only", "--format", "json", ...files.map((file) => join(out, file))], {
      encoding: "utf8",
    });
    const messages = (JSON.parse(check.stderr) as { messages: { type: string; message: string; url: string; lastLine?: number }[] })
      .messages;
    expect(messages.map((message) => `${message.url}:${message.lastLine}: ${message.message}`)).toEqual([]);
    // Four builds and a Java checker: ~12 s alone, more on a busy machine.
  }, 90_000);
});
