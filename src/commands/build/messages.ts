/** What `dmreport build` says to people. */
import { printable } from "../../reporters/printable.js";

export const description = "Build a month's report from the fragments of a report source";

export const examples = `
Examples:
  $ dmreport build                          # the latest month of the source around you
  $ dmreport build examples/lsst-dm --month 2017-12
  $ dmreport build --month 2017-12 --format md --out dist
  $ dmreport build --all --format md,html        # every month, and an index page

The source is found like git finds a repository: the nearest folder at or above
SOURCE (default: the current folder) that holds a dmreport.yaml.

What is kept between builds only saves time: with --all, which months are built
(OUT/.dmreport-cache/) and each month's parsed and rendered fragments (in the
per-user cache folder: $DMREPORT_CACHE_DIR, else $XDG_CACHE_HOME/dmreport, else
~/.cache/dmreport); for every build, what earlier months reported and dmreport's
own compiled code. --fresh uses nothing kept of the source; deleting any of it
is always safe.

Exit status: 0 built, 1 problems in the source (listed), 2 usage or internal error.`;

export function built(files: readonly string[], month: string, elapsedMs: number): string {
  return `${files.map((file) => `wrote ${printable(file)}`).join("\n")}\nbuilt ${month} in ${Math.round(elapsedMs)} ms\n`;
}

export function progress(done: number, total: number, month: string): string {
  const width = 30;
  const filled = Math.round((done / total) * width);
  return `building ${month} [${"#".repeat(filled)}${".".repeat(width - filled)}] ${done}/${total}`;
}

export function archived(months: number, rebuilt: number, files: number, elapsedMs: number, threads = 1): string {
  const on = threads > 1 ? ` on ${threads} threads` : "";
  const written = files === 0 ? "nothing written" : `${files} file${files === 1 ? "" : "s"} written`;
  return `built ${months} month${months === 1 ? "" : "s"} (${rebuilt} rebuilt, ${months - rebuilt} unchanged)${on}, ${written}, in ${Math.round(elapsedMs)} ms\n`;
}

export const failed = "nothing was written: fix the errors above and build again\n";
