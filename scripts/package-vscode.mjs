#!/usr/bin/env node
// Package the VS Code extension in editors/vscode/ as a .vsix: type-check it, bundle it with the
// language client into one file (so the package needs no node_modules), then `vsce package`.
// Usage: node scripts/package-vscode.mjs [OUT.vsix]  (default: dist/dmreport-vscode.vsix)
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const repo = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const extension = join(repo, "editors", "vscode");
const out = resolve(process.argv[2] ?? join(repo, "dist", "dmreport-vscode.vsix"));

const run = (command, args, cwd = repo) => {
  const result = spawnSync(command, args, { cwd, encoding: "utf8" });
  if (result.status !== 0) {
    process.stderr.write(`${result.stdout}${result.stderr}`);
    process.exit(1);
  }
  return result.stdout;
};

run(process.execPath, [join(repo, "node_modules", "typescript", "bin", "tsc"), "-p", join(extension, "tsconfig.json")]);
await build({
  entryPoints: [join(extension, "src", "extension.ts")],
  outfile: join(extension, "dist", "extension.js"),
  bundle: true,
  format: "cjs",
  platform: "node",
  target: "node20",
  external: ["vscode"],
  minify: true,
  legalComments: "none",
  logLevel: "warning",
});
mkdirSync(dirname(out), { recursive: true });
const vsce = join(repo, "node_modules", "@vscode", "vsce", "vsce");
run(process.execPath, [vsce, "package", "--no-dependencies", "--out", out], extension);
const { version } = JSON.parse(readFileSync(join(extension, "package.json"), "utf8"));
process.stdout.write(`wrote ${out} (dmreport for VS Code ${version})\n`);
