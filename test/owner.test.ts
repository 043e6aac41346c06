// Local servers and caches answer only their owner: the cache folder is used only when it is the
// user's alone, what dmreport keeps there is theirs alone to read, and the lint server stops when
// told, bounds what it reads and never waits on a client.
import { spawn, spawnSync } from "node:child_process";
import { chmodSync, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ask, socketPath } from "../src/commands/lint/client.js";
import { exampleCopy, REPO, runCli, tempFolder, waitFor } from "./helpers.js";

const FRAGMENT = "months/2018-01/02C.06.00.md";

/** The example with one error in FRAGMENT: the verdict a lint server of another user would hide. */
function brokenExample(): string {
  const source = exampleCopy("lsst-dm");
  const path = join(source, FRAGMENT);
  writeFileSync(path, readFileSync(path, "utf8").replace("month: 2018-01", "month: 2018-13"));
  return source;
}
const SERVER = join(REPO, "dist", "commands", "lint", "server.js");
const isRoot = process.getuid?.() === 0;
/** The user another person on the machine is, for the tests run as root. */
const OTHER = 65534;

/** The environment of a developer's machine (servers allowed), with `more`. */
const devEnv = (more: Record<string, string>) => ({ DMREPORT_NO_SERVER: "", CI: "", DMREPORT_CACHE_DIR: "", ...more });

/** The environment `runCli` gives a command, with `more`: what its socket's name is made of. */
function cliEnv(more: Record<string, string>): NodeJS.ProcessEnv {
  const { NO_COLOR: _noColor, ...env } = process.env;
  return { ...env, NO_COLOR: "1", ...more };
}

/** Every file and folder under `folder` with its permission bits, as `path mode`. */
function modes(folder: string): string[] {
  return [folder, ...readdirSync(folder, { recursive: true }).map((name) => join(folder, String(name)))].map(
    (path) =>
      `${
        path === folder
          ? "."
          : path
              .slice(folder.length + 1)
              .replace(/lint-[0-9a-z]+\.sock/, "lint-*.sock")
              .replace(/-[0-9a-f]{16,}/, "-*")
      } ${(statSync(path).mode & 0o777).toString(8)}`,
  );
}

