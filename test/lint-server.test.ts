// The lint server (src/commands/lint/server.ts) answers `dmreport lint` outside CI with what the
// command would say in its own process: the same output and status, whatever changed in the
// source since its last answer, and nothing but speed lost when its socket is missing, stale or
// cannot be made.
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ask } from "../src/commands/lint/client.js";
import { exampleCopy, runCli, tempFolder, waitFor } from "./helpers.js";

/** The environment of a developer's machine: servers allowed, in `cache`, leaving after `idle` ms. */
const serverEnv = (cache: string, idle = 20_000) => ({
  DMREPORT_CACHE_DIR: cache,
  DMREPORT_NO_SERVER: "",
  CI: "",
  DMREPORT_LINT_SERVER_IDLE_MS: String(idle),
});
const sockets = (cache: string) => (existsSync(cache) ? readdirSync(cache).filter((name) => /^lint-[0-9a-z]+\.sock$/.test(name)) : []);

const FRAGMENT = "months/2018-01/02C.06.00.md";

describe("the lint server", () => {
  it("is started by the first lint, answers as lint in its own process would, and sees every change to the source", async () => {
    const source = exampleCopy("lsst-dm");
    const cache = tempFolder();
    const inProcess = () => runCli(["lint", FRAGMENT], source, { DMREPORT_NO_SERVER: "1", DMREPORT_CACHE_DIR: cache });
    const before = inProcess();
    expect(before.stdout).toContain("milestone-owed");

    // The first run answers itself and starts the server; the next ones are answered by it.
    expect(runCli(["lint", FRAGMENT], source, serverEnv(cache))).toEqual(before);
    await waitFor(() => sockets(cache).length === 1, "the server's socket");
    const socket = join(cache, sockets(cache)[0]!);
    expect(runCli(["lint", FRAGMENT], source, serverEnv(cache))).toEqual(before);
    const served = async (argv = ["lint", FRAGMENT]) => {
      const reply = await ask(socket, { argv, cwd: source, color: false });
      if (typeof reply === "string") throw new Error(`the server did not answer: ${reply}`);
      return { status: reply.status, stdout: reply.out, stderr: reply.err };
    };
    expect(await served()).toEqual(before);

    // Each kind of input the server keeps parsed: its change is seen at once.
    const edit = (file: string, change: (text: string) => string) =>
      writeFileSync(join(source, file), change(readFileSync(join(source, file), "utf8")));
    const changes: [string, string, (text: string) => string, string][] = [
      [
        "a sibling fragment",
        "months/2018-01/02C.06.01.01.md",
        (text) => text.replace(/^milestones:$/m, "milestones:\n  - id: DLP-808\n    status: completed\n    completed: 2018-01-20"),
        "",
      ],
      [
        "the config",
        "dmreport.yaml",
        (text) => text.replace("title: Accomplishments this month", "title: Accomplishments"),
        "fragment-unknown-section",
      ],
      ["the WBS tree", "wbs.yaml", (text) => text.replace("code: 02C.06.00,", "code: 02C.06.09,"), "wbs-unknown"],
      ["the register", "milestones.yaml", (text) => text.replace(/^.*DLP-808.*\n/m, ""), ""],
    ];
    let previous = before;
    for (const [what, file, change, rule] of changes) {
      const original = readFileSync(join(source, file), "utf8");
      edit(file, change);
      const expected = inProcess();
      expect(expected, what).not.toEqual(previous);
      if (rule) expect(expected.stdout, what).toContain(rule);
      expect(await served(), what).toEqual(expected);
      expect(runCli(["lint", FRAGMENT], source, serverEnv(cache)), what).toEqual(expected);
      writeFileSync(join(source, file), original);
      expect(await served(), `${what} put back`).toEqual(before);
      previous = before;
    }

    // Options, usage errors and other folders go through it too.
    expect(await served(["lint", "--format", "json", FRAGMENT])).toEqual(
      runCli(["lint", "--format", "json", FRAGMENT], source, { DMREPORT_NO_SERVER: "1" }),
    );
    expect(await served(["lint", "--bogus"])).toEqual(runCli(["lint", "--bogus"], source, { DMREPORT_NO_SERVER: "1" }));
    expect((await served(["lint", "--bogus"])).status).toBe(2);
    const other = exampleCopy("minimal");
    const whole = runCli(["lint"], other, serverEnv(cache));
    expect(whole).toEqual(runCli(["lint"], other, { DMREPORT_NO_SERVER: "1", DMREPORT_CACHE_DIR: cache }));
    expect(whole.status).toBe(0);
    // Nothing but lint: a server refuses other commands, and the client would run them itself.
    expect(await ask(socket, { argv: ["build", "--out", join(source, "out")], cwd: source, color: false })).toBe("lost");
    expect(existsSync(join(source, "out"))).toBe(false);
    rmSync(socket);
  });

  it("loses only speed when its socket is stale or its cache folder cannot be written, and leaves when idle", async () => {
    const source = exampleCopy("lsst-dm");
    const cache = tempFolder();
    const expected = runCli(["lint", FRAGMENT], source, { DMREPORT_NO_SERVER: "1", DMREPORT_CACHE_DIR: cache });
    expect(runCli(["lint", FRAGMENT], source, serverEnv(cache, 2_000))).toEqual(expected);
    await waitFor(() => sockets(cache).length === 1, "the server's socket");
    const socket = join(cache, sockets(cache)[0]!);
    // Idle for its time: it leaves, and takes its socket with it.
    await waitFor(() => !existsSync(socket), "the idle server leaving", 10_000);

    // A file where the socket should be (a server that died, a corrupt cache): answered all the same, and replaced.
    writeFileSync(socket, "not a socket");
    expect(runCli(["lint", FRAGMENT], source, serverEnv(cache, 2_000))).toEqual(expected);
    await waitFor(() => existsSync(socket) && statSync(socket).isSocket(), "a new socket");
    expect(runCli(["lint", FRAGMENT], source, serverEnv(cache, 2_000))).toEqual(expected);
    rmSync(socket, { force: true });

    // A cache "folder" that is a file: no server, no socket, the same verdict.
    const blocked = join(tempFolder(), "not-a-folder");
    writeFileSync(blocked, "");
    expect(runCli(["lint", FRAGMENT], source, serverEnv(blocked))).toEqual(expected);
    expect(runCli(["lint", FRAGMENT], source, serverEnv(blocked))).toEqual(expected);
    expect(readFileSync(blocked, "utf8")).toBe("");
  });

  it("is neither used nor started in CI or with DMREPORT_NO_SERVER", async () => {
    const source = exampleCopy("minimal");
    const cache = tempFolder();
    for (const env of [{ CI: "true" }, { DMREPORT_NO_SERVER: "1" }]) {
      expect(runCli(["lint"], source, { ...serverEnv(cache), ...env }).status).toBe(0);
    }
    // A server started in the background would have its socket by now (the first test waits for it).
    await new Promise((done) => setTimeout(done, 3_000));
    expect(sockets(cache)).toEqual([]);
  });
});
