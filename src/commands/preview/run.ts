/** `dmreport preview`: a thin layer over startPreview(), until Ctrl-C. */
import { spawn } from "node:child_process";
import { commandCache } from "../shared/cache.js";
import { plural } from "../../reporters/compact.js";
import { startPreview } from "../../preview/index.js";
import type { SiteState } from "../../preview/site.js";

export interface PreviewFlags {
  month?: string;
  all?: boolean;
  port: number;
  open?: boolean;
}

export async function runPreview(source: string | undefined, flags: PreviewFlags): Promise<void> {
  const say = (state: SiteState) => {
    const errors = state.diagnostics.filter((found) => found.severity === "error").length;
    const warnings = state.diagnostics.length - errors;
    const done = state.version === 1 ? "built" : "rebuilt";
    const verdict = errors
      ? `${plural(errors, "error")}: ${state.pages.size ? "showing the last report that built" : "nothing to show until they are fixed"}`
      : `${done}${warnings ? `, ${plural(warnings, "warning")}` : ""}`;
    process.stdout.write(`${new Date().toTimeString().slice(0, 8)}  ${verdict} (${Math.round(state.took)} ms)\n`);
  };
  const watching = (event: "lost" | "watching") =>
    process.stdout.write(
      `${new Date().toTimeString().slice(0, 8)}  ${event === "lost" ? "the source folder is gone (renamed or removed): watching for it to come back" : "watching the source folder again"}\n`,
    );
  const listening = (url: string) => process.stdout.write(`dmreport preview: ${url}  (Ctrl-C to stop)\n`);
  // Heard from the moment the address is printed: a Ctrl-C during the first build stops it once it is done.
  const stopped = new Promise<void>((done) => {
    for (const name of ["SIGINT", "SIGTERM"] as const) process.once(name, () => done());
  });
  const preview = await startPreview({
    source,
    month: flags.month,
    all: flags.all,
    port: flags.port,
    cache: commandCache(),
    onListening: listening,
    onRebuild: say,
    onWatch: watching,
  });
  if (flags.open) openInBrowser(preview.url);
  await stopped;
  await preview.close();
  process.stdout.write("stopped\n");
}

/** The desktop's way of opening a URL; where there is none, the URL printed above serves. */
function openInBrowser(url: string): void {
  const command =
    process.platform === "darwin" ? ["open", url] : process.platform === "win32" ? ["cmd", "/c", "start", "", url] : ["xdg-open", url];
  try {
    const child = spawn(command[0]!, command.slice(1), { stdio: "ignore", detached: true });
    child.on("error", () => process.stderr.write(`could not open a browser: open ${url} yourself\n`));
    child.unref();
  } catch {
    process.stderr.write(`could not open a browser: open ${url} yourself\n`);
  }
}