describe("the cache folder", () => {
  it("is made 0700, with every file in it 0600, by each command that keeps something there", async () => {
    const source = exampleCopy("lsst-dm");
    const cache = join(tempFolder(), "made-by-dmreport");
    const env = devEnv({ DMREPORT_CACHE_DIR: cache, DMREPORT_LINT_SERVER_IDLE_MS: "3000" });
    expect(runCli(["build", "--month", "2018-01", "--format", "md", "--out", tempFolder()], source, env).status).toBe(0);
    expect(runCli(["status", "--month", "2018-01"], source, env).status).toBe(0);
    // Lint makes its code cache in the background where there is no server; then it starts one.
    runCli(["lint", FRAGMENT], source, { ...env, DMREPORT_NO_SERVER: "1" });
    runCli(["lint", FRAGMENT], source, env);
    await waitFor(
      () => readdirSync(cache).some((name) => name.endsWith(".sock")) && readdirSync(cache).some((name) => name.startsWith("code-lint-")),
      "the server and the code cache",
    );
    await waitFor(() => !readdirSync(cache).some((name) => name.endsWith(".tmp")), "the code cache written");
    expect(modes(cache).sort()).toEqual([". 700", "code-build-*.bin 600", "code-lint-*.bin 600", "history-*.json 600", "lint-*.sock 600"]);
  });

  it("of the user's that others may read is made private; one others may write to is not used", () => {
    const source = exampleCopy("lsst-dm");
    const readable = tempFolder();
    chmodSync(readable, 0o755);
    expect(runCli(["lint", FRAGMENT], source, { DMREPORT_CACHE_DIR: readable }).stderr).toBe("");
    expect(statSync(readable).mode & 0o777).toBe(0o700);

    const writable = tempFolder();
    chmodSync(writable, 0o777);
    const expected = runCli(["lint", FRAGMENT], source, { DMREPORT_NO_CACHE: "1" });
    const run = runCli(["lint", FRAGMENT], source, { DMREPORT_CACHE_DIR: writable });
    expect(run.stdout).toBe(expected.stdout);
    expect(run.status).toBe(expected.status);
    expect(run.stderr).toBe(
      `dmreport: the cache folder ${writable} can be written by other users, so dmreport runs without a cache: if what is in it is yours, make it private (chmod 700 ${writable}); else set DMREPORT_CACHE_DIR to a folder of your own, or DMREPORT_NO_CACHE=1 to run without one\n`,
    );
    expect(readdirSync(writable)).toEqual([]);
    // The facts, on request.
    const debug = runCli(["lint", FRAGMENT], source, { DMREPORT_CACHE_DIR: writable, DMREPORT_DEBUG: "1" });
    expect(debug.stderr).toContain(
      `can be written by other users (mode 0777, owner uid ${process.getuid!()}; you are uid ${process.getuid!()}), so dmreport runs without a cache`,
    );
  });

  it("is not used in a folder anyone may change, even one of the user's own", () => {
    const open = tempFolder();
    chmodSync(open, 0o777);
    const run = runCli(["lint"], exampleCopy("minimal"), { DMREPORT_CACHE_DIR: join(open, "cache") });
    expect(run.stderr).toContain(`dmreport: the cache folder ${join(open, "cache")} is in a folder anyone may change (${open})`);
    // Nothing was made there first.
    expect(readdirSync(open)).toEqual([]);
  });

  it.runIf(isRoot)("of another user is not used, and that user's lint server never answers", async () => {
    // A shared cache base (XDG_CACHE_HOME in the system's temporary folder), where another user came first.
    const shared = tempFolder();
    chmodSync(shared, 0o1777);
    const folder = join(shared, "dmreport");
    const env = devEnv({ XDG_CACHE_HOME: shared });
    const socket = socketPath(folder, { build: join(REPO, "dist", "cli.js"), server: SERVER }, cliEnv(env))!;
    // Their "server": says every lint is clean, and notes each connection.
    const heard = join(shared, "heard");
    const planted = spawn(
      process.execPath,
      [
        "-e",
        `const fs = require("node:fs"); fs.mkdirSync(${JSON.stringify(folder)}, { mode: 0o755 }); fs.writeFileSync(${JSON.stringify(heard)}, "");
         require("node:net").createServer((c) => { fs.appendFileSync(${JSON.stringify(heard)}, "x"); c.end(JSON.stringify({ out: "", err: "", status: 0 }) + "\\n"); })
           .listen(${JSON.stringify(socket)}, () => console.log("listening"));`,
      ],
      { uid: OTHER, gid: OTHER, stdio: ["ignore", "pipe", "inherit"] },
    );
    try {
      await new Promise((done) => planted.stdout!.once("data", done));
      expect(statSync(folder).uid).toBe(OTHER);
      const source = brokenExample();
      const expected = runCli(["lint", FRAGMENT], source, { DMREPORT_NO_CACHE: "1" });
      expect(expected.status).toBe(1);
      const run = runCli(["lint", FRAGMENT], source, env);
      expect({ status: run.status, stdout: run.stdout }).toEqual({ status: expected.status, stdout: expected.stdout });
      expect(run.stderr).toBe(
        `dmreport: the cache folder ${folder} belongs to another user, so dmreport runs without a cache: set DMREPORT_CACHE_DIR to a folder of your own, or DMREPORT_NO_CACHE=1 to run without one\n`,
      );
      expect(readFileSync(heard, "utf8")).toBe("");
      // Nothing of the lead's was left in their folder.
      expect(readdirSync(folder)).toEqual([socket.split("/").pop()]);
    } finally {
      planted.kill();
    }
  });
});

