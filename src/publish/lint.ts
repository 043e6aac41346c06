/**
 * Lint's door to the publish guard: the published months a lint's files can touch, each rendered
 * again when something it read has changed, so that the pre-commit hook and the editor stop an
 * edit of a filed month where it is made, before a build meets it.
 */
import { renderMonth } from "../build.js";
import { mergeReport } from "../merge/index.js";
import { diagnostic, hasErrors, type Diagnostic } from "../core/diagnostics.js";
import { loadSource, SOURCE_FILES } from "../load/index.js";
import type { ParseMemo } from "../load/memo.js";
import { SourceFiles } from "../load/source-files.js";
import type { Project } from "../core/model.js";
import { validateSource } from "../validate/index.js";
import {
  changedReads,
  checkPublishedMonth,
  DMREPORT,
  EARLIER_MONTHS,
  EARLIER_STATUSES,
  fileDigest,
  monthReads,
  PSEUDO_READS,
  publishedFormats,
  recordPlace,
} from "./guard.js";

export interface PublishedLintOptions {
  /** The files linted, by path in the source; the whole source when undefined. */
  files?: ReadonlySet<string>;
  /** The one month the given project holds whole, as a build of it loads it. */
  loaded?: string;
  memo?: ParseMemo;
  overlay?: ReadonlyMap<string, string>;
  cache?: string;
  today?: string;
}

/**
 * `published-changed` errors for each published month of `record` whose outputs would now differ,
 * at the file that changed (a linted one first). A month none of whose reads changed is not
 * rendered; with `files`, only the months those files can touch are looked at: a fragment's own
 * month, and the months after it, through the statuses it reports.
 */
export function lintPublished(root: string, project: Project, options: PublishedLintOptions): Diagnostic[] {
  const record = project.published;
  if (!record) return [];
  const files = new SourceFiles(root);
  const found: Diagnostic[] = [];
  for (const month of [...record.months.keys()].sort()) {
    const entry = record.months.get(month)!;
    // A month whose folder is gone is reported as such (goneMonths), not rendered empty.
    if (!("stat" in files.locate(`${SOURCE_FILES.months}/${month}`))) continue;
    const linted = options.files
      ? [...options.files].filter((file) => (/^months\/(\d{4}-\d{2})\//.exec(file)?.[1] ?? "") <= month)
      : undefined;
    if (linted && !linted.length) continue;
    // A fragment of the month itself: is it what the month read?
    const own = linted?.filter((file) => file.startsWith(`months/${month}/`)) ?? [];
    // (A fragment of it deleted counts too: its siblings' lint, or the month folder's, says so.)
    const ownChanged =
      own.some((file) => !entry.reads || entry.reads.get(file) !== fileDigest(files, file, options.overlay)) ||
      (own.length > 0 &&
        [...(entry.reads?.keys() ?? [])].some(
          (name) => name.startsWith(`${SOURCE_FILES.months}/${month}/`) && !options.overlay?.has(name) && !("stat" in files.locate(name)),
        ));
    // Otherwise (earlier months' fragments, or the whole source) the month's reads are computed, from the month loaded as a build loads it.
    if (linted && !ownChanged && linted.length === own.length) continue;
    // As its build loads it (earlier months' statuses as reported, whatever their rules say), never from a whole project.
    const loaded = options.loaded === month ? project : monthProject(root, month, options);
    if ("problems" in loaded) {
      // The month cannot be built at all now: that is a change to it too, when the errors are in
      // fragments other than those linted (theirs, and those of the YAML files, lint reports as
      // they are; a whole lint reports all).
      const elsewhere = linted
        ? loaded.problems.filter((found) => !linted.includes(found.file) && found.file.startsWith(`${SOURCE_FILES.months}/`))
        : [];
      if (!elsewhere.length) continue;
      const [problem] = elsewhere;
      const place = linted?.[0] ? { file: linted[0], line: 1, column: 1 } : recordPlace(record, month);
      found.push(
        diagnostic(
          place.file,
          place,
          "published-changed",
          `${month} was published on ${entry.published} (dmreport ${entry.dmreport}), and would no longer build: ${problem ? `${problem.file}:${problem.line}:${problem.column}: ${problem.message}` : "its checks fail"}` +
            `${elsewhere.length > 1 ? ` (and ${elsewhere.length - 1} more)` : ""}: undo the change that did this, or mend the month and accept its new output with \`dmreport publish --month ${month}\``,
        ),
      );
      continue;
    }
    const subject = loaded;
    const now = monthReads(subject, files, month, options.overlay);
    const recorded = entry.reads ?? new Map<string, string>();
    // Without a record of its reads (a month published before they were kept), every read counts as changed.
    const gone = (name: string) => name.startsWith(`${SOURCE_FILES.months}/${month}/`) && !now.has(name);
    const changed = changedReads(recorded, now, new Set(linted)).filter(
      (name) =>
        !linted ||
        linted.includes(name) ||
        name === EARLIER_STATUSES ||
        name === EARLIER_MONTHS ||
        !entry.reads ||
        (own.length > 0 && gone(name)),
    );
    // The whole source is checked whole: every published month rendered, whatever its record says
    // it read (a record can be edited as well as a fragment); a lint of files trusts the digests.
    if (!changed.length && linted) continue;
    const first = changed[0];
    // At the file that changed; at the month's record when what changed is no file (the statuses before it, dmreport) or one gone.
    const file = first !== undefined && !PSEUDO_READS.has(first) && now.has(first) ? first : linted?.[0];
    const at = file === undefined ? recordPlace(record, month) : { file, line: 1, column: 1 };
    // Format by format, the cheapest first, up to the first that differs: one error says what a lint must.
    const tree = mergeReport(subject, month);
    const formats = publishedFormats(record, month).sort((a, b) => LINT_ORDER.indexOf(a) - LINT_ORDER.indexOf(b));
    let differs = false;
    for (const format of formats) {
      const rendered = renderMonth(subject, month, [format], [], tree);
      if (hasErrors(rendered.diagnostics)) {
        differs = true;
        break;
      }
      const problems = checkPublishedMonth(record, month, rendered.outputs, now, at);
      found.push(...problems);
      differs = problems.length > 0;
      if (differs) break;
    }
    // Files changed that leave the outputs as published: the record of what the month read is
    // brought up to date, or a later change would be blamed on them.
    const stale = changed.filter((name) => name !== DMREPORT);
    if (!differs && !linted && entry.reads && stale.length)
      found.push(
        diagnostic(
          record.source.file,
          recordPlace(record, month),
          "publish-record-stale",
          `${month}'s outputs are as published, but ${stale.length === 1 ? `${stale[0]} has` : `${stale.length} of the files it was made from have`} changed since (${stale.slice(0, 3).join(", ")}${stale.length > 3 ? ", …" : ""}): ` +
            `\`dmreport publish --month ${month}\` records them (keeping the day it was filed), so that a later change is named rightly`,
        ),
      );
  }
  return found;
}

/** The order a lint renders a published month's formats in: the cheapest first. */
const LINT_ORDER = ["html", "print", "md"];

/** The project `month` is built from, loaded and checked as a build does, or its errors. */
function monthProject(root: string, month: string, options: PublishedLintOptions): Project | { problems: Diagnostic[] } {
  const { source, diagnostics } = loadSource(root, {
    months: [month],
    history: true,
    memo: options.memo,
    overlay: options.overlay,
    cache: options.cache,
  });
  const { project, diagnostics: problems } = validateSource(source, { today: options.today });
  const errors = [...diagnostics, ...problems].filter((found) => found.severity === "error");
  return project && !errors.length ? project : { problems: errors };
}
