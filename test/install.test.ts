// Installs that work, each from the packed package as a user gets it (npm pack), with nothing
// fetched but npm packages: a global install, and a devDependency of a report repository run with
// npx. (The pre-commit hook installs the same way: pre-commit packs the hook repository;
// test/precommit.test.ts runs it.) Each shows its version and builds the example.
import { spawnSync, type SpawnSyncOptions } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exampleCopy, REPO, tempFolder } from "./helpers.js";

const VERSION = (JSON.parse(readFileSync(join(REPO, "package.json"), "utf8")) as { version: string }).version;
const npm = (args: string[], options: SpawnSyncOptions) => {
  const run = spawnSync("npm", [...args, "--no-audit", "--no-fund", "--loglevel=error"], {
    encoding: "utf8",
    timeout: 240_000,
    ...options,
  });
  expect(run.status, `npm ${args.join(" ")}: ${run.stderr}`).toBe(0);
  return run;
};

describe("installing dmreport from its packed package", () => {
  let tarball: string;
  // The tarball serves every test of this file: its folder outlives each test's scratch folders.
  const folder = mkdtempSync(join(tmpdir(), "dmreport-pack-"));
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  beforeAll(() => {
    // The suite built dist/ already (pretest); packing must not rebuild it under the other tests.
    npm(["pack", "--ignore-scripts", "--pack-destination", folder], { cwd: REPO });
    tarball = join(folder, readdirSync(folder).find((name) => name.endsWith(".tgz"))!);
  }, 120_000);

  it("packs what it needs to run, and nothing of the sources or tests", () => {
    const listed = spawnSync("tar", ["-tzf", tarball], { encoding: "utf8" }).stdout.split("\n");
    for (const file of [
      "package/bin/dmreport",
      "package/bin/package.json",
      "package/dist/cli/cli.js",
      "package/schemas/fragment.schema.json",
      "package/templates/archive/report.hbs",
      "package/action.yml",
    ])
      expect(listed, file).toContain(file);
    expect(listed.filter((file) => /^package\/(src|test|examples)\//.test(file))).toEqual([]);
    // The documentation the README links to is in the package, and each relative link of it resolves there.
    const unpacked = tempFolder();
    spawnSync("tar", ["-xzf", tarball, "-C", unpacked]);
    const pages = listed.filter((file) => file.endsWith(".md"));
    for (const page of [
      "package/README.md",
      "package/CONTRIBUTING.md",
      "package/docs/guide/monthly-cycle.md",
      "package/docs/reference/source.md",
    ])
      expect(pages).toContain(page);
    const broken = pages.flatMap((page) =>
      [
        ...readFileSync(join(unpacked, page), "utf8")
          .replace(/^ *```[\s\S]*?^ *```/gm, "")
          .replace(/`[^`\n]*`/g, "")
          .matchAll(/\]\(([^)\s#]+)(?:#[^)\s]*)?\)/g),
      ]
        .map((link) => link[1]!)
        .filter((target) => !/^[a-z][\w+.-]*:/i.test(target) && !existsSync(join(unpacked, dirname(page), decodeURIComponent(target))))
        .map((target) => `${page}: ${target}`),
    );
    expect(broken).toEqual([]);
  });

  it("installs globally, and builds a report", () => {
    const prefix = tempFolder();
    npm(["install", "--global", "--prefix", prefix, tarball], { cwd: tempFolder() });
    const dmreport = join(prefix, "bin", "dmreport");
    expect(spawnSync(dmreport, ["--version"], { encoding: "utf8" }).stdout).toBe(`${VERSION}\n`);
    const source = exampleCopy("lsst-dm");
    const build = spawnSync(dmreport, ["build", "--month", "2017-12", "--format", "md,html", "--out", "out"], {
      cwd: source,
      encoding: "utf8",
    });
    expect(build.stderr).toBe("");
    expect(build.status).toBe(0);
    expect(readFileSync(join(source, "out", "lsst-dm-monthly-2017-12.md"), "utf8")).toBe(
      readFileSync(join(REPO, "test", "golden", "lsst-dm-monthly-2017-12.md"), "utf8"),
    );
  }, 240_000);

  it("installs as a devDependency of a report repository and runs with npx", () => {
    const repository = exampleCopy("minimal");
    writeFileSync(join(repository, "package.json"), `${JSON.stringify({ name: "kestrel-report", private: true }, null, 2)}\n`);
    npm(["install", "--save-dev", tarball], { cwd: repository });
    expect(
      (JSON.parse(readFileSync(join(repository, "package.json"), "utf8")) as { devDependencies: Record<string, string> }).devDependencies
        .dmreport,
    ).toMatch(/dmreport-.*\.tgz$/);
    const npx = (args: string[]) => spawnSync("npx", ["--no-install", "dmreport", ...args], { cwd: repository, encoding: "utf8" });
    expect(npx(["--version"]).stdout).toBe(`${VERSION}\n`);
    const build = npx(["build", "--month", "2026-10"]);
    expect(build.stderr).toBe("");
    expect(build.status).toBe(0);
    expect(existsSync(join(repository, "build", "kestrel-2026-10.md"))).toBe(true);
    // The schemas it ships are in the repository's node_modules too, for editors.
    expect(existsSync(join(repository, "node_modules", "dmreport", "schemas", "wbs.schema.json"))).toBe(true);
  }, 240_000);
});

describe.runIf(spawnSync("pre-commit", ["--version"]).status === 0 || Boolean(process.env.CI))("a new report repository's hook", () => {
  const folder = mkdtempSync(join(tmpdir(), "dmreport-pack-"));
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it("lints each commit of a fresh clone, with dmreport a devDependency and none on the PATH", () => {
    npm(["pack", "--ignore-scripts", "--pack-destination", folder], { cwd: REPO });
    const tarball = join(folder, readdirSync(folder).find((name) => name.endsWith(".tgz"))!);
    // No dmreport on the PATH: Node.js, git, pre-commit and the shell only.
    const env = {
      ...process.env,
      PATH: `${dirname(process.execPath)}:/usr/local/bin:/usr/bin:/bin`,
      PRE_COMMIT_HOME: join(folder, "pre-commit"),
      NO_COLOR: "1",
      GIT_AUTHOR_NAME: "Lead",
      GIT_AUTHOR_EMAIL: "lead@example.org",
      GIT_COMMITTER_NAME: "Lead",
      GIT_COMMITTER_EMAIL: "lead@example.org",
    };
    const run = (cwd: string, command: string, ...args: string[]) =>
      spawnSync(command, args, { cwd, env, encoding: "utf8", timeout: 240_000 });
    // The coordinator: a new git repository, dmreport as a devDependency, then init; committed.
    const origin = join(folder, "origin");
    expect(run(folder, "git", "init", "-q", origin).status).toBe(0);
    writeFileSync(join(origin, "package.json"), `${JSON.stringify({ name: "kestrel-report", private: true }, null, 2)}\n`);
    npm(["install", "--save-dev", tarball], { cwd: origin, env });
    expect(run(origin, "npx", "--no-install", "dmreport", "init", "--month", "2026-11")).toMatchObject({ status: 0, stderr: "" });
    run(origin, "git", "add", "-A");
    expect(run(origin, "git", "commit", "-q", "-m", "Start the report").status).toBe(0);
    // A lead: a fresh clone, npm ci, pre-commit install.
    const clone = join(folder, "clone");
    expect(run(folder, "git", "clone", "-q", origin, clone).status).toBe(0);
    npm(["ci", "--prefer-offline"], { cwd: clone, env });
    expect(run(clone, "pre-commit", "install").status).toBe(0);
    const fragment = join(clone, "months", "2026-11", "summary.md");
    const text = readFileSync(fragment, "utf8");
    writeFileSync(fragment, `${text}\nSee PRJ 12.\n`);
    run(clone, "git", "add", "-A");
    const refused = run(clone, "git", "commit", "-q", "-m", "A typo");
    expect(refused.status).toBe(1);
    expect(refused.stdout + refused.stderr).toContain("ticket key `PRJ 12` is written with a space");
    writeFileSync(fragment, `${text}\nSee PRJ-12.\n`);
    run(clone, "git", "add", "-A");
    const accepted = run(clone, "git", "commit", "-q", "-m", "Fixed");
    expect(accepted.stderr + accepted.stdout).toContain("dmreport lint");
    expect(accepted.status).toBe(0);
  }, 480_000);
});
