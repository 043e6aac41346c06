// The SARIF report passes Microsoft's SARIF validator (the SARIF SDK's multitool), links and fixes included.
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { exampleCopy, REPO, runCli, tempFolder } from "./helpers.js";

const MULTITOOL = join(REPO, "node_modules", "@microsoft", "sarif-multitool-linux", "Sarif.Multitool");

describe("SARIF", () => {
  it.runIf(process.platform === "linux")(
    "validates with the SARIF multitool, with a rule page for every rule and fixes for suggestions",
    () => {
      expect(existsSync(MULTITOOL), "npm ci installs @microsoft/sarif-multitool").toBe(true);
      // npm does not run the package's postinstall, which only makes its binary executable.
      chmodSync(MULTITOOL, 0o755);
      const file = "months/2017-12/1.02C.03.md";
      const original = readFileSync(join(REPO, "examples", "lsst-dm", file), "utf8");
      const source = exampleCopy("lsst-dm", {
        [file]: original.replace("wbs: 1.02C.03\n", "wbs: 1.02C.33\n").replace("## Recruitment update", "## Recruitement update"),
      });
      const report = runCli(["lint", "--format", "sarif", file], source).stdout;
      const parsed = JSON.parse(report) as { runs: { results: { fixes?: unknown[] }[] }[] };
      expect(parsed.runs[0]!.results.filter((result) => result.fixes).length).toBe(2);
      const folder = tempFolder();
      writeFileSync(join(folder, "lint.sarif"), report);
      const run = spawnSync(
        MULTITOOL,
        ["validate", join(folder, "lint.sarif"), "--output", join(folder, "out.sarif"), "--log", "ForceOverwrite"],
        {
          encoding: "utf8",
          env: { ...process.env, DOTNET_CLI_TELEMETRY_OPTOUT: "1" },
        },
      );
      expect(run.status, run.stdout + run.stderr).toBe(0);
      // Its findings, errors and warnings alike (a missing informationUri was one), are none.
      const findings =
        (
          JSON.parse(readFileSync(join(folder, "out.sarif"), "utf8")) as {
            runs: { results?: { message: { text?: string; id?: string } }[] }[];
          }
        ).runs[0]!.results ?? [];
      expect(findings).toEqual([]);
    },
  );
});
