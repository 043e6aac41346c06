/** Check fragments: frontmatter, WBS element or part, month, sections and milestone statuses. */
import type { Root } from "mdast";
import { diagnostic, withSuggestions, type Diagnostic } from "../core/diagnostics.js";
import type { FragmentSource } from "../load/fragment-source.js";
import { locate, plainValue, spanAt, type YamlSource } from "../load/yaml-source.js";
import { parseMarkdown } from "../load/markdown.js";
import { endOfMonth } from "../core/calendar.js";
import type {
  Config,
  Fragment,
  Milestone,
  MilestoneCompletion,
  MilestoneState,
  MilestoneStatus,
  WbsElement,
  WbsTree,
} from "../core/model.js";
import { checkMilestoneId, unknownWbs } from "./register.js";
import { checkSchema, schemaProblemPaths } from "./schema.js";
import { mayReport } from "../core/wbs.js";
import { didYouMean, nearest } from "./nearest.js";
import { isComment, splitSections } from "./sections.js";
import { forceRange, inForce } from "../core/structure.js";

/** Why an element of the tree is not in `month`'s: its own dates or an ancestor's, and what replaces it. */
function elementOutOfForce(element: WbsElement, month: string, wbs: WbsTree): string {
  let retired: WbsElement = element;
  for (let at: WbsElement | null = element; at; at = at.parent) if (!inForce(at, month)) retired = at;
  const whose = retired === element ? "" : ` (under \`${retired.code}\`)`;
  const successors = wbs.elements.filter((other) => other.replaces?.includes(retired.fullCode) && inForce(other, month));
  const instead = successors.length
    ? `: \`${successors.map((other) => other.code).join("`, `")}\` replaces it from ${successors[0]!.from}`
    : "";
  return `WBS element \`${element.code}\`${whose} is in force ${forceRange(retired)}, not in ${month}${instead}`;
}

/**
 * Each fragment's milestone notes, parsed once for as long as the fragment's own parse is kept:
 * the lint server, the preview and the language server keep it between runs while its text is
 * unchanged, and then do not parse its notes again.
 */
const parsedNotes = new WeakMap<FragmentSource, Map<string, Root>>();

function noteOf(source: FragmentSource, note: string): Root {
  let notes = parsedNotes.get(source);
  if (!notes) parsedNotes.set(source, (notes = new Map()));
  let tree = notes.get(note);
  if (!tree) notes.set(note, (tree = parseMarkdown(note)));
  return tree;
}

interface RawFrontmatter {
  wbs?: string;
  part?: string;
  month: string;
  milestones?: { id: string | string[]; title?: string; status: MilestoneState; completed?: string; forecast?: string; note?: string }[];
}

export interface FragmentContext {
  /** The structure in force in the fragment's month. */
  config: Config;
  wbs: WbsTree;
  milestones: Map<string, Milestone>;
  /** The whole structure, every month's: to say when something out of force was in force. */
  all?: { config: Config; wbs: WbsTree; milestones: Map<string, Milestone> };
  /** Today, YYYY-MM-DD: no milestone can have been completed after it. */
  today: string;
  /** The register has errors of its own: milestone ids are not looked up in it. */
  registerUnchecked?: boolean;
}

/** A checked fragment with its frontmatter, kept for checks across the fragments of a month. */
export interface CheckedFragment {
  fragment: Fragment;
  frontmatter: YamlSource;
}

