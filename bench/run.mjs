#!/usr/bin/env node
// Benchmark (not a test): dmreport's workloads against baselines measured in the same run on the
// same machine — `node -e 0`, the bare unified pipeline (the library floor), Eleventy over the
// same corpus, markdownlint-cli2 on one file — over synthetic sources of 60, 600 and 6,000
// fragments made from a fixed seed. Medians; ratios; peak memory. Writes bench/RESULTS.md.
import { spawnSync } from "node:child_process";
import { appendFileSync, cpSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { writeCorpus } from "./corpus.mjs";
import { scheduleExport } from "./schedule-export.mjs";

const repo = join(dirname(fileURLToPath(import.meta.url)), "..");
const work = join(repo, "bench", ".work");
const node = process.execPath;
const cli = join(repo, "bin", "dmreport");
const eleventy = join(repo, "node_modules", "@11ty", "eleventy", "cmd.cjs");
const markdownlint = join(repo, "node_modules", "markdownlint-cli2", "markdownlint-cli2-bin.mjs");
const small = Number(process.env.BENCH_RUNS ?? 9);
const large = Number(process.env.BENCH_RUNS_LARGE ?? 3);

/**
 * Median wall time (ms) and the largest peak RSS (MiB) of `runs` runs, after one warm-up (unless
 * `warmUp` is false). With `beside`, a run of `node -e 0` follows each run, and the row's ratio is
 * to their median: a workload that is mostly Node's own start is measured against it under the
 * same load of the machine, not against a figure taken minutes earlier.
 */
function measure(
  name,
  args,
  { cwd = repo, runs = small, before = () => undefined, okStatus = [0], env = process.env, warmUp = true, beside = false } = {},
) {
  const times = [];
  const baseline = [];
  let peak = 0;
  const timed = (argv) => {
    const started = process.hrtime.bigint();
    const result = spawnSync("/usr/bin/time", ["-f", "%M", node, ...argv], { cwd, encoding: "utf8", maxBuffer: 64 * 1024 * 1024, env });
    return { result, elapsed: Number(process.hrtime.bigint() - started) / 1e6 };
  };
  for (let run = warmUp ? 0 : 1; run <= runs; run++) {
    before();
    const { result, elapsed } = timed(args);
    if (!okStatus.includes(result.status)) throw new Error(`${name} failed (${result.status}):\n${result.stderr.slice(-2000)}`);
    const rss = Number(result.stderr.trim().split("\n").pop()) / 1024;
    if (run > 0) {
      times.push(elapsed);
      peak = Math.max(peak, rss);
      if (beside) baseline.push(timed(["-e", "0"]).elapsed);
    }
  }
  const median = (values) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)];
  const row = { name: beside ? `${name} †` : name, median: median(times), peak };
  if (beside) row.node = median(baseline);
  process.stdout.write(
    `${row.name}: ${row.median.toFixed(0)} ms, peak ${peak.toFixed(0)} MiB${beside ? `, node -e 0 beside it ${row.node.toFixed(0)} ms` : ""}\n`,
  );
  return row;
}

rmSync(work, { recursive: true, force: true });
// dmreport's per-user cache (earlier months' milestone history) lives with the benchmark's files.
process.env.DMREPORT_CACHE_DIR = join(work, "cache");
const corpora = {};
for (const size of [60, 600, 6000])
  corpora[size] = { folder: join(work, `source-${size}`), ...writeCorpus(join(work, `source-${size}`), size) };
// Twenty years of a project with 100 WBS elements (#26), ending before today.
corpora[24000] = { folder: join(work, "source-24000"), ...writeCorpus(join(work, "source-24000"), 24000, 42, 100, 2000) };
const out = (name) => join(work, "out", name);
const fresh = (name) => () => rmSync(out(name), { recursive: true, force: true });
// A cold archive build has nothing kept: neither outputs nor, in the user's cache, the months'
// parsed and rendered content. Its cache folder is its own, emptied before each run; the runs
// after one change use what the last cold build kept, as a user's next build would.
const archiveCache = (size) => join(work, `cache-${size}`);
// A build --all without a code cache has one made in the background (a month built by a warm-up):
// it ends before the next run, or the next measurement, starts.
const warmUpsEnded = (size) => {
  const warming = () => existsSync(archiveCache(size)) && readdirSync(archiveCache(size)).some((name) => name.endsWith(".warming"));
  for (let waited = 0; waited < 60_000 && warming(); waited += 100) spawnSync("sleep", ["0.1"]);
};
const coldArchive = (size) => ({
  env: { ...process.env, DMREPORT_CACHE_DIR: archiveCache(size) },
  before: () => {
    warmUpsEnded(size);
    fresh(`all${size}`)();
    rmSync(archiveCache(size), { recursive: true, force: true });
  },
});

