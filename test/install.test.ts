// Installs that work, each from the packed package as a user gets it (npm pack), with nothing
// fetched but npm packages: a global install, and a devDependency of a report repository run with
// npx. (The pre-commit hook installs the same way: pre-commit packs the hook repository;
// test/precommit.test.ts runs it.) Each shows its version and builds the example.
import { spawnSync, type SpawnSyncOptions } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exampleCopy, REPO, tempFolder } from "./helpers.js";

const VERSION = (JSON.parse(readFileSync(join(REPO, "package.json"), "utf8")) as { version: string }).version;
const npm = (args: string[], options: SpawnSyncOptions) => {
  const run = spawnSync("npm", [...args, "--no-audit", "--no-fund", "--loglevel=error"], { encoding: "utf8", timeout: 240_000, ...options });
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
    for (const file of ["package/bin/dmreport", "package/dist/cli/cli.js", "package/schemas/fragment.schema.json", "package/templates/archive/report.hbs", "package/action.yml"])
      expect(listed, file).toContain(file);
    expect(listed.filter((file) => /^package\/(src|test|examples)\//.test(file))).toEqual([]);
  });

  it("installs globally, and builds a report", () => {
    const prefix = tempFolder();
    npm(["install", "--global", "--prefix", prefix, tarball], { cwd: tempFolder() });
    const dmreport = join(prefix, "bin", "dmreport");
    expect(spawnSync(dmreport, ["--version"], { encoding: "utf8" }).stdout).toBe(`${VERSION}\n`);
    const source = exampleCopy("lsst-dm");
    const build = spawnSync(dmreport, ["build", "--month", "2017-12", "--format", "md,html", "--out", "out"], { cwd: source, encoding: "utf8" });
    expect(build.stderr).toBe("");
    expect(build.status).toBe(0);
    expect(readFileSync(join(source, "out", "lsst-dm-monthly-2017-12.md"), "utf8")).toBe(readFileSync(join(REPO, "test", "golden", "lsst-dm-monthly-2017-12.md"), "utf8"));
  }, 240_000);

  it("installs as a devDependency of a report repository and runs with npx", () => {
    const repository = exampleCopy("minimal");
    writeFileSync(join(repository, "package.json"), `${JSON.stringify({ name: "kestrel-report", private: true }, null, 2)}\n`);
    npm(["install", "--save-dev", tarball], { cwd: repository });
    expect((JSON.parse(readFileSync(join(repository, "package.json"), "utf8")) as { devDependencies: Record<string, string> }).devDependencies.dmreport).toMatch(/dmreport-.*\.tgz$/);
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
