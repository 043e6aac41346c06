/** What `dmreport lint` says to people. */
export const description = "Check a report source, or some of its files, for problems";

export const examples = `
Examples:
  $ dmreport lint                                   # every file of the source around you
  $ dmreport lint months/2017-12/02C.04.06.md       # one fragment, judged with its month and register
  $ dmreport lint --format github                   # annotations on a GitHub pull request
  $ dmreport lint --fix                             # fix ticket keys, dates and trailing spaces

Files that are not part of a report source are skipped. A change to dmreport.yaml, wbs.yaml
or milestones.yaml lints the whole source, since it can break any fragment.

Exit status: 0 clean, 1 problems found (errors, or more warnings than --max-warnings),
2 usage or internal error.`;

export function fixed(count: number, files: number): string {
  return `fixed ${count} problem${count === 1 ? "" : "s"} in ${files} file${files === 1 ? "" : "s"}\n`;
}
