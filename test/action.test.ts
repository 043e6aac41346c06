// The GitHub Action: action.yml's steps run as a runner would run them, in a temporary report
// repository with GitHub's environment files; GitHub's own actions (setup-node, upload-artifact)
// stand in by their documented outputs. The install step is tested from the packed package
// (test/install.test.ts); here dmreport runs from this checkout, as `$GITHUB_ACTION_PATH`.
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { exampleCopy, REPO, runCli, tempFolder } from "./helpers.js";

interface Step {
  name: string;
  id?: string;
  if?: string;
  uses?: string;
  run?: string;
  env?: Record<string, string>;
  shell?: string;
}
interface Action {
  inputs: Record<string, { default?: string }>;
  outputs: Record<string, { value: string }>;
  runs: { using: string; steps: Step[] };
}

const action = parse(readFileSync(join(REPO, "action.yml"), "utf8")) as Action;
const ARTIFACT_URL = "https://github.com/owner/report/actions/runs/1/artifacts/2";

/** Run the composite action's steps in `workspace`, with `given` inputs. */
function runAction(workspace: string, given: Record<string, string>) {
  const inputs = Object.fromEntries(Object.entries(action.inputs).map(([name, input]) => [name, given[name] ?? input.default ?? ""]));
  const steps: Record<string, Record<string, string>> = {};
  const summary = join(tempFolder(), "summary.md");
  writeFileSync(summary, "");
  // The runner's temporary folder, its own for each job.
  const runner = { temp: tempFolder() };
  const value = (expression: string): string => {
    const path = expression.trim().split(".");
    if (path[0] === "inputs") return inputs[path[1]!] ?? "";
    if (path[0] === "steps") return steps[path[1]!]?.[path[3]!] ?? "";
    if (path[0] === "runner" && path[1] === "temp") return runner.temp;
    if (/^'.*'$/.test(expression.trim())) return expression.trim().slice(1, -1);
    throw new Error(`expression the test does not know: ${expression}`);
  };
  const substitute = (text: string) => text.replace(/\$\{\{(.+?)\}\}/g, (_, expression: string) => value(expression));
  let failed = false;
  const holds = (condition: string | undefined) =>
    condition === undefined
      ? !failed
      : condition.split("&&").every((clause) => {
          const text = clause.trim();
          if (text === "always()") return true;
          const contains = /^contains\((.+),\s*'(.*)'\)$/.exec(text);
          if (contains) return value(contains[1]!).includes(contains[2]!);
          const compare = /^(.+?)\s*(==|!=)\s*(.+)$/.exec(text)!;
          return (value(compare[1]!) === value(compare[3]!)) === (compare[2] === "==");
        }) &&
        (condition.includes("always()") || !failed);
  const ran: string[] = [];
  let stdout = "";
  let status = 0;
  for (const step of action.runs.steps) {
    if (!holds(step.if)) continue;
    ran.push(step.name);
    if (step.uses) {
      // GitHub's own actions: upload-artifact answers with the artifact's URL.
      if (step.uses.startsWith("actions/upload-artifact")) steps[step.id!] = { "artifact-url": ARTIFACT_URL };
      continue;
    }
    if (step.id === "install") continue;
    const output = join(tempFolder(), "output");
    writeFileSync(output, "");
    const env = Object.fromEntries(Object.entries(step.env ?? {}).map(([name, text]) => [name, substitute(text)]));
    const run = spawnSync("bash", ["-e", "-c", substitute(step.run!)], {
      cwd: workspace,
      encoding: "utf8",
      env: {
        ...process.env,
        ...env,
        GITHUB_ACTION_PATH: REPO,
        GITHUB_STEP_SUMMARY: summary,
        GITHUB_OUTPUT: output,
        GITHUB_WORKSPACE: workspace,
        CI: "true",
      },
    });
    stdout += run.stdout;
    if (step.id)
      steps[step.id] = Object.fromEntries(
        readFileSync(output, "utf8")
          .split("\n")
          .filter(Boolean)
          .map((line) => line.split(/=(.*)/s).slice(0, 2) as [string, string]),
      );
    if (run.status !== 0) {
      failed = true;
      status = run.status ?? 1;
    }
  }
  const outputs = Object.fromEntries(Object.entries(action.outputs).map(([name, output]) => [name, substitute(output.value)]));
  return { ran, stdout, status, summary: readFileSync(summary, "utf8"), outputs, runnerTemp: runner.temp };
}