/** Check one fragment on its own; undefined when it cannot be placed in the report. */
export function checkFragment(source: FragmentSource, context: FragmentContext): { checked?: CheckedFragment; diagnostics: Diagnostic[] } {
  const { file, frontmatter } = source;
  if (!frontmatter) {
    return {
      diagnostics: [
        diagnostic(
          file,
          { line: 1, column: 1 },
          "fragment-frontmatter",
          "this fragment has no frontmatter: start it with the lines `---`, `wbs: CODE` (or `part: NAME`), `month: YYYY-MM`, `---`",
        ),
      ],
    };
  }
  if (frontmatter.doc.errors.length) return { diagnostics: [] }; // already reported as YAML syntax errors
  const plain = plainValue(frontmatter);
  if (plain.diagnostics.length) return { diagnostics: plain.diagnostics };
  const value = (plain.value ?? {}) as unknown;
  // Every independent problem in one run: a value that breaks the schema stops only the checks
  // that need it; the others (the element, the sections, the other milestones) still run.
  const diagnostics = checkSchema("fragment", frontmatter, value);
  const faults = diagnostics.length ? schemaProblemPaths("fragment", value) : [];
  const sound = (...path: (string | number)[]) => {
    const pointer = path.map((segment) => `/${segment}`).join("");
    return !faults.some((fault) => fault === pointer || fault.startsWith(`${pointer}/`) || pointer.startsWith(`${fault}/`) || fault === "");
  };
  const raw = (value !== null && typeof value === "object" ? value : {}) as RawFrontmatter;
  const at = (...path: (string | number)[]) => locate(frontmatter, path);
  // The fragment can be placed in the report only when what identifies it is sound.
  let placeable = sound("month") && sound("wbs") && sound("part");

  if (sound("month") && raw.month !== source.folderMonth) {
    diagnostics.push(
      diagnostic(
        file,
        at("month"),
        "fragment-month-mismatch",
        `month \`${raw.month}\` does not match the folder it is in (${source.folderMonth}): move the file or correct the month`,
      ),
    );
  }
  if (sound("wbs") && sound("part") && (raw.wbs === undefined) === (raw.part === undefined)) {
    diagnostics.push(
      diagnostic(
        file,
        raw.wbs === undefined ? at() : at("part"),
        "fragment-kind",
        "a fragment is either for a WBS element (`wbs: CODE`) or for a report part (`part: NAME`): give exactly one of the two",
      ),
    );
    return { diagnostics };
  }

  let element: WbsElement | undefined;
  if (raw.wbs !== undefined && sound("wbs")) {
    element = context.wbs.find(raw.wbs);
    const other = element ? undefined : context.all?.wbs.find(raw.wbs);
    if (other)
      diagnostics.push(diagnostic(file, at("wbs"), "wbs-not-in-force", elementOutOfForce(other, source.folderMonth, context.all!.wbs)));
    else if (!element)
      diagnostics.push(unknownWbs(file, at("wbs"), raw.wbs, "this fragment's element", context.wbs, spanAt(frontmatter, ["wbs"])));
    if (!element) placeable = false;
  } else if (raw.part !== undefined && sound("part") && !context.config.parts.some((part) => part.id === raw.part)) {
    placeable = false;
    const other = context.all?.config.parts.find((part) => part.id === raw.part);
    if (other)
      diagnostics.push(
        diagnostic(
          file,
          at("part"),
          "part-unknown",
          `report part \`${raw.part}\` is in force ${forceRange(other)}, not in ${source.folderMonth}`,
        ),
      );
    else {
      const known = context.config.parts.map((part) => `\`${part.id}\``).join(", ") || "none are configured";
      const suggestions = nearest(
        raw.part,
        context.config.parts.map((part) => part.id),
      );
      const found = diagnostic(
        file,
        at("part"),
        "part-unknown",
        `report part \`${raw.part}\` is not in \`parts\` of dmreport.yaml${suggestions.length ? `: ${didYouMean(suggestions)}` : ""} (known: ${known})`,
      );
      diagnostics.push(withSuggestions(found, suggestions, spanAt(frontmatter, ["part"])));
    }
  }

  const milestones = checkMilestoneEntries(source, raw, element, context, sound, diagnostics);

  if (raw.wbs !== undefined && sound("wbs")) {
    // The sections need only the config: they are checked whether or not the element is known.
    const {
      sections,
      empty,
      diagnostics: sectionProblems,
    } = splitSections(
      file,
      source.body,
      context.config.sections,
      context.all ? { all: context.all.config.sections, month: source.folderMonth } : undefined,
    );
    diagnostics.push(...sectionProblems);
    if (!element || !placeable) return { diagnostics };
    if (!element.progress && sections.size) {
      diagnostics.push(
        diagnostic(
          file,
          firstContent(source),
          "fragment-no-progress",
          `WBS ${element.code} is marked \`progress: false\` in wbs.yaml, so this text would not be shown: remove it, or remove \`progress: false\``,
        ),
      );
    }
    return {
      diagnostics,
      checked: {
        frontmatter,
        fragment: { kind: "wbs", file, month: raw.month, wbs: element.fullCode, sections, emptySections: empty, milestones },
      },
    };
  }
  if (!placeable || raw.part === undefined) return { diagnostics };
  return {
    diagnostics,
    checked: {
      frontmatter,
      fragment: {
        kind: "part",
        file,
        month: raw.month,
        part: raw.part,
        content: { type: "root", children: source.body.children.filter((node) => !isComment(node)) },
        milestones,
      },
    },
  };
}

