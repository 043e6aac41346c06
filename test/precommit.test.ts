// End-to-end with the real pre-commit: a report repository with the hook dmreport init writes,
// running this checkout's dmreport from the PATH (test/install.test.ts runs it from a
// devDependency in a fresh clone). The hook repository form (.pre-commit-hooks.yaml) is checked
// by pre-commit's own manifest validator: installing it runs npm over every dependency, minutes.
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO, tempFolder, unwrapped } from "./helpers.js";

const havePreCommit = spawnSync("pre-commit", ["--version"]).status === 0;
const checkoutCommit = spawnSync("git", ["-C", REPO, "rev-parse", "HEAD"], { encoding: "utf8" }).stdout.trim();

describe.runIf((havePreCommit && checkoutCommit) || Boolean(process.env.CI))("the pre-commit hook", () => {
  it("is a valid hook repository for pre-commit", () => {
    const check = spawnSync("pre-commit", ["validate-manifest", join(REPO, ".pre-commit-hooks.yaml")], { encoding: "utf8" });
    expect(`${check.stdout}${check.stderr}`).toBe("");
    expect(check.status).toBe(0);
  });

  it("refuses a bad milestone, accepts a good one, and checks every file when asked", () => {
    const repo = join(tempFolder(), "report");
    // dmreport on the PATH, as a global install puts it.
    const bin = tempFolder();
    writeFileSync(
      join(bin, "dmreport"),
      `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(join(REPO, "bin", "dmreport"))} "$@"\n`,
      { mode: 0o755 },
    );
    const env = {
      ...process.env,
      PATH: `${bin}:${process.env.PATH}`,
      PRE_COMMIT_HOME: join(tempFolder(), "cache"),
      NO_COLOR: "1",
      GIT_AUTHOR_NAME: "Lead",
      GIT_AUTHOR_EMAIL: "lead@example.org",
      GIT_COMMITTER_NAME: "Lead",
      GIT_COMMITTER_EMAIL: "lead@example.org",
    };
    const run = (command: string, ...args: string[]) => spawnSync(command, args, { cwd: repo, env, encoding: "utf8", timeout: 300_000 });
    const commit = (message: string) => run("git", "commit", "-q", "-m", message);
    const head = () => run("git", "rev-parse", "HEAD").stdout.trim();

    cpSync(join(REPO, "examples", "lsst-dm"), repo, { recursive: true });
    // The hook as init writes it.
    const started = join(tempFolder(), "started");
    expect(spawnSync(process.execPath, [join(REPO, "bin", "dmreport"), "init", started, "--month", "2017-12"]).status).toBe(0);
    writeFileSync(join(repo, ".pre-commit-config.yaml"), readFileSync(join(started, ".pre-commit-config.yaml")));
    expect(run("git", "init", "-q").status).toBe(0);
    run("git", "add", "-A");
    expect(commit("December report").status).toBe(0);
    expect(run("pre-commit", "install").status).toBe(0);

    // A bad completion date is refused, with the exact place and message.
    const fragment = join(repo, "months", "2018-01", "02C.04.01.md");
    const good = readFileSync(fragment, "utf8");
    writeFileSync(fragment, good.replace("completed: 2018-01-26", "completed: 2018-01-32"));
    run("git", "add", "-A");
    const before = head();
    const refused = commit("DM-DRP-6 completed");
    expect(refused.status).toBe(1);
    expect(unwrapped(refused.stdout + refused.stderr)).toMatch(
      /months\/2018-01\/02C\.04\.01\.md\n {2}7:16 {2}error {2}`completed` must be a real date like 2018-01-31, got `2018-01-32` +schema-format/,
    );
    expect(head()).toBe(before);

    // The corrected fragment goes in.
    writeFileSync(fragment, good.replace("completed: 2018-01-26", "completed: 2018-01-25"));
    run("git", "add", "-A");
    const accepted = commit("DM-DRP-6 completed");
    expect(accepted.stdout + accepted.stderr).toContain("dmreport lint");
    expect(accepted.status).toBe(0);
    expect(head()).not.toBe(before);

    // December 2017 is published: an edit of one of its fragments is refused where it is made.
    const december = join(repo, "months", "2017-12", "02C.03.03.md");
    const filed = readFileSync(december, "utf8");
    writeFileSync(december, filed.replace("## Planned activities\n", "## Planned activities\n\nA late addition.\n"));
    run("git", "add", "-A");
    const late = commit("A late addition to December");
    expect(late.status).toBe(1);
    expect(unwrapped(late.stdout + late.stderr)).toMatch(
      /months\/2017-12\/02C\.03\.03\.md\n {2}1:1 {2}error {2}2017-12 was published on [\d-]+ \(dmreport [^)]+\), and lsst-dm-monthly-2017-12\.html would now differ from line \d+ \(it now reads `<p>A late addition\.<\/p>`\), since months\/2017-12\/02C\.03\.03\.md changed/,
    );
    writeFileSync(december, filed);
    // So is a template that would change it, though no fragment is staged.
    mkdirSync(join(repo, "templates", "print"), { recursive: true });
    writeFileSync(
      join(repo, "templates", "print", "print.css"),
      `${readFileSync(join(REPO, "templates", "print", "print.css"), "utf8")}\nh1 { color: #333; }\n`,
    );
    writeFileSync(join(repo, "dmreport.yaml"), `${readFileSync(join(repo, "dmreport.yaml"), "utf8")}templates: templates\n`);
    run("git", "add", "-A");
    const styled = commit("Darker headings");
    expect(styled.status).toBe(1);
    expect(unwrapped(styled.stdout + styled.stderr)).toContain("and lsst-dm-monthly-2017-12.print.html would now differ from line");
    run("git", "reset", "-q", "--hard", "HEAD");
    rmSync(join(repo, "templates"), { recursive: true, force: true });

    // Removing a WBS element breaks fragments that were not staged: the hook still sees it.
    writeFileSync(
      join(repo, "wbs.yaml"),
      readFileSync(join(repo, "wbs.yaml"), "utf8").replace("      - { code: 02C.03.01, title: Single Frame Processing }\n", ""),
    );
    run("git", "add", "wbs.yaml");
    const broken = commit("Drop 02C.03.01");
    expect(broken.status).toBe(1);
    expect(unwrapped(broken.stdout + broken.stderr)).toContain("WBS code `02C.03.01` (this fragment's element) is not in wbs.yaml");
    run("git", "checkout", "HEAD", "--", "wbs.yaml");

    // A problem committed past the hook is still found by a run over every file.
    writeFileSync(
      join(repo, "months", "2017-12", "02C.03.03.md"),
      readFileSync(join(repo, "months", "2017-12", "02C.03.03.md"), "utf8").replace("## Planned activities", "## Plans"),
    );
    run("git", "commit", "-q", "-a", "--no-verify", "-m", "skip the hook");
    const all = run("pre-commit", "run", "--all-files");
    expect(all.status).toBe(1);
    expect(unwrapped(all.stdout)).toContain("section `Plans` is not one the report shows");
    run("git", "checkout", "HEAD~1", "--", "months/2017-12/02C.03.03.md");
    run("git", "commit", "-q", "--no-verify", "-a", "-m", "back to the section the report shows");

    // An empty run (nothing staged), and a commit of no source file, pass.
    const empty = run("pre-commit", "run", "dmreport-lint");
    expect(empty.stdout).toMatch(/dmreport lint\.+\(no files to check\)Skipped/);
    expect(empty.status).toBe(0);
    writeFileSync(join(repo, "NOTES.md"), "Who writes what this month.\n");
    run("git", "add", "NOTES.md");
    expect(commit("Notes").status).toBe(0);
  }, 300_000);
});