const results = {};
results.node = measure("node -e 0", ["-e", "0"]);
const one = corpora[60];
// Lint, lever by lever. Cold: the first run on a machine (an empty cache folder; it starts the
// lint server and makes the code cache in the background, which then finish before the next run).
// Then with nothing kept (DMREPORT_NO_CACHE=1, as every run was before the levers); with the
// code cache only (DMREPORT_NO_SERVER=1, as on Windows, or where a user turns the server off);
// and as pre-commit calls it, answered by the lint server.
const lintArgs = [cli, "lint", one.firstFragment];
const coldCache = join(work, "cold-cache");
const settle = () => spawnSync("sleep", ["2"]);
results.lintCold = measure("dmreport lint one fragment, cold (empty cache folder: starts the lint server)", lintArgs, {
  cwd: one.folder,
  env: { ...process.env, DMREPORT_CACHE_DIR: coldCache, DMREPORT_LINT_SERVER_IDLE_MS: "1000" },
  before: () => {
    settle();
    rmSync(coldCache, { recursive: true, force: true });
  },
});
settle();
results.lintNoCodeCache = measure("dmreport lint one fragment, nothing kept (DMREPORT_NO_CACHE=1)", lintArgs, {
  cwd: one.folder,
  env: { ...process.env, DMREPORT_NO_CACHE: "1" },
});
const noServer = { ...process.env, DMREPORT_NO_SERVER: "1" };
spawnSync(node, lintArgs, { cwd: one.folder, env: noServer });
const cacheHas = (prefix) =>
  existsSync(process.env.DMREPORT_CACHE_DIR) && readdirSync(process.env.DMREPORT_CACHE_DIR).some((name) => name.startsWith(prefix));
for (let waited = 0; !cacheHas("code-lint-") && waited < 30_000; waited += 100) spawnSync("sleep", ["0.1"]);
results.lintCodeCache = measure("dmreport lint one fragment, code cache warm, no server (DMREPORT_NO_SERVER=1)", lintArgs, {
  cwd: one.folder,
  env: noServer,
});
spawnSync(node, lintArgs, { cwd: one.folder });
for (let waited = 0; !cacheHas("lint-") && waited < 30_000; waited += 100) spawnSync("sleep", ["0.1"]);
// Warm as after a few commits: the server has loaded its code and its JIT has seen the work.
for (let run = 0; run < 5; run++) spawnSync(node, lintArgs, { cwd: one.folder });
results.lintOne = measure("dmreport lint one fragment (as pre-commit calls it: the lint server answers)", lintArgs, {
  cwd: one.folder,
  beside: true,
});
// The server's own memory, which the client's peak does not count.
const server = spawnSync("pgrep", ["-f", "-n", "commands/lint/server.js"], { encoding: "utf8" }).stdout.trim();
const serverPeak = server
  ? Number(/VmHWM:\s+(\d+)/.exec(spawnSync("cat", [`/proc/${server}/status`], { encoding: "utf8" }).stdout)?.[1] ?? 0) / 1024
  : 0;
