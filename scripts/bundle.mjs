#!/usr/bin/env node
// Bundle the CLI with esbuild: one small entry that loads each command's code only when that
// command runs (code splitting on the dynamic imports), so `dmreport lint` starts fast.
import { build } from "esbuild";
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

rmSync("dist/cli", { recursive: true, force: true });
await build({
  // The archive's worker threads load their own entry, beside the chunks that build the archive.
  entryPoints: [
    { in: "src/cli.ts", out: "cli" },
    { in: "src/archive/worker.ts", out: "chunks/worker" },
  ],
  outdir: "dist/cli",
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  minify: true,
  chunkNames: "chunks/[name]-[hash]",
  legalComments: "none",
  alias: { "js-yaml": "./scripts/js-yaml-unused.cjs" },
  // The browser controller reads files of its own package: it stays a package, loaded when a PDF is made.
  external: ["playwright-core"],
  logLevel: "warning",
  // CommonJS dependencies (gray-matter, handlebars) call require(); give the bundle one.
  banner: { js: 'import { createRequire as __dmreportRequire } from "node:module"; const require = __dmreportRequire(import.meta.url);' },
});

// What `dmreport lint` loads first, as one CommonJS module (bin/dmreport is CommonJS, which Node
// starts sooner than an ES module): the client of the lint server.
await build({
  entryPoints: [{ in: "src/commands/lint/client.ts", out: "lint-client" }],
  outdir: "dist/cli",
  outExtension: { ".js": ".cjs" },
  bundle: true,
  format: "cjs",
  platform: "node",
  target: "node20",
  minify: true,
  legalComments: "none",
  logLevel: "warning",
});

// The same CLI as one CommonJS script, for `dmreport lint` (what pre-commit runs at every commit)
// and `dmreport build`: bin/dmreport runs it through node:vm with V8's code cache, kept in the
// per-user cache folder, so that its code is not compiled again at every run (ES modules have no
// such cache on Node 20). The workbook reader, the PDF metadata library and the browser
// controller stay out: they are required from their packages when a command needs them. Its
// code finds the files it starts (the archive's worker) as the ES module chunks do: it takes the
// place of one of them.
await build({
  entryPoints: [{ in: "src/cli.ts", out: "cli" }],
  outdir: "dist/cli",
  outExtension: { ".js": ".cjs" },
  bundle: true,
  format: "cjs",
  platform: "node",
  target: "node20",
  minify: true,
  legalComments: "none",
  alias: { "js-yaml": "./scripts/js-yaml-unused.cjs" },
  external: ["@e965/xlsx", "pdf-lib", "playwright-core"],
  // Run through node:vm, the bundle has no loader for import(): those packages are required.
  supported: { "dynamic-import": false },
  define: { "import.meta.url": "__dmreportUrl" },
  banner: {
    js: 'const __dmreportUrl = require("node:url").pathToFileURL(require("node:path").join(__dirname, "chunks", "cli.cjs")).href;',
  },
  logLevel: "warning",
});

// What this build of dmreport is, beyond its version: a digest of everything it runs (the compiled
// modules and the bundles, with the libraries bundled in). What dmreport keeps between runs (the
// archive's months, their parsed and rendered content, the milestone history) is kept under it, so
// that a dmreport built anew with the same version number (installed from a branch) reuses
// nothing an older build made.
const digest = createHash("sha256");
const filesUnder = (folder) =>
  readdirSync(folder, { withFileTypes: true })
    .sort((a, b) => (a.name < b.name ? -1 : 1))
    .flatMap((entry) => (entry.isDirectory() ? filesUnder(join(folder, entry.name)) : [join(folder, entry.name)]));
for (const file of filesUnder("dist")) if (/\.(c?js|json)$/.test(file)) digest.update(file).update("\0").update(readFileSync(file));
writeFileSync(join("dist", "build-id"), `${digest.digest("hex").slice(0, 16)}\n`);
