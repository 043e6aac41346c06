#!/usr/bin/env node
// Benchmark (not a test): wall time of dmreport's workloads against `node -e 0`, measured in the
// same run on the same machine. Medians of several runs; results as ratios, written to
// bench/RESULTS.md.
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const repo = join(dirname(fileURLToPath(import.meta.url)), "..");
const cli = join(repo, "bin", "dmreport");
const example = join(repo, "examples", "lsst-dm");
const runs = Number(process.env.BENCH_RUNS ?? 9);

function time(command, args, cwd = repo) {
  const times = [];
  for (let run = 0; run < runs + 1; run++) {
    const started = process.hrtime.bigint();
    const result = spawnSync(command, args, { cwd, encoding: "utf8" });
    const elapsed = Number(process.hrtime.bigint() - started) / 1e6;
    if (result.status !== 0) throw new Error(`${command} ${args.join(" ")} failed:\n${result.stderr}`);
    if (run > 0) times.push(elapsed); // the first run warms the file cache
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

const out = join(repo, "bench", ".out");
const workloads = [
  ["`node -e 0`", () => time(process.execPath, ["-e", "0"])],
  ["lint one fragment (as pre-commit calls it)", () => time(process.execPath, [cli, "lint", "months/2017-12/02C.04.06.md"], example)],
  ["lint the whole source (59 fragments)", () => time(process.execPath, [cli, "lint"], example)],
  ["build one month, md", () => time(process.execPath, [cli, "build", "--month", "2017-12", "--format", "md", "--out", out], example)],
  ["build one month, md + html", () => time(process.execPath, [cli, "build", "--month", "2017-12", "--format", "md,html", "--out", out], example)],
];

const rows = [];
let baseline;
for (const [name, measure] of workloads) {
  const median = measure();
  baseline ??= median;
  rows.push(`| ${name} | ${median.toFixed(0)} ms | ${(median / baseline).toFixed(2)}× |`);
  process.stdout.write(`${name}: ${median.toFixed(0)} ms (${(median / baseline).toFixed(2)}× node -e 0)\n`);
}
spawnSync("rm", ["-rf", out]);
const table = [
  "# Benchmark results",
  "",
  `Medians of ${runs} runs on ${cpus().length} cores (${cpus()[0]?.model ?? "unknown CPU"}), Node ${process.version}, the December 2017 example.`,
  "",
  "| workload | median | ratio to `node -e 0` |",
  "| --- | --- | --- |",
  ...rows,
  "",
].join("\n");
writeFileSync(join(repo, "bench", "RESULTS.md"), table);