/**
 * The milestone statuses a fragment reports, each checked: its ids against the register in force
 * (and the one not in force, to say when it is), who may report it, its status and dates, a group's
 * title. Problems go to `diagnostics`; a status with any is left out of what is returned.
 */
function checkMilestoneEntries(
  source: FragmentSource,
  raw: RawFrontmatter,
  element: WbsElement | undefined,
  context: FragmentContext,
  sound: (...path: (string | number)[]) => boolean,
  diagnostics: Diagnostic[],
): MilestoneStatus[] {
  const { file } = source;
  const frontmatter = source.frontmatter!;
  const at = (...path: (string | number)[]) => locate(frontmatter, path);
  const milestones: MilestoneStatus[] = [];
  (Array.isArray(raw.milestones) ? raw.milestones : []).forEach((entry, index) => {
    if (entry === null || typeof entry !== "object") return;
    const entrySound = sound("milestones", index);
    const ids = ([] as unknown[]).concat(entry.id).filter((id): id is string => typeof id === "string");
    let usable = entrySound;
    ids.forEach((id, idIndex) => {
      const idPath = Array.isArray(entry.id) ? ["milestones", index, "id", idIndex] : ["milestones", index, "id"];
      const idAt = at(...idPath);
      const problems = checkMilestoneId(file, idAt, id, context.config);
      const known = context.milestones.get(id);
      const retired = known ? undefined : context.all?.milestones.get(id);
      if (context.registerUnchecked) {
        // The register has errors of its own: what it holds is not judged until they are fixed.
      } else if (!problems.length && retired) {
        problems.push(
          diagnostic(
            file,
            idAt,
            "milestone-unknown",
            `milestone \`${id}\` is in the register ${forceRange(retired)}, not in ${source.folderMonth}: ${retired.until && retired.until < source.folderMonth ? "it was removed from the register; remove its status here" : "it has no status to report yet"}`,
          ),
        );
      } else if (!problems.length && !known) {
        const suggestions = nearest(id, context.milestones.keys());
        const found = diagnostic(
          file,
          idAt,
          "milestone-unknown",
          `milestone \`${id}\` is not in milestones.yaml: ${suggestions.length ? `${didYouMean(suggestions)} Otherwise` : "check the id, or"} add the milestone to the register`,
        );
        problems.push(withSuggestions(found, suggestions, spanAt(frontmatter, idPath)));
      }
      const owner = known && context.wbs.find(known.wbs);
      if (owner && element && !mayReport(element, owner, context.config.milestones.reportFrom)) {
        const where = context.config.milestones.reportFrom === "chapter" ? "a fragment of its chapter" : "that element's fragment";
        problems.push(
          diagnostic(
            file,
            idAt,
            "milestone-not-owned",
            `milestone \`${id}\` belongs to WBS ${owner.code}, not to ${element.code}: report its status in ${where}`,
          ),
        );
      }
      if (problems.length) usable = false;
      diagnostics.push(...problems);
    });
    // The status rules compare dates with the fragment's month: both must be sound.
    if (entrySound && sound("month")) diagnostics.push(...checkStatus(file, frontmatter, index, entry, ids, raw.month, context));
    if (entrySound && ids.length > 1 && entry.title === undefined) {
      usable = false;
      diagnostics.push(
        diagnostic(
          file,
          at("milestones", index, "id"),
          "milestone-group-title",
          "several milestones reported together need a `title` for the group",
        ),
      );
    }
    if (usable) {
      milestones.push({
        ids,
        title: entry.title,
        status: entry.status,
        completed: entry.completed,
        forecast: entry.forecast,
        note: entry.note === undefined ? undefined : noteOf(source, entry.note),
        file,
      });
    }
  });
  return milestones;
}