process.stdout.write(`lint server: peak ${serverPeak.toFixed(0)} MiB\n`);
results.markdownlint = measure("markdownlint-cli2 on the same fragment", [markdownlint, one.firstFragment], {
  cwd: one.folder,
  okStatus: [0, 1],
});
// In a source ten years old, pre-commit's lint needs every earlier month's milestones: from the
// history cache, which the warm-up run fills, as the first commit of the day would.
const latest = corpora[6000].firstFragment.replace(corpora[6000].months[0], corpora[6000].months[corpora[6000].months.length - 1]);
results.lintLate = measure(
  "dmreport lint one fragment of the 100th month (6,000 in the source; the server answers)",
  [cli, "lint", latest],
  { cwd: corpora[6000].folder, beside: true },
);
results.lintMonth = measure("dmreport lint a whole month (60 fragments; the server answers)", [cli, "lint"], { cwd: one.folder });
results.buildMonth = measure("dmreport build one month, md + html (60)", [cli, "build", "--format", "md,html", "--out", out("month")], {
  cwd: one.folder,
  before: fresh("month"),
});
results.eleventy60 = measure("Eleventy, the same 60 fragments", [eleventy, "--input=months", `--output=${out("e60")}`, "--quiet"], {
  cwd: one.folder,
  before: fresh("e60"),
});
results.floor60 = measure("bare unified pipeline, 60 fragments", [join(repo, "bench", "unified-floor.mjs"), "months", out("u60")], {
  cwd: one.folder,
  before: fresh("u60"),
});

for (const size of [600, 6000]) {
  const corpus = corpora[size];
  const runs = size === 6000 ? large : Math.max(large, 5);
  results[`all${size}`] = measure(
    `dmreport build --all, md + html, cold (${size})`,
    [cli, "build", "--all", "--format", "md,html", "--out", out(`all${size}`)],
    { cwd: corpus.folder, runs, ...coldArchive(size) },
  );
  warmUpsEnded(size);
  results[`eleventy${size}`] = measure(
    `Eleventy, the same ${size} fragments`,
    [eleventy, "--input=months", `--output=${out(`e${size}`)}`, "--quiet"],
    { cwd: corpus.folder, runs, before: fresh(`e${size}`) },
  );
  results[`floor${size}`] = measure(
    `bare unified pipeline, ${size} fragments`,
    [join(repo, "bench", "unified-floor.mjs"), "months", out(`u${size}`)],
    { cwd: corpus.folder, runs, before: fresh(`u${size}`) },
  );
}
// After one fragment changes: the archive built once, then one fragment of a middle month touched before each run.
let touches = 0;
const afterOneChange = (size) => {
  const archive = corpora[size];
  const touched = join(archive.folder, "months", archive.months[Math.floor(archive.months.length / 2)], "B.3.2.md");
  const env = { ...process.env, DMREPORT_CACHE_DIR: archiveCache(size) };
  if (!existsSync(join(out(`all${size}`), ".dmreport-cache")))
    spawnSync(node, [cli, "build", "--all", "--format", "md,html", "--out", out(`all${size}`)], { cwd: archive.folder, env });
  // The cold build before wrote thousands of files: their writing to disk is not this row's. Its
  // warm-up ends first, as it would between a user's builds.
  warmUpsEnded(size);
  spawnSync("sync");
  return measure(
    `dmreport build --all after one fragment changed (${size})`,
    [cli, "build", "--all", "--format", "md,html", "--out", out(`all${size}`)],
    {
      cwd: archive.folder,
      runs: Math.max(large, 5),
      env,
      before: () => appendFileSync(touched, `\nOne more line, ${++touches}.\n`),
    },
  );
};
results.touched = afterOneChange(6000);
// Twenty years, 24,000 fragments: one cold build (no warm-up: a cold build of this size is its own warm-up), then one change.
results.all24000 = measure(
  "dmreport build --all, md + html, cold (24,000: 240 months of 100)",
  [cli, "build", "--all", "--format", "md,html", "--out", out("all24000")],
  { cwd: corpora[24000].folder, runs: 1, warmUp: false, ...coldArchive(24000) },
);
results.touched24000 = afterOneChange(24000);
rmSync(corpora[24000].folder, { recursive: true, force: true });
rmSync(out("all24000"), { recursive: true, force: true });