describe("action.yml", () => {
  it("passes an external validator of GitHub Actions files, as do the workflows dmreport writes and shows", () => {
    const validator = join(REPO, "node_modules", ".bin", "action-validator");
    const init = join(tempFolder(), "report");
    expect(spawnSync(process.execPath, [join(REPO, "bin", "dmreport"), "init", init, "--month", "2026-11"]).status).toBe(0);
    // And the workflows the README and the guide show (indented as the page indents them).
    const pages = ["README.md", "docs/guide/ci.md"].map((page) => readFileSync(join(REPO, page), "utf8"));
    const shown = pages
      .flatMap((page) =>
        [...page.matchAll(/^( *)```yaml\n([\s\S]*?)^ *```/gm)].map(([, indent, block]) =>
          block!.replace(new RegExp(`^${indent}`, "gm"), ""),
        ),
      )
      .filter((block) => block.includes("runs-on:"));
    expect(shown.length).toBeGreaterThanOrEqual(2);
    const readmeFiles = shown.map((block, index) => {
      const file = join(tempFolder(), `readme-${index}.yml`);
      writeFileSync(file, block);
      return file;
    });
    for (const file of [join(REPO, "action.yml"), join(init, ".github", "workflows", "report.yml"), ...readmeFiles]) {
      const check = spawnSync(validator, [file], { encoding: "utf8" });
      expect(`${check.stdout}${check.stderr}`, file).toBe("");
      expect(check.status, file).toBe(0);
    }
  });

  it("lints and builds the example: an annotation per finding, the month in the summary, the counts as outputs, the report uploaded", () => {
    const workspace = exampleCopy("lsst-dm");
    const run = runAction(workspace, { formats: "md,html" });
    expect(run.status).toBe(0);
    expect(run.ran).toEqual([
      "Set up Node.js",
      "Install dmreport from this action's checkout",
      "Lint and build",
      "Upload the report",
      "Link the report from the job summary",
    ]);
    expect(run.stdout).toBe(
      "::warning file=months/2018-01/02C.06.00.md,line=2,col=6,title=dmreport milestone-owed::milestone `DLP-808` (AP-ready Provenance) was due 2017-11-30, is not completed and was last reported in 2017-12: the 2018-01 report shows it as delayed until its status is reported here, under `milestones:`\n",
    );
    expect(run.outputs).toEqual({
      month: "2018-01",
      errors: "0",
      warnings: "1",
      completed: "3",
      delayed: "19",
      "at-risk": "0",
      "report-folder": "dmreport-out",
      "artifact-url": ARTIFACT_URL,
    });
    expect(run.summary.split("\n").slice(0, 8)).toEqual([
      "## dmreport lint and build",
      "",
      "✅ no errors, 1 warning",
      "",
      "**January 2018**: 3 completed, 19 delayed, 0 at risk.",
      "",
      "Report written to `dmreport-out`.",
      "",
    ]);
    expect(run.summary).toContain("| `months/2018-01/02C.06.00.md:2:6` | warning | milestone `DLP-808`");
    expect(run.summary.trimEnd().split("\n").pop()).toBe(`[Download the report](${ARTIFACT_URL})`);
    expect(readFileSync(join(workspace, "dmreport-out", "lsst-dm-monthly-2018-01.html"), "utf8")).toContain("Changes since December 2017");
  });

  it("fails with lint's exit status on errors, annotates them, builds and uploads nothing", () => {
    const workspace = exampleCopy("minimal", {
      "months/2026-10/4.2.md": '---\nwbs: "4.2"\nmonth: 2026-11\n---\n\n## Highlights\n\nDone.\n',
    });
    const run = runAction(workspace, {});
    expect(run.status).toBe(1);
    expect(run.ran).toEqual(["Set up Node.js", "Install dmreport from this action's checkout", "Lint and build"]);
    expect(run.stdout).toContain(
      "::error file=months/2026-10/4.2.md,line=3,col=8,title=dmreport fragment-month-mismatch::month `2026-11` does not match the folder it is in (2026-10)",
    );
    expect(run.outputs).toMatchObject({ errors: "1", "report-folder": "", "artifact-url": "" });
    expect(run.summary).toContain("❌ 1 error, 0 warnings");
    expect(run.summary).toContain("Nothing was built: fix the errors and push again.");
  });

  it("fails, with its defaults, on a change to a published month that the latest month does not show", () => {
    const workspace = exampleCopy("minimal");
    expect(runCli(["publish", "--month", "2026-09"], workspace).status).toBe(0);
    // September is published; the latest month, October, builds as before.
    const path = join(workspace, "months", "2026-09", "4.2.md");
    writeFileSync(path, readFileSync(path, "utf8").replace("## Highlights\n\n", "## Highlights\n\nA late addition.\n\n"));
    const run = runAction(workspace, {});
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(
      /::error file=months\/2026-09\/4\.2\.md,line=1,col=1,title=dmreport published-changed::2026-09 was published on \d{4}-\d{2}-\d{2} \(dmreport [^)]+\), and kestrel-2026-09\.html would now differ from line \d+ \(it now reads `<p>A late addition\.<\/p>`\), since months\/2026-09\/4\.2\.md changed/,
    );
    expect(run.outputs).toMatchObject({ "report-folder": "" });
    expect(run.summary).toContain("Nothing was built: fix the errors and push again.");
  });

  it("reports a problem of the machine (no browser for the PDF) as an annotation, in the summary and the outputs", () => {
    const config = readFileSync(join(REPO, "examples", "minimal", "dmreport.yaml"), "utf8").replace(
      "output:\n",
      "output:\n  browser: /nonexistent/chromium\n  formats: [md, pdf]\n",
    );
    const run = runAction(exampleCopy("minimal", { "dmreport.yaml": config }), {});
    expect(run.status).toBe(2);
    expect(run.stdout).toContain(
      "::error title=dmreport::the browser named by output.browser in dmreport.yaml (/nonexistent/chromium) is not an executable file",
    );
    expect(run.summary).toContain("dmreport could not run: the browser named by output.browser");
    expect(run.outputs).toMatchObject({ errors: "0", "report-folder": "" });
  });

  it("builds every month and the dashboard, and lint alone builds nothing", () => {
    const workspace = exampleCopy("lsst-dm");
    const all = runAction(workspace, { command: "build", "all-months": "true", formats: "html", out: "site" });
    expect(all.status).toBe(0);
    expect(all.outputs).toMatchObject({ month: "2018-01", "report-folder": "site", warnings: "1" });
    expect(all.summary).toContain("Report written to `site` (2 months and the milestone dashboard).");
    expect(readFileSync(join(workspace, "site", "milestones.html"), "utf8")).toContain("Every milestone");
    // What the build keeps is kept in the job's own folder, never in a home folder other jobs share.
    expect(readdirSync(join(all.runnerTemp, "dmreport-cache")).some((name) => name.startsWith("archive-"))).toBe(true);
    const lintOnly = runAction(exampleCopy("minimal"), { command: "lint" });
    expect(lintOnly).toMatchObject({ status: 0, stdout: "", outputs: { errors: "0", warnings: "0", "report-folder": "" } });
    expect(lintOnly.ran).not.toContain("Upload the report");
  });
});

// Keep the validator's install honest: its binary is an npm package, not a download.
createRequire(import.meta.url).resolve("@action-validator/cli/package.json");
