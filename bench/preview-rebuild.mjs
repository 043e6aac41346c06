#!/usr/bin/env node
// One fragment of the December 2017 example changed while dmreport preview serves it: the time
// from the file's save to the rebuilt pages being announced (watch, debounce and rebuild), as a
// median of several saves. Optionally another source (copied), its month and the fragment saved.
// Prints `{ median, peak }` (ms, MiB) as JSON.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startPreview } from "../dist/preview/index.js";

const runs = Number(process.argv[2] ?? 9);
const [from, month, saved] = process.argv[3]
  ? process.argv.slice(3, 6)
  : [new URL("../examples/lsst-dm", import.meta.url).pathname, "2017-12", "02C.06.00.md"];
const source = mkdtempSync(join(tmpdir(), "dmreport-bench-preview-"));
cpSync(from, source, { recursive: true });
// A lead's files are older than a moment: files changed just now are not kept (they could change again unseen).
await new Promise((done) => setTimeout(done, 2100));
let announced;
const preview = await startPreview({ source, month, port: 0, onRebuild: () => announced?.() });
const fragment = join(source, "months", month, saved);
const text = readFileSync(fragment, "utf8");
const times = [];
let peak = process.memoryUsage().rss;
for (let run = 0; run <= runs; run++) {
  await new Promise((done) => setTimeout(done, 300));
  const rebuilt = new Promise((done) => (announced = done));
  const saved = performance.now();
  writeFileSync(fragment, `${text}\nSaved ${run} times.\n`);
  await rebuilt;
  // The first save warms nothing up that a lead's first save would not: it counts too.
  times.push(performance.now() - saved);
  peak = Math.max(peak, process.memoryUsage().rss);
}
await preview.close();
rmSync(source, { recursive: true, force: true });
times.sort((a, b) => a - b);
process.stdout.write(`${JSON.stringify({ median: times[Math.floor(times.length / 2)], peak: peak / 2 ** 20 })}\n`);