/** The rules a month's status entry must meet: what completed and delayed each require. */
function checkStatus(
  file: string,
  frontmatter: YamlSource,
  index: number,
  entry: NonNullable<RawFrontmatter["milestones"]>[number],
  ids: string[],
  month: string,
  context: FragmentContext,
): Diagnostic[] {
  const at = (field: string) => locate(frontmatter, ["milestones", index, field]);
  const name = ids.length > 1 ? `milestones ${ids.join(", ")}` : `milestone ${ids[0]}`;
  const is = ids.length > 1 ? "are" : "is";
  const problems: Diagnostic[] = [];
  if (entry.status === "completed") {
    if (entry.completed === undefined) {
      problems.push(
        diagnostic(
          file,
          at("status"),
          "milestone-completed-date",
          `${name} ${is} completed but ${ids.length > 1 ? "have" : "has"} no completion date: add \`completed: YYYY-MM-DD\``,
        ),
      );
    } else if (entry.completed > endOfMonth(month)) {
      problems.push(
        diagnostic(
          file,
          at("completed"),
          "milestone-completed-future",
          `completion date ${entry.completed} is after ${month}, the month this fragment reports on: report it in the month it happened`,
        ),
      );
    } else if (entry.completed > context.today) {
      problems.push(
        diagnostic(
          file,
          at("completed"),
          "milestone-completed-future",
          `completion date ${entry.completed} is in the future (today is ${context.today})`,
        ),
      );
    }
  }
  if (entry.status === "delayed") {
    if (entry.note === undefined)
      problems.push(
        diagnostic(file, at("status"), "milestone-delayed-note", `${name} ${is} delayed: add a \`note\` saying why, and what happens next`),
      );
    const due = ids
      .map((id) => context.milestones.get(id)?.due)
      .filter((date): date is string => date !== undefined)
      .sort()
      .reverse()[0];
    if (entry.forecast === undefined)
      problems.push(
        diagnostic(
          file,
          at("status"),
          "milestone-delayed-forecast",
          `${name} ${is} delayed: add \`forecast: YYYY-MM-DD\`, the date ${ids.length > 1 ? "they are" : "it is"} now expected`,
        ),
      );
    else if (due !== undefined && entry.forecast <= due)
      problems.push(
        diagnostic(
          file,
          at("forecast"),
          "milestone-delayed-forecast",
          `forecast ${entry.forecast} is not after the due date ${due}: a delayed milestone is expected later than planned`,
        ),
      );
  }
  return problems;
}

/** Where the first thing in a fragment's body stands. */
function firstContent(source: FragmentSource): { line: number; column: number } {
  const start = source.body.children[0]?.position?.start;
  return start ? { line: start.line, column: start.column } : source.bodyStart;
}

/** A milestone reported again (delayed, at risk...) after an earlier month reported it completed. */
export function checkAgainstHistory(checked: readonly CheckedFragment[], history: readonly MilestoneCompletion[]): Diagnostic[] {
  const completed = new Map(history.map((completion) => [completion.id, completion]));
  return checked.flatMap(({ fragment, frontmatter }) =>
    fragment.milestones.flatMap((status, index) =>
      status.status === "completed"
        ? []
        : status.ids.flatMap((id) => {
            const earlier = completed.get(id);
            return earlier
              ? [
                  diagnostic(
                    fragment.file,
                    locate(frontmatter, ["milestones", index, "id"]),
                    "milestone-completed-earlier",
                    `milestone \`${id}\` was reported completed on ${earlier.date} in ${earlier.file}: it cannot be ${status.status} now; remove it from this fragment`,
                  ),
                ]
              : [];
          }),
    ),
  );
}

/** Checks across the fragments of one month: one per element or part, each milestone reported once. */
export function checkMonth(checked: readonly CheckedFragment[]): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const owners = new Map<string, string>();
  const reported = new Map<string, string>();
  for (const { fragment, frontmatter } of checked) {
    const key = fragment.kind === "wbs" ? `wbs ${fragment.wbs}` : `part ${fragment.part}`;
    const first = owners.get(key);
    if (first) {
      const what = fragment.kind === "wbs" ? `WBS element ${fragment.wbs}` : `part \`${fragment.part}\``;
      diagnostics.push(
        diagnostic(
          fragment.file,
          locate(frontmatter, [fragment.kind === "wbs" ? "wbs" : "part"]),
          "fragment-duplicate",
          `${first} is already the fragment for ${what} in ${fragment.month}: merge the two, there is one fragment per element and month`,
        ),
      );
    } else {
      owners.set(key, fragment.file);
    }
    fragment.milestones.forEach((status, index) => {
      for (const id of status.ids) {
        const earlier = reported.get(id);
        if (earlier) {
          diagnostics.push(
            diagnostic(
              fragment.file,
              locate(frontmatter, ["milestones", index, "id"]),
              "milestone-reported-twice",
              `milestone \`${id}\` is already reported in ${earlier} this month: report it once`,
            ),
          );
        } else {
          reported.set(id, fragment.file);
        }
      }
    });
  }
  return diagnostics;
}
