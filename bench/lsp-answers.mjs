#!/usr/bin/env node
// What a lead waits for in the editor besides diagnostics, with `dmreport lsp`: the first hover
// on a milestone id of a fragment just opened (its story reads every earlier month), the first
// completion of milestone ids there, then a burst of 1,000 changes sent at once (a paste,
// "replace all") followed by a hover, each timed in a fresh server (median of `runs` servers): for
// the burst, the time from the hover sent to its answer, and the diagnostics published after the
// burst (the most any server published, and whether every one was for the last version only).
// Arguments: runs, the source (copied), the fragment, `line:character` of a milestone id in it
// (0-based). Prints `{ hover, completion, burst, peak }` as JSON (ms, MiB).
import { spawn } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from "vscode-jsonrpc/node";

const [runs, from, fragment, at] = [Number(process.argv[2] ?? 5), process.argv[3], process.argv[4], process.argv[5].split(":").map(Number)];
const BURST = 1000;
const source = mkdtempSync(join(tmpdir(), "dmreport-bench-lsp-"));
cpSync(from, source, { recursive: true });
// A lead's files are older than a moment: files changed just now are not kept (they could change again unseen).
await new Promise((done) => setTimeout(done, 2100));
const file = join(source, fragment);
const uri = pathToFileURL(file).href;
const text = readFileSync(file, "utf8");
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const timed = async (work) => {
  const started = performance.now();
  const answer = await work();
  return { ms: performance.now() - started, answer };
};

const hovers = [];
const completions = [];
const bursts = [];
let peak = 0;
for (let run = 0; run < runs; run++) {
  const server = spawn(process.execPath, [new URL("../bin/dmreport", import.meta.url).pathname, "lsp", "--stdio"], {
    stdio: ["pipe", "pipe", "inherit"],
  });
  const connection = createMessageConnection(new StreamMessageReader(server.stdout), new StreamMessageWriter(server.stdin));
  const published = [];
  let told;
  connection.onNotification("textDocument/publishDiagnostics", (params) => {
    if (params.uri === uri) published.push(params.version);
    told?.();
  });
  connection.listen();
  await connection.sendRequest("initialize", { processId: process.pid, rootUri: pathToFileURL(source).href, capabilities: {} });
  await connection.sendNotification("initialized", {});
  const opened = new Promise((done) => (told = done));
  await connection.sendNotification("textDocument/didOpen", { textDocument: { uri, languageId: "markdown", version: 1, text } });
  await opened;
  told = undefined;
  const hover = await timed(() =>
    connection.sendRequest("textDocument/hover", { textDocument: { uri }, position: { line: at[0], character: at[1] } }),
  );
  if (!hover.answer) throw new Error(`no hover at ${at.join(":")} of ${fragment}`);
  hovers.push(hover.ms);
  // After `id: ` on the same line: every milestone of the register is offered.
  const idStart = text.split("\n")[at[0]].indexOf("id: ") + 4;
  const completion = await timed(() =>
    connection.sendRequest("textDocument/completion", { textDocument: { uri }, position: { line: at[0], character: idStart } }),
  );
  if (!completion.answer?.length) throw new Error(`no completion at ${at[0]}:${idStart} of ${fragment}`);
  completions.push(completion.ms);
  const before = published.length;
  const lastLine = text.split("\n").length - 1;
  // Written at once, as an editor's "replace all" reaches the server (the client library's own
  // writer would send them one by one, and its pace, not the server's, would be measured).
  const frames = [];
  for (let change = 0; change < BURST; change++) {
    const body = Buffer.from(
      JSON.stringify({
        jsonrpc: "2.0",
        method: "textDocument/didChange",
        params: {
          textDocument: { uri, version: change + 2 },
          contentChanges: [{ range: { start: { line: lastLine, character: 0 }, end: { line: lastLine, character: 0 } }, text: "x" }],
        },
      }),
    );
    frames.push(Buffer.from(`Content-Length: ${body.length}\r\n\r\n`), body);
  }
  server.stdin.write(Buffer.concat(frames));
  const asked = performance.now();
  await connection.sendRequest("textDocument/hover", { textDocument: { uri }, position: { line: at[0], character: at[1] } });
  const hoverAfter = performance.now() - asked;
  // The judgement of the last version, then a quiet moment to count what else arrives.
  for (let waited = 0; published.at(-1) !== BURST + 1 && waited < 30_000; waited += 20) await new Promise((done) => setTimeout(done, 20));
  await new Promise((done) => setTimeout(done, 500));
  const after = published.slice(before);
  bursts.push({ hover: hoverAfter, published: after.length, lastOnly: after.every((version) => version === BURST + 1) });
  const status = readFileSync(`/proc/${server.pid}/status`, "utf8");
  peak = Math.max(peak, Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024);
  await connection.sendRequest("shutdown");
  await connection.sendNotification("exit");
  await new Promise((done) => server.once("exit", done));
  connection.dispose();
}
rmSync(source, { recursive: true, force: true });
const burst = {
  hover: median(bursts.map((each) => each.hover)),
  published: Math.max(...bursts.map((each) => each.published)),
  lastOnly: bursts.every((each) => each.lastOnly),
};
process.stdout.write(`${JSON.stringify({ hover: median(hovers), completion: median(completions), burst, peak })}\n`);
