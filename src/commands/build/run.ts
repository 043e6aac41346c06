/** `dmreport build`: a thin layer over the library's build(). */
import { commandCache } from "../shared/cache.js";
import { relative } from "node:path";
import { buildAll } from "../../archive/index.js";
import { build } from "../../build.js";
import { UsageError } from "../../core/errors.js";
import { hasErrors, type Diagnostic } from "../../core/diagnostics.js";
import { formatDiagnostics, useColor } from "../../reporters/compact.js";
import { stopSignal } from "../shared/stop.js";
import * as messages from "./messages.js";

export interface BuildFlags {
  month?: string;
  format?: string;
  out?: string;
  all?: boolean;
  fresh?: boolean;
}

export async function runBuild(source: string | undefined, flags: BuildFlags): Promise<void> {
  const started = performance.now();
  if (flags.all) return runArchive(source, flags, started);
  const result = await build({
    source,
    month: flags.month,
    formats: flags.format?.split(","),
    out: flags.out,
    signal: stopSignal,
    // Fresh: earlier months are read from their files, not from what the cache kept.
    cache: flags.fresh ? undefined : commandCache(),
  });
  if (reportedFailure(result.diagnostics, result.root)) return;
  const cwd = process.cwd();
  const shown = result.written.map((file) => relative(cwd, file) || file);
  process.stdout.write(messages.built(shown, result.month!, performance.now() - started));
}

async function runArchive(source: string | undefined, flags: BuildFlags, started: number): Promise<void> {
  if (flags.month) throw new UsageError("--all builds every month: leave out --month");
  // A progress bar on a terminal; nothing in CI or when the output is piped.
  const bar = process.stderr.isTTY && !process.env.CI;
  const options = {
    source,
    formats: flags.format?.split(","),
    out: flags.out,
    signal: stopSignal,
    cache: commandCache(),
    fresh: flags.fresh,
  };
  const result = await buildAll(options, (done, total, month) => {
    if (bar) process.stderr.write(`\r${messages.progress(done, total, month)}${done === total ? "\n" : ""}`);
  });
  if (reportedFailure(result.diagnostics, result.root)) return;
  process.stdout.write(
    messages.archived(result.months.length, result.rebuilt.length, result.written.length, performance.now() - started, result.threads),
  );
}

/** Print the diagnostics; true (and exit status 1) when any is an error. */
function reportedFailure(diagnostics: Diagnostic[], root: string): boolean {
  process.stderr.write(formatDiagnostics(diagnostics, { root, cwd: process.cwd(), color: useColor(process.stderr) }));
  if (!hasErrors(diagnostics)) return false;
  process.stderr.write(messages.failed);
  process.exitCode = 1;
  return true;
}
