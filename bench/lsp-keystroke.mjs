#!/usr/bin/env node
// A keystroke in a January 2018 fragment (the month after the published December) open in an editor: the time from the change sent to
// `dmreport lsp` to its diagnostics received, in a warm server (after 20 keystrokes), as a median,
// the keys typed ten a second.
// Each keystroke types or deletes a digit of the fragment's WBS code, so the diagnostics change
// every time. Prints `{ median, peak }` (ms, and the server's peak memory in MiB) as JSON.
import { spawn } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from "vscode-jsonrpc/node";

// Optionally another source (copied) and the fragment in it, with the line of its `wbs:` and the character after its code.
const runs = Number(process.argv[2] ?? 9);
const [from, fragment, at] = process.argv[3]
  ? [process.argv[3], process.argv[4], process.argv[5].split(":").map(Number)]
  : [new URL("../examples/lsst-dm", import.meta.url).pathname, "months/2018-01/1.02C.03.md", [1, 13]];
const warmUp = 20;
const TYPING_MS = 100;
const source = mkdtempSync(join(tmpdir(), "dmreport-bench-lsp-"));
cpSync(from, source, { recursive: true });
const server = spawn(process.execPath, [new URL("../bin/dmreport", import.meta.url).pathname, "lsp", "--stdio"], {
  stdio: ["pipe", "pipe", "inherit"],
});
const connection = createMessageConnection(new StreamMessageReader(server.stdout), new StreamMessageWriter(server.stdin));
let told;
connection.onNotification("textDocument/publishDiagnostics", () => told?.());
connection.listen();
await connection.sendRequest("initialize", { processId: process.pid, rootUri: pathToFileURL(source).href, capabilities: {} });
await connection.sendNotification("initialized", {});
const file = join(source, fragment);
const uri = pathToFileURL(file).href;
const published = () => new Promise((done) => (told = done));
let next = published();
await connection.sendNotification("textDocument/didOpen", {
  textDocument: { uri, languageId: "markdown", version: 1, text: readFileSync(file, "utf8") },
});
await next;
// Line 2 is `wbs: 1.02C.03`: a digit typed after it, then deleted.
const times = [];
for (let keystroke = 0; keystroke < warmUp + runs; keystroke++) {
  const typing = keystroke % 2 === 0;
  const change = typing
    ? { range: { start: { line: at[0], character: at[1] }, end: { line: at[0], character: at[1] } }, text: "3" }
    : { range: { start: { line: at[0], character: at[1] }, end: { line: at[0], character: at[1] + 1 } }, text: "" };
  next = published();
  const sent = performance.now();
  await connection.sendNotification("textDocument/didChange", { textDocument: { uri, version: keystroke + 2 }, contentChanges: [change] });
  await next;
  if (keystroke >= warmUp) times.push(performance.now() - sent);
  // A typist's pace (ten keys a second): keys sent back to back, within the server's burst gap of
  // each other, would be judged as one burst, and wait for the burst to settle.
  await new Promise((done) => setTimeout(done, Math.max(0, sent + TYPING_MS - performance.now())));
}
const status = readFileSync(`/proc/${server.pid}/status`, "utf8");
const peak = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
await connection.sendRequest("shutdown");
await connection.sendNotification("exit");
await new Promise((done) => server.once("exit", done));
rmSync(source, { recursive: true, force: true });
times.sort((a, b) => a - b);
process.stdout.write(`${JSON.stringify({ median: times[Math.floor(times.length / 2)], peak })}\n`);
