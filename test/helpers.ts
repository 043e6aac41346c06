/** Test helpers: scratch copies of the examples and the real CLI run as a child process. */
import { spawn, spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach } from "vitest";

export const REPO = fileURLToPath(new URL("..", import.meta.url));
export const CLI = join(REPO, "bin", "dmreport");

const scratch: string[] = [];
afterEach(() => {
  for (const folder of scratch.splice(0)) rmSync(folder, { recursive: true, force: true });
});

/** A fresh temporary folder, removed after the test. */
export function tempFolder(): string {
  const folder = mkdtempSync(join(tmpdir(), "dmreport-test-"));
  scratch.push(folder);
  return folder;
}

/** A scratch copy of `examples/<name>`, with `files` (path → text) written over it. */
export function exampleCopy(name: string, files: Record<string, string> = {}): string {
  const folder = tempFolder();
  cpSync(join(REPO, "examples", name), folder, { recursive: true });
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(folder, path)), { recursive: true });
    writeFileSync(join(folder, path), text);
  }
  return folder;
}

export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** `runCli` without blocking this process: for tests that serve what the command asks for. */
export function runCliAsync(args: readonly string[], cwd: string = REPO, extraEnv: Record<string, string> = {}): Promise<CliRun> {
  const { NO_COLOR: _noColor, ...env } = process.env;
  const child = spawn(process.execPath, [CLI, ...args], { cwd, env: { ...env, NO_COLOR: "1", ...extraEnv } });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.on("close", (status) => resolve({ status, stdout, stderr })));
}

/** Lint's stylish output with each message on one line again (it wraps them at the terminal's width, 80 in a test). */
export const unwrapped = (stdout: string) => stdout.replace(/\n {4,}/g, " ");

/** Run `dmreport ARGS` in `cwd`, as a user would. */
export function runCli(args: readonly string[], cwd: string = REPO, extraEnv: Record<string, string> = {}): CliRun {
  const { NO_COLOR: _noColor, ...env } = process.env;
  const run = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: "utf8", env: { ...env, NO_COLOR: "1", ...extraEnv } });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** Two PNG images of one pixel each, of the same size and different bytes. */
export const PIXEL = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYGD4DwABBAEAwS2OUAAAAABJRU5ErkJggg==",
  "base64",
);
export const OTHER_PIXEL = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==",
  "base64",
);

/** Wait until `check` holds, looking every `every` ms; fail, naming `what`, after `limit` ms (a bounded loop). */
export async function waitFor(check: () => boolean, what: string, limit = 15_000, every = 100): Promise<void> {
  for (let waited = 0; !check(); waited += every) {
    if (waited > limit) throw new Error(`${what} did not happen within ${limit / 1000} s`);
    await new Promise((done) => setTimeout(done, every));
  }
}

/** Change the file `file` of `source` in place. */
export function edit(source: string, file: string, change: (text: string) => string): void {
  writeFileSync(join(source, file), change(readFileSync(join(source, file), "utf8")));
}
