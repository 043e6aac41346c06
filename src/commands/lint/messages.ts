/** What `dmreport lint` says to people. */
import { printable } from "../../reporters/printable.js";

export const description = "Check a report source, or some of its files, for problems";

export const examples = `
Examples:
  $ dmreport lint                                   # every file of the source around you
  $ dmreport lint months/2017-12/02C.04.06.md       # one fragment, judged with its month and register
  $ dmreport lint --format github                   # annotations on a GitHub pull request
  $ dmreport lint --fix                             # fix ticket keys, dates and trailing spaces

A path that does not exist, or names no file of a report source, is an error (exit status 2)
unless --no-error-on-unmatched-pattern is given. A change to dmreport.yaml, wbs.yaml,
milestones.yaml, published.yaml, a schedule snapshot, a template or an image lints the whole
source, since it can break any fragment or change a published month. A fragment of a published
month (or of one before it) is checked to leave that month's outputs as published.

Exit status: 0 clean, 1 problems found (errors, or more warnings than --max-warnings),
2 a path that names nothing, a usage or an internal error.`;

export function fixed(count: number, files: number): string {
  return `fixed ${count} problem${count === 1 ? "" : "s"} in ${files} file${files === 1 ? "" : "s"}\n`;
}

export function unmatched(reason: string): string {
  return `dmreport: ${printable(reason)}; nothing was checked for it (--no-error-on-unmatched-pattern leaves such paths out)\n`;
}
