/**
 * The lint server: one background process per user, dmreport build, Node and settings, started
 * by the first `dmreport lint` that finds none (client.ts). It answers lint requests on a Unix
 * socket in the per-user cache folder, one at a time, with its code compiled once and each
 * source's files parsed once (a file is parsed again only when its text changed). It leaves
 * after `DMREPORT_LINT_SERVER_IDLE_MS` (10 minutes) without a request, or as soon as its socket
 * is removed; a second server for the same socket leaves at once.
 *
 * Run as `node server.js SOCKET [WARM-UP REQUEST as JSON]`.
 */
import { chmodSync, existsSync, mkdirSync, rmSync, statSync } from "node:fs";
import { connect, createServer, type Server, type Socket } from "node:net";
import { setPriority } from "node:os";
import { dirname } from "node:path";
import { pathToFileURL } from "node:url";
import type { ParseMemo } from "../../load/memo.js";
import { MAX_REQUEST_BYTES, type LintReply, type LintRequest } from "./client.js";

const DEFAULT_IDLE_MS = 10 * 60 * 1000;
/** How long a client has to send its request, and to take its reply, before it is dropped. */
const CLIENT_MS = 10_000;
/** How many times the server runs the lint that started it before it answers others. */
const WARM_UP_RUNS = 4;
/** A warm-up run longer than this is not run again. */
const SLOW_WARM_UP_MS = 2000;
/** Sources whose parse results are kept; the one linted longest ago is dropped past this. */
const MAX_SOURCES = 8;

export interface ServerOptions {
  /** How long without a request before the server leaves. */
  idleMs?: number;
  /** A process to let finish before loading dmreport (the lint that started the server, so that it is not slowed). */
  after?: number;
  /** A lint to run once after loading, its output discarded: the one that started the server, so that the next is fast. */
  warmUp?: LintRequest;
}

/** Serve lint requests on `socket` until idle; resolves when the server has left. */
export async function serveLint(socket: string, options: ServerOptions = {}): Promise<void> {
  const idleMs = options.idleMs ?? DEFAULT_IDLE_MS;
  // The socket and anything the server writes are the user's alone.
  process.umask(0o077);
  mkdirSync(dirname(socket), { recursive: true, mode: 0o700 });
  const memos = new Map<string, ParseMemo>();
  // Requests wait for dmreport's code, loaded once the lint that started the server has finished.
  let main: CliMain | undefined;
  let queue: Promise<unknown> = Promise.resolve();
  let lastRequest = Date.now();
  // Half open: a client ends its side once its request is sent, and the reply still goes back, however long it waits its turn.
  const server = createServer({ allowHalfOpen: true }, (connection) => {
    const chunks: Buffer[] = [];
    let size = 0;
    connection.on("error", () => undefined);
    // A client that does not finish its request in time is dropped; it never holds the queue.
    const deadline = setTimeout(() => connection.destroy(), CLIENT_MS);
    connection.on("close", () => clearTimeout(deadline));
    connection.on("data", (chunk: Buffer) => {
      const end = chunk.indexOf(0x0a);
      chunks.push(end < 0 ? chunk : chunk.subarray(0, end));
      size += end < 0 ? chunk.length : end;
      // Past the limit, nothing more is kept: the client runs the lint itself.
      if (size > MAX_REQUEST_BYTES) {
        chunks.length = 0;
        connection.destroy();
        return;
      }
      if (end < 0) return;
      connection.removeAllListeners("data");
      connection.pause();
      clearTimeout(deadline);
      const line = Buffer.concat(chunks).toString("utf8");
      chunks.length = 0;
      lastRequest = Date.now();
      queue = queue
        .then(() => answer(line, connection, memos, main!))
        .catch(() => connection.destroy())
        .finally(() => (lastRequest = Date.now()));
    });
  });
  // Listening first: lints that start meanwhile find this server rather than start another, and
  // a second server for the same socket leaves before loading anything.
  // Stopped by a signal, the server leaves at once and takes its socket with it; the handlers are
  // there before the socket is, so that a signal just after it appears cannot leave it behind.
  let identity: number | undefined;
  const ours = () => identity !== undefined && existsSync(socket) && statSync(socket).ino === identity;
  const stop = () => {
    if (ours()) rmSync(socket, { force: true });
    process.exit(0);
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
  if (!(await listen(server, socket))) {
    process.off("SIGTERM", stop);
    process.off("SIGINT", stop);
    return;
  }
  identity = statSync(socket).ino;
  const loading = (async () => {
    await finished(options.after);
    main = (await import("../../cli.js")).main;
    const warmUp = options.warmUp;
    if (
      warmUp &&
      Array.isArray(warmUp.argv) &&
      warmUp.argv[0] === "lint" &&
      !warmUp.argv.includes("--fix") &&
      typeof warmUp.cwd === "string"
    ) {
      const discard = () => undefined;
      // A few times: V8 optimises what runs often, so the next lint finds the hot paths compiled.
      // A slow lint is compiled hot by its first run already, and is not made to wait on itself.
      for (let run = 0; run < WARM_UP_RUNS; run++) {
        const started = Date.now();
        await main(warmUp.argv.map(String), {
          output: { out: discard, err: discard, color: false },
          cwd: warmUp.cwd,
          memos,
          signals: false,
        }).catch(discard);
        if (Date.now() - started > SLOW_WARM_UP_MS) break;
      }
      process.exitCode = undefined;
    }
  })();
  // Requests wait for the code. Without it the server is of no use: it leaves, and the lints
  // waiting run in their own processes.
  queue = loading.catch(() => process.exit(1));
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      const still = ours();
      if (still && Date.now() - lastRequest < idleMs) return;
      clearInterval(timer);
      server.close(() => resolve());
      if (still) rmSync(socket, { force: true });
    }, Math.min(idleMs, 60_000) / 4);
  });
  await queue;
  process.off("SIGTERM", stop);
  process.off("SIGINT", stop);
}

