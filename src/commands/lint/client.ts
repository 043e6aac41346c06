/**
 * The lint client: what `dmreport lint` does first, outside CI. A lint server (server.ts) that
 * already runs for this build of dmreport, this Node and these settings answers in a few
 * milliseconds, its code compiled and the source's unchanged files parsed already; the client
 * prints the answer and exits with its status. With no server yet, the client says so and starts
 * one in the background, and the command runs in this process as it would without one.
 *
 * This module is loaded at every commit before anything else of dmreport: it imports nothing
 * but Node's network and file modules, the cache folder's location and the colour test, and
 * scripts/bundle.mjs makes it one CommonJS file (dist/cli/lint-client.cjs), so that it loads as one
 * module. bin/dmreport takes the cache folder's location from it too (for lint's code cache).
 */
import { lstatSync, statSync } from "node:fs";
import { connect } from "node:net";
import { join } from "node:path";
import { privateCacheFolder } from "../../core/cache-folder.js";
import { useColor } from "../../reporters/compact.js";

export { privateCacheFolder };

/** Where the compiled dmreport is: its CLI (whose build keys the server) and the server's script. */
export interface ServerFiles {
  /** A file rewritten by every build of dmreport (dist/cli.js). */
  build: string;
  /** The lint server's script (dist/commands/lint/server.js). */
  server: string;
}

/** What a request asks of the server: the command line, the folder it ran in, whether its terminal shows colour and how wide it is. */
export interface LintRequest {
  argv: string[];
  cwd: string;
  color: boolean;
  columns?: number;
}

/** The server's answer: the command's standard output and error, and its exit status. */
export interface LintReply {
  out: string;
  err: string;
  status: number;
}

/** Settings that change what lint does or where it keeps things: a server serves one set of them. */
const SETTINGS = /^(DMREPORT_|TZ$|NO_COLOR$|TERM$)/;

/** The largest request a server reads (a command line of many thousand files fits); a larger one runs in its own process. */
export const MAX_REQUEST_BYTES = 4 * 1024 * 1024;

/** Unix sockets have a path of at most 107 bytes; a longer cache folder has no server. */
const MAX_SOCKET_PATH = 100;

/** The socket of the server for this dmreport build, Node and settings, in `folder`; undefined when it cannot be had. */
export function socketPath(folder: string, files: ServerFiles, env: NodeJS.ProcessEnv = process.env): string | undefined {
  let build: string;
  try {
    const compiled = statSync(files.build);
    build = `${compiled.size} ${compiled.mtimeMs}`;
  } catch {
    return undefined;
  }
  const settings = Object.keys(env)
    .filter((name) => SETTINGS.test(name))
    .sort()
    .map((name) => `${name}=${env[name]}`);
  const key = fnv1a([process.version, process.arch, build, ...settings].join("\n"));
  const path = join(folder, `lint-${key}.sock`);
  return Buffer.byteLength(path) <= MAX_SOCKET_PATH ? path : undefined;
}

/** Two 32-bit FNV-1a digests (two primes) in base 36: a name, not a secret, so no crypto module to load for it. */
function fnv1a(text: string): string {
  let first = 0x811c9dc5;
  let second = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    first = Math.imul(first ^ code, 0x01000193);
    second = Math.imul(second ^ code, 0x5bd1e995);
  }
  return `${(first >>> 0).toString(36)}${(second >>> 0).toString(36)}`;
}

/** Whether this run may use (and start) a lint server: never in CI, on Windows, or with `DMREPORT_NO_SERVER` set. */
export function serverAllowed(env: NodeJS.ProcessEnv = process.env): boolean {
  return !env.DMREPORT_NO_SERVER && !env.DMREPORT_NO_CACHE && !env.CI && process.platform !== "win32";
}

/**
 * Run `dmreport lint` through the lint server: its exit status; "started" when there was none
 * and one is starting; "none" when there is no server to be had (or one went away without an
 * answer). In the last two cases this process runs the command itself.
 */
export async function lintThroughServer(argv: readonly string[], files: ServerFiles): Promise<number | "started" | "none"> {
  if (!serverAllowed()) return "none";
  // Only in a folder of the user's alone, and only a socket of theirs: another user's server could answer "all clean".
  const { folder } = privateCacheFolder();
  const socket = folder && socketPath(folder, files);
  if (!socket || !ownSocket(socket)) return "none";
  const request: LintRequest = {
    argv: [...argv],
    cwd: process.cwd(),
    color: useColor(process.stdout),
    ...(process.stdout.isTTY && process.stdout.columns > 0 && { columns: process.stdout.columns }),
  };
  if (Buffer.byteLength(JSON.stringify(request)) >= MAX_REQUEST_BYTES) return "none";
  const reply = await ask(socket, request);
  if (reply === "absent") {
    await startServer(socket, files.server, request);
    return "started";
  }
  if (reply === "lost") return "none";
  if (reply.out) process.stdout.write(reply.out);
  if (reply.err) process.stderr.write(reply.err);
  return reply.status;
}

/** Whether `socket` is absent (a server may be started there) or the current user's (a socket, or a file left by a server that died). */
export function ownSocket(socket: string): boolean {
  try {
    return process.getuid === undefined || lstatSync(socket).uid === process.getuid();
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "ENOENT";
  }
}

/** How long a lint waits for the server's answer before it runs in its own process (the server's own work stops at a minute). */
const REPLY_MS = 120_000;

/** Send one request and read its reply: "absent" when no server listens, "lost" when it ends without a whole answer. */
export function ask(socket: string, request: LintRequest, replyMs = REPLY_MS): Promise<LintReply | "absent" | "lost"> {
  return new Promise((resolve) => {
    const connection = connect(socket);
    connection.setTimeout(replyMs, () => connection.destroy());
    let text = "";
    connection.setEncoding("utf8");
    connection.on("connect", () => connection.end(`${JSON.stringify(request)}\n`));
    connection.on("data", (chunk: string) => (text += chunk));
    connection.on("error", (error: NodeJS.ErrnoException) =>
      resolve(error.code === "ENOENT" || error.code === "ECONNREFUSED" ? "absent" : "lost"),
    );
    connection.on("close", () => resolve(replyIn(text) ?? "lost"));
  });
}

function replyIn(text: string): LintReply | undefined {
  try {
    const reply = JSON.parse(text) as LintReply;
    return typeof reply.out === "string" && typeof reply.err === "string" && Number.isInteger(reply.status) ? reply : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Start a server for `socket` in the background, detached from this process and its output. It
 * runs `request` once (never with --fix) as soon as it has loaded, so that its code is compiled
 * and the source parsed before the next lint asks.
 */
async function startServer(socket: string, script: string, request: LintRequest): Promise<void> {
  const { spawn } = await import("node:child_process");
  const warmUp: LintRequest = { ...request, argv: request.argv.filter((arg) => arg !== "--fix") };
  try {
    const child = spawn(process.execPath, [script, socket, JSON.stringify(warmUp)], { detached: true, stdio: "ignore" });
    child.on("error", () => undefined);
    child.unref();
  } catch {
    // No server this time: the command runs in this process anyway.
  }
}