// The preview: one fragment of the December example saved while the server shows it, against a
// cold build of that month's HTML.
const december = join(work, "lsst-dm");
cpSync(join(repo, "examples", "lsst-dm"), december, { recursive: true });
results.decemberCold = measure(
  "dmreport build the December 2017 example, html, cold",
  [cli, "build", "--month", "2017-12", "--format", "html", "--out", out("december")],
  { cwd: december, before: fresh("december") },
);
/** A benchmark script of its own, run once; its JSON result. */
const script = (what, name, args) => {
  const run = spawnSync(node, [join(repo, "bench", name), ...args], { encoding: "utf8" });
  if (run.status !== 0) throw new Error(`the benchmark of ${what} failed:\n${run.stderr}`);
  return JSON.parse(run.stdout);
};
const row = (name, figures) => {
  process.stdout.write(`${name}: ${figures.median.toFixed(0)} ms, peak ${figures.peak.toFixed(0)} MiB\n`);
  return { name, ...figures };
};
results.previewRebuild = row(
  "dmreport preview: one December fragment saved → pages told (in the server)",
  script("the preview", "preview-rebuild.mjs", [String(small)]),
);
const decade = corpora[6000];
const lastMonth = decade.months[decade.months.length - 1];
results.previewDecade = row(
  "dmreport preview: one fragment of the 100th month saved → pages told (6,000 in the source)",
  script("the preview at 100 months", "preview-rebuild.mjs", [String(small), decade.folder, lastMonth, "B.1.1.md"]),
);

// The language server: a keystroke in a December fragment open in an editor, to its diagnostics.
const lspRun = spawnSync(node, [join(repo, "bench", "lsp-keystroke.mjs"), String(Math.max(small, 21))], { encoding: "utf8" });
if (lspRun.status !== 0) throw new Error(`the language server benchmark failed:\n${lspRun.stderr}`);
results.lspKeystroke = {
  name: "dmreport lsp: one keystroke in a January 2018 fragment → its diagnostics (warm server)",
  ...JSON.parse(lspRun.stdout),
};
process.stdout.write(`${results.lspKeystroke.name}: ${results.lspKeystroke.median.toFixed(0)} ms\n`);
// The same at ten years: a fragment of the 100th month of the 6,000-fragment source.
const lspDecade = spawnSync(node, [join(repo, "bench", "lsp-keystroke.mjs"), String(Math.max(small, 21)), decade.folder, latest, "1:11"], {
  encoding: "utf8",
});
if (lspDecade.status !== 0) throw new Error(`the language server benchmark at 100 months failed:\n${lspDecade.stderr}`);
results.lspKeystrokeDecade = {
  name: "dmreport lsp: one keystroke in a fragment of the 100th month (6,000 in the source)",
  ...JSON.parse(lspDecade.stdout),
};
process.stdout.write(`${results.lspKeystrokeDecade.name}: ${results.lspKeystrokeDecade.median.toFixed(0)} ms\n`);
// First hover and completion on a milestone id of a fragment just opened, and a hover after a
// burst of 1,000 changes: January 2018 of the example, and the 100th month (the fragment that
// reports a milestone due then).
const withMilestone = readdirSync(join(decade.folder, "months", lastMonth)).find((name) =>
  readFileSync(join(decade.folder, "months", lastMonth, name), "utf8").includes("  - id: BM-"),
);
const answers = {
  2: script("the language server's answers", "lsp-answers.mjs", [
    String(large + 2),
    join(repo, "examples", "lsst-dm"),
    "months/2018-01/02C.03.10.md",
    "4:10",
  ]),
  100: script("the language server's answers at 100 months", "lsp-answers.mjs", [
    String(large + 2),
    decade.folder,
    `months/${lastMonth}/${withMilestone}`,
    "4:10",
  ]),
};
for (const [months, label] of [
  [2, "a January 2018 fragment"],
  [100, "a fragment of the 100th month"],
]) {
  const figures = answers[months];
  const where = months === 2 ? "" : " (6,000 in the source)";
  results[`lspHover${months}`] = row(`dmreport lsp: first hover on a milestone of ${label} just opened${where}`, {
    median: figures.hover,
    peak: figures.peak,
  });
  results[`lspCompletion${months}`] = row(`dmreport lsp: first completion of milestone ids there${where}`, {
    median: figures.completion,
    peak: figures.peak,
  });
  results[`lspBurst${months}`] = row(
    `dmreport lsp: a hover sent after 1,000 changes sent at once (${figures.burst.published} diagnostics published after them, ${figures.burst.lastOnly ? "for the last version only" : "some for versions gone"})${where}`,
    { median: figures.burst.hover, peak: figures.peak },
  );
}