/** Listen on `socket`; false when another server answers there already. A socket left by a server that died is replaced. */
async function listen(server: Server, socket: string): Promise<boolean> {
  for (let attempt = 0; attempt < 2; attempt++) {
    const error = await new Promise<NodeJS.ErrnoException | undefined>((resolve) => {
      server.once("error", resolve);
      server.listen(socket, () => {
        server.removeListener("error", resolve);
        resolve(undefined);
      });
    });
    if (!error) {
      chmodSync(socket, 0o600);
      return true;
    }
    if (error.code !== "EADDRINUSE" || (await answers(socket))) return false;
    rmSync(socket, { force: true });
  }
  return false;
}

/** Whether a server answers on `socket`. */
function answers(socket: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = connect(socket);
    probe.on("connect", () => {
      probe.destroy();
      resolve(true);
    });
    probe.on("error", () => resolve(false));
  });
}

type CliMain = typeof import("../../cli.js").main;

/** Resolves when the process `pid` has ended, or after 10 seconds. */
async function finished(pid: number | undefined): Promise<void> {
  for (let waited = 0; pid && waited < 10_000; waited += 20) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Run one request through the CLI, its output gathered, and send the reply. */
async function answer(line: string, connection: Socket, memos: Map<string, ParseMemo>, main: CliMain): Promise<void> {
  let request: LintRequest;
  try {
    request = JSON.parse(line) as LintRequest;
    if (!Array.isArray(request.argv) || request.argv[0] !== "lint" || typeof request.cwd !== "string")
      throw new Error("not a lint request");
  } catch {
    // Not an answer: the client runs the command itself.
    connection.destroy();
    return;
  }
  const out: string[] = [];
  const err: string[] = [];
  process.exitCode = undefined;
  const status = await main(request.argv.map(String), {
    output: {
      out: (text) => void out.push(text),
      err: (text) => void err.push(text),
      color: request.color === true,
      ...(Number.isInteger(request.columns) && request.columns! > 0 && { columns: request.columns }),
    },
    cwd: request.cwd,
    memos: recent(memos),
    signals: false,
  });
  process.exitCode = undefined;
  // The sources this request added count too: no more watches are kept than MAX_SOURCES sources need.
  recent(memos);
  const reply: LintReply = { out: out.join(""), err: err.join(""), status };
  // Written, not waited for: the next request goes on, and a client that does not take its reply in time is dropped.
  const deadline = setTimeout(() => connection.destroy(), CLIENT_MS);
  connection.on("close", () => clearTimeout(deadline));
  connection.end(`${JSON.stringify(reply)}\n`);
}

/** `memos` with at most MAX_SOURCES entries, the ones linted last kept (lint moves a source to the end when it uses it). */
function recent(memos: Map<string, ParseMemo>): Map<string, ParseMemo> {
  while (memos.size > MAX_SOURCES) {
    const [root, memo] = memos.entries().next().value!;
    memo.history?.close();
    memos.delete(root);
  }
  return memos;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const socket = process.argv[2];
  const idle = Number(process.env.DMREPORT_LINT_SERVER_IDLE_MS);
  try {
    // A background helper: the commands the user runs come first.
    setPriority(10);
  } catch {
    // Not allowed here: the server runs at the usual priority.
  }
  let warmUp: LintRequest | undefined;
  try {
    warmUp = process.argv[3] ? (JSON.parse(process.argv[3]) as LintRequest) : undefined;
  } catch {
    // No warm-up: the first request compiles the code instead.
  }
  if (socket)
    await serveLint(socket, {
      idleMs: Number.isFinite(idle) && idle > 0 ? idle : undefined,
      after: process.ppid === 1 ? undefined : process.ppid,
      warmUp,
    });
}
