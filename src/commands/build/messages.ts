/** What `dmreport build` says to people. */
export const description = "Build a month's report from the fragments of a report source";

export const examples = `
Examples:
  $ dmreport build                          # the latest month of the source around you
  $ dmreport build examples/lsst-dm --month 2017-12
  $ dmreport build --month 2017-12 --format md --out dist

The source is found like git finds a repository: the nearest folder at or above
SOURCE (default: the current folder) that holds a dmreport.yaml.

Exit status: 0 built, 1 problems in the source (listed), 2 usage or internal error.`;

export function built(files: readonly string[], month: string, elapsedMs: number): string {
  return `${files.map((file) => `wrote ${file}`).join("\n")}\nbuilt ${month} in ${Math.round(elapsedMs)} ms\n`;
}

export const failed = "nothing was written: fix the errors above and build again\n";