// A lint of one fragment of published December, as pre-commit calls it (the server answers): the
// fragment as published (its digest is what the month read: nothing rendered), and edited (the
// month rendered again in every published format and found changed, exit status 1).
const decemberFragment = "months/2017-12/02C.03.03.md";
for (let run = 0; run < 5; run++) spawnSync(node, [cli, "lint", decemberFragment], { cwd: december });
results.lintPublished = measure("dmreport lint one fragment of a published month (the server answers)", [cli, "lint", decemberFragment], {
  cwd: december,
});
appendFileSync(join(december, decemberFragment), "\nA late addition.\n");
for (let run = 0; run < 3; run++) spawnSync(node, [cli, "lint", decemberFragment], { cwd: december });
results.lintPublishedEdited = measure(
  "dmreport lint one fragment of a published month, edited: the month checked again (the server answers)",
  [cli, "lint", decemberFragment],
  { cwd: december, okStatus: [1] },
);

// Importing a schedule export: 1,000 rows against 100,000, each into a fresh copy of the example
// (with limits raised, so that 100,000 are written and not refused).
for (const rows of [1000, 100_000]) {
  const exportFile = join(work, `export-${rows}.csv`);
  writeFileSync(exportFile, scheduleExport(rows));
  const target = join(work, `import-${rows}`);
  results[`import${rows}`] = measure(
    `dmreport import-milestones, ${rows.toLocaleString("en-US")} rows`,
    [cli, "import-milestones", exportFile, "--month", "2018-02", "--source", target],
    {
      runs: rows > 1000 ? large : small,
      before: () => {
        rmSync(target, { recursive: true, force: true });
        cpSync(join(repo, "examples", "lsst-dm"), target, { recursive: true });
        rmSync(join(target, "published.yaml"));
        rmSync(join(target, ".dmreport", "published"), { recursive: true });
        appendFileSync(join(target, "dmreport.yaml"), "\nlimits: { fileBytes: 100000000 }\n");
      },
    },
  );
}

