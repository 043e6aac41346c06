/** Start a report source: a small, complete source that builds and lints clean at once. */
import { existsSync, mkdirSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { UsageError } from "../core/errors.js";
import { endOfMonth, nextMonth } from "../core/calendar.js";
import { SOURCE_FILES } from "../load/index.js";
import { SourceFiles } from "../load/source-files.js";
import { HOMEPAGE, REPOSITORY, VERSION } from "../core/package-root.js";
import { writeSourceFiles } from "../write/source.js";
import { schemaLine, schemaCopies } from "./schemas.js";

export interface InitOptions {
  /** YYYY-MM; the current month when absent. */
  month?: string;
  /** Write into a folder that is not empty (still never overwriting a file). */
  force?: boolean;
  /** The dmreport GitHub Action the workflow uses, `owner/repo@ref`. */
  action?: string;
}

/** The action a new source's workflow uses unless told otherwise: dmreport's repository at this version. */
export const DEFAULT_ACTION = `${REPOSITORY}@v${VERSION}`;

export interface InitResult {
  created: string[];
  /** Files that were there already and were left alone. */
  kept: string[];
}

/** What `npm init` and `npm install` leave in a folder. */
const NPM_FILES = new Set(["package.json", "package-lock.json", "npm-shrinkwrap.json", "node_modules"]);

/** Create a report source in `folder`. Usage problems (a non-empty folder) throw UsageError. */
export function initSource(folder: string, options: InitOptions = {}): InitResult {
  if (options.action !== undefined && !/^[\w.-]+\/[\w./-]+@[\w./-]+$/.test(options.action))
    throw new UsageError(`--action must name a GitHub Action as owner/repo@ref (a tag, branch or commit), got ${options.action}`);
  // A folder holding only dot-entries (`.git` after `git init`, an editor's settings) and npm's
  // files (dmreport installed as a devDependency first) counts as empty.
  const held = existsSync(folder) ? readdirSync(folder).filter((name) => !name.startsWith(".") && !NPM_FILES.has(name)) : [];
  if (held.length > 0 && !options.force)
    throw new UsageError(
      `${folder} is not empty (${held.slice(0, 3).join(", ")}${held.length > 3 ? ", …" : ""}); choose an empty folder, or use --force to add the missing files (no file is ever overwritten)`,
    );
  const month = options.month ?? new Date().toISOString().slice(0, 7);
  const files = starterFiles(month, options.action ?? DEFAULT_ACTION);
  const created: string[] = [];
  const kept: string[] = [];
  mkdirSync(folder, { recursive: true });
  const source = new SourceFiles(folder);
  const writes: { name: string; content: string }[] = [];
  for (const [name, content] of Object.entries(files)) {
    const path = join(folder, name);
    if (existsSync(path)) {
      kept.push(name);
      continue;
    }
    writes.push({ name, content });
    created.push(name);
  }
  // The schemas live in the source, so that editors find them on every clone of it. Every file
  // is checked before any is written: a refusal (a link leading out) leaves the folder as it was.
  const copies = schemaCopies(source);
  writeSourceFiles(source, [...writes, ...copies.outputs]);
  created.push(...copies.outputs.map((output) => output.name));
  kept.push(...copies.unchanged);
  return { created, kept };
}

function starterFiles(month: string, action: string): Record<string, string> {
  let due = month;
  for (let step = 0; step < 3; step++) due = nextMonth(due);
  return {
    "dmreport.yaml": `${schemaLine(SOURCE_FILES.config)}
# The settings of this report; every key is described in ${HOMEPAGE}/blob/v${VERSION}/docs/reference/source.md
title: Monthly Status Report
organisation: Your Project
locale: en-US

# What each WBS lead writes every month, in report order. \`placeholder\` is shown for an
# element that has no fragment this month, or left the section's heading empty.
sections:
  - id: accomplishments
    title: Current accomplishments
    placeholder: No work was performed under this WBS element during this month.
  - id: planned
    title: Planned activities
    placeholder: No work planned.
  - id: recruitment
    title: Recruitment update

# Written once a month by the project office.
parts:
  - id: summary
    title: High-level Summary
  - id: risk
    title: Risk Management

milestones:
  # Level 1 milestones head the Milestone Summary.
  levelsFirst: [1]

# Ticket keys are written PRJ-123; lint flags \`PRJ 123\` and \`PRJ-\` alone.
tickets: [PRJ]
links:
  - name: Tickets
    pattern: '\\bPRJ-\\d+\\b'
    url: 'https://tracker.example.org/browse/{0}'

output:
  name: report-{month}
  formats: [md, html]
`,
    "wbs.yaml": `${schemaLine(SOURCE_FILES.wbs)}
# The Work Breakdown Structure, in report order. Quote codes YAML would read as numbers.
elements:
  - code: "1"
    title: Project Management
    lead: Project Manager
  - code: "2"
    title: Software
    lead: Software Lead
    children:
      - { code: "2.1", title: Pipelines }
      - { code: "2.2", title: Services }
`,
    "milestones.yaml": `${schemaLine(SOURCE_FILES.milestones)}
# The milestone register: stable facts, changed under change control. Each month's status of a
# milestone is written in the fragment of the element that owns it.
milestones:
  - { id: PRJ-M1, title: First pipeline release, level: 1, wbs: "2.1", due: ${endOfMonth(due)} }
`,
    [`months/${month}/summary.md`]: `---
part: summary
month: ${month}
---

The project started keeping its monthly report with dmreport.
`,
    [`months/${month}/1.md`]: `---
wbs: "1"
month: ${month}
---

## Current accomplishments

Set up the monthly report: the WBS tree, the milestone register and this month's folder.

## Planned activities

Each WBS lead writes a fragment for their element (\`dmreport new --month YYYY-MM\` prepares them).
`,
    ".pre-commit-config.yaml": `# Checks every file a build reads (fragments, milestones, the WBS tree, templates, images, the
# publish record) at every commit (pre-commit install).
# It runs the repository's own dmreport (node_modules/.bin/dmreport, after \`npm install\` where
# dmreport is a devDependency; never one committed to the repository), or else the one on your PATH.
repos:
  - repo: local
    hooks:
      - id: dmreport-lint
        name: dmreport lint
        entry: >-
          sh -c 'dmreport=node_modules/.bin/dmreport;
          [ -x "$dmreport" ] && [ -z "$(git ls-files -- node_modules)" ] || dmreport=$(command -v dmreport) || { echo "dmreport is not installed: run npm install (it is a devDependency of this repository) or put dmreport on the PATH" >&2; exit 1; };
          exec "$dmreport" lint --no-error-on-unmatched-pattern -- "$@"' dmreport-lint
        language: system
        # One run for all the files: a YAML file, template or image among them lints the whole source.
        require_serial: true
        files: (^|/)(months/\\d{4}-\\d{2}/.+\\.md|(dmreport|wbs|milestones|published)\\.yaml|schedule/\\d{4}-\\d{2}\\.yaml|\\.dmreport/(published|schemas)/[^/]+\\.(yaml|json)|[^/]+\\.(hbs|css|png|jpe?g|gif|svg|webp|PNG|JPE?G|GIF|SVG|WEBP))$
`,
    ".github/workflows/report.yml": `# Lints every push and pull request (annotations on the changed lines), builds the report,
# uploads it and sums the month up in the job summary, with the dmreport action.
name: report
on: [push, pull_request]
jobs:
  report:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      # The dmreport action: its repository and a tag or commit of it.
      - uses: ${action}
        with:
          command: both
          formats: md,html
`,
    ".gitignore": "build/\ndist/\nnode_modules/\n",
  };
}