/** A lint server started as the client starts one, its process id known; it loads dmreport's code at once. */
async function startServer(cache: string): Promise<{ socket: string; pid: number; exited: Promise<number | null> }> {
  const socket = join(cache, "lint-test.sock");
  // Started from a process that ends at once: the server waits for its parent before loading dmreport.
  const launcher = spawnSync(
    process.execPath,
    [
      "-e",
      `const c = require("node:child_process").spawn(process.execPath, [${JSON.stringify(SERVER)}, ${JSON.stringify(socket)}], { detached: true, stdio: "ignore" }); console.log(c.pid); c.unref();`,
    ],
    { encoding: "utf8" },
  );
  const pid = Number(launcher.stdout.trim());
  const exited = new Promise<number | null>((done) => {
    const timer = setInterval(() => {
      try {
        process.kill(pid, 0);
      } catch {
        clearInterval(timer);
        done(null);
      }
    }, 20);
  });
  await waitFor(() => existsSync(socket), "the server's socket");
  return { socket, pid, exited };
}

/** The server's resident memory now and at its peak, in MiB. */
function memory(pid: number): { now: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status)![1]);
  return { now: kib("VmRSS") / 1024, peak: kib("VmHWM") / 1024 };
}

describe.runIf(process.platform === "linux")("the lint server", () => {
  it("stops on the first SIGTERM, and on SIGINT, taking its socket with it", async () => {
    for (const signal of ["SIGTERM", "SIGINT"] as const) {
      const cache = tempFolder();
      const server = await startServer(cache);
      process.kill(server.pid, signal);
      await Promise.race([
        server.exited,
        new Promise((_, fail) => setTimeout(() => fail(new Error(`still running 3 s after ${signal}`)), 3000)),
      ]);
      expect(existsSync(server.socket)).toBe(false);
    }
  });

  it("refuses a request over its limit without keeping it, and answers the next", async () => {
    const source = exampleCopy("minimal");
    const cache = tempFolder();
    const server = await startServer(cache);
    try {
      expect(await ask(server.socket, { argv: ["lint"], cwd: source, color: false })).toMatchObject({ status: 0 });
      const before = memory(server.pid);
      // 50 MB with no line end: the server stops reading past its limit and drops the client.
      const sent = await new Promise<number>((done) => {
        const client = connect(server.socket);
        const chunk = Buffer.alloc(1024 * 1024, "a");
        let total = 0;
        const more = () => {
          while (total < 50 * 1024 * 1024) {
            total += chunk.length;
            if (!client.write(chunk)) return void client.once("drain", more);
          }
          client.end();
        };
        client.on("connect", more);
        client.on("error", () => done(total));
        client.on("close", () => done(total));
      });
      expect(sent).toBeLessThan(50 * 1024 * 1024);
      const after = memory(server.pid);
      // Measured: the peak grows by a few MiB (the 4 MiB limit), not by the request (607 MiB before).
      expect(after.peak - before.peak).toBeLessThan(40);
      expect(after.now).toBeLessThan(before.now + 40);
      expect(await ask(server.socket, { argv: ["lint"], cwd: source, color: false })).toMatchObject({ status: 0 });
    } finally {
      process.kill(server.pid, "SIGTERM");
      await server.exited;
    }
  });

  it("answers the next client while one never reads its reply", async () => {
    const source = brokenExample();
    const cache = tempFolder();
    const server = await startServer(cache);
    try {
      expect(await ask(server.socket, { argv: ["lint", FRAGMENT], cwd: source, color: false })).toMatchObject({ status: 1 });
      // A reply far larger than the socket's buffers (SARIF carries every rule's page), never read.
      const stuck = connect(server.socket);
      stuck.pause();
      stuck.write(`${JSON.stringify({ argv: ["lint", "--format", "sarif"], cwd: source, color: false })}\n`);
      await new Promise((done) => setTimeout(done, 1500));
      const started = Date.now();
      expect(await ask(server.socket, { argv: ["lint", FRAGMENT], cwd: source, color: false })).toMatchObject({ status: 1 });
      expect(Date.now() - started).toBeLessThan(3000);
      stuck.destroy();
    } finally {
      process.kill(server.pid, "SIGTERM");
      await server.exited;
    }
  });
});