const ratio = (a, b) => a.median / b.median;
/** A row's ratio to `node -e 0`: the runs measured beside it where there are, else the figure at the start. */
const timesNode = (row) => row.median / (row.node ?? results.node.median);
const goals = [
  ["lint one fragment ≤ 1.5× `node -e 0`", timesNode(results.lintOne), 1.5],
  ["lint one fragment with the code cache ≤ without it", ratio(results.lintCodeCache, results.lintNoCodeCache), 1.0],
  ["lint one fragment, cold, ≤ nothing kept", ratio(results.lintCold, results.lintNoCodeCache), 1.0],
  ["lint one fragment ≤ 0.3× markdownlint-cli2", ratio(results.lintOne, results.markdownlint), 0.3],
  ["build one month (60, md + html) ≤ 0.5× Eleventy", ratio(results.buildMonth, results.eleventy60), 0.5],
  ["`build --all` 6,000 cold ≤ 1.0× Eleventy", ratio(results.all6000, results.eleventy6000), 1.0],
  ["`build --all` after one change ≤ 0.1× Eleventy cold", ratio(results.touched, results.eleventy6000), 0.1],
  ["`build --all` 600 → 6,000 grows ≤ 11×", ratio(results.all6000, results.all600), 11],
  [
    "preview rebuild after one fragment ≤ 300 ms (× a cold build of the month)",
    ratio(results.previewRebuild, results.decemberCold),
    300 / results.decemberCold.median,
  ],
  [
    "lint one fragment of a published month ≤ 300 ms (× `node -e 0`)",
    ratio(results.lintPublished, results.node),
    300 / results.node.median,
  ],
  [
    "lint one edited fragment of a published month ≤ 300 ms (× `node -e 0`)",
    ratio(results.lintPublishedEdited, results.node),
    300 / results.node.median,
  ],
  ["lsp diagnostics after a keystroke ≤ 50 ms (× `node -e 0`)", ratio(results.lspKeystroke, results.node), 50 / results.node.median],
  ["lsp keystroke at 100 months ≤ 1× `node -e 0` (#26)", ratio(results.lspKeystrokeDecade, results.node), 1],
  ["lsp keystroke at 100 months ≤ 2× its 2-month figure (#26)", ratio(results.lspKeystrokeDecade, results.lspKeystroke), 2],
  ["lsp first hover at 100 months ≤ 100 ms (× `node -e 0`)", ratio(results.lspHover100, results.node), 100 / results.node.median],
  ["lsp first completion at 100 months ≤ 100 ms (× `node -e 0`)", ratio(results.lspCompletion100, results.node), 100 / results.node.median],
  [
    "lsp hover after a burst of 1,000 changes ≤ 100 ms, at 100 months (× `node -e 0`)",
    ratio(results.lspBurst100, results.node),
    100 / results.node.median,
  ],
  ["preview save-to-page at 100 months ≤ 2× its 2-month figure", ratio(results.previewDecade, results.previewRebuild), 2],
  ["lint one fragment through the server at 100 months ≤ 1.5× `node -e 0`", timesNode(results.lintLate), 1.5],
  ["`build --all` 6,000 → 24,000 cold grows ≤ 4.5×", ratio(results.all24000, results.all6000), 4.5],
  ["`build --all` 24,000 after one change ≤ 1.5 s (× `node -e 0`)", ratio(results.touched24000, results.node), 1500 / results.node.median],
  ["import 100,000 rows < 10 s (× `node -e 0`)", ratio(results.import100000, results.node), 10_000 / results.node.median],
  ["import 1,000 → 100,000 rows grows ≤ 100× (linear)", ratio(results.import100000, results.import1000), 100],
];
const memory = Math.max(results.all6000.peak, results.touched.peak);
const memory24000 = Math.max(results.all24000.peak, results.touched24000.peak);
const servers = Math.max(results.previewDecade.peak, results.lspKeystrokeDecade.peak, results.lspHover100.peak);
const bursts = [answers[2].burst, answers[100].burst];
const table = [
  "# Benchmark results",
  "",
  `\`npm run bench\`: medians of ${small} runs (${large}–5 for the large workloads, one for the cold build of 24,000), on ${cpus().length} cores (${cpus()[0]?.model ?? "unknown CPU"}), Node ${process.version}; synthetic sources of 1.6 KB fragments, 60 a month, seed 42.`,
  "",
  "| workload | median | peak memory | × `node -e 0` |",
  "| --- | ---: | ---: | ---: |",
  ...Object.values(results).map(
    (row) => `| ${row.name} | ${row.median.toFixed(0)} ms | ${row.peak.toFixed(0)} MiB | ${timesNode(row).toFixed(2)} |`,
  ),
  "",
  "† `node -e 0` was run after each run of this workload, and its ratio is to the median of those runs (" +
    Object.values(results)
      .filter((row) => row.node !== undefined)
      .map((row) => `${row.node.toFixed(0)} ms`)
      .join(", ") +
    "): the ratio of a workload that is mostly Node's own start, under the same load of the machine.",
  "",
  "| goal | measured | met |",
  "| --- | ---: | :---: |",
  ...goals.map(([goal, value, limit]) => `| ${goal} | ${value.toFixed(2)}× | ${value <= limit ? "yes" : "no"} |`),
  `| peak memory of \`build --all\` (6,000) ≤ 300 MiB | ${memory.toFixed(0)} MiB | ${memory <= 300 ? "yes" : "no"} |`,
  `| peak memory of \`build --all\` (24,000) ≤ 500 MiB | ${memory24000.toFixed(0)} MiB | ${memory24000 <= 500 ? "yes" : "no"} |`,
  `| peak memory of the language server and the preview at 100 months ≤ 300 MiB | ${servers.toFixed(0)} MiB | ${servers <= 300 ? "yes" : "no"} |`,
  `| a burst of 1,000 changes: diagnostics published once, for the last version | ${bursts.map((burst) => burst.published).join(", ")} | ${bursts.every((burst) => burst.published === 1 && burst.lastOnly) ? "yes" : "no"} |`,
  "",
  `The lint server's own peak memory, after the runs above: ${serverPeak.toFixed(0)} MiB.`,
  "",
].join("\n");
writeFileSync(join(repo, "bench", "RESULTS.md"), table);
process.stdout.write(`\n${table}`);
rmSync(work, { recursive: true, force: true });
