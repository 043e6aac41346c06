/** Validate stage: check a loaded source against the schemas and rules, and type its contents. */
import { diagnostic, hasErrors, type Diagnostic } from "../core/diagnostics.js";
import { SOURCE_FILES, type LoadedSource } from "../load/index.js";
import { statusesReported } from "../load/history.js";
import { SourceFiles } from "../load/source-files.js";
import { locate, plainValue, spanAt, type YamlSource } from "../load/yaml-source.js";
import { Derived } from "../load/memo.js";
import { checkSchema } from "./schema.js";
import type { Config, Milestone, MilestoneReport, Project, ScheduleSnapshot, WbsTree } from "../core/model.js";
import { completionsIn, daysBetween, milestoneRecord, reportsOf } from "../milestones/state.js";
import { checkConfig } from "./config.js";
import { checkAgainstHistory, checkFragment, checkMonth, type CheckedFragment } from "./fragments.js";
import { applyRuleSettings } from "./settings.js";
import { blockScalarLines, checkTicketKeys, checkTrailingWhitespace, codeLines } from "./text-rules.js";
import { checkOwed, milestoneHistory } from "./history.js";
import { checkSchedule } from "./schedule.js";
import { checkSchemaCopies } from "./schema-copies.js";
import { checkImages } from "./images.js";
import { checkContent } from "./content.js";
import { checkRegister, unknownWbs } from "./register.js";
import { checkWbs } from "./wbs.js";
import { configAt, inForce, milestonesAt, ownerAt, wbsAt } from "../core/structure.js";
import { checkPublishRecord } from "./publish-record.js";
import { TimeLimitError, withinTimeLimit } from "../core/time-limit.js";

export interface ValidateOptions {
  /** Errors that do not withhold the project (they are reported all the same): those publish mends. */
  tolerated?: (found: Diagnostic) => boolean;
  /** Today, YYYY-MM-DD (for "completed in the future"); the clock's date when absent. */
  today?: string;
  /** Reports already known from months read earlier (an archive build, month by month). */
  history?: readonly MilestoneReport[];
}

/**
 * Every problem of the source as diagnostics, and the typed project when there is no error.
 * Checks go as far as they can, so that one run reports as many problems as possible.
 */
export function validateSource(source: LoadedSource, options: ValidateOptions = {}): { project?: Project; diagnostics: Diagnostic[] } {
  try {
    return withinTimeLimit(() => checkSource(source, options));
  } catch (error) {
    if (!(error instanceof TimeLimitError)) throw error;
    return { diagnostics: [timeLimitDiagnostic(source.config, "checking the source", error.limitMs)] };
  }
}

/** The diagnostic for work stopped at its time limit, on the config's patterns (the likely cause). */
export function timeLimitDiagnostic(config: YamlSource | null, what: string, limitMs: number): Diagnostic {
  const value = config ? (plainValue(config).value as { links?: unknown } | undefined) : undefined;
  const place = config ? locate(config, value?.links ? ["links"] : ["milestones"], "key") : { line: 1, column: 1 };
  return diagnostic(
    config?.file ?? "dmreport.yaml",
    place,
    "time-limit",
    `${what} took more than ${limitMs / 1000} s and was stopped: a regular expression here (\`links\`, \`milestones.idPattern\`, \`milestones.import.wbsPrefix\`) can take exponential time on some text, as a repetition inside a repetition does (\`(a+)+\`); write it so that text can match it one way only`,
  );
}

/**
 * The checks of the files every lint reads whole (the register grows with the years), once per
 * parse of them: a lint server, preview or language server that keeps its parses (`ParseMemo`)
 * judges an unchanged file once.
 */
const derived = {
  whitespace: new Derived<Diagnostic[]>(),
  wbs: new Derived<ReturnType<typeof checkWbs>>(),
  register: new Derived<ReturnType<typeof checkRegister>>(),
  owners: new Derived<Diagnostic[]>(),
  fragmentText: new Derived<Diagnostic[]>(),
};

function checkSource(source: LoadedSource, options: ValidateOptions): { project?: Project; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const { config: configSource, wbs: wbsSource, register: registerSource } = source;
  const syntaxOk = (file: { doc: { errors: unknown[] } } | null) => file !== null && file.doc.errors.length === 0;
  for (const yaml of [configSource, wbsSource, registerSource, source.published])
    if (yaml)
      diagnostics.push(...derived.whitespace.of(yaml, [], () => checkTrailingWhitespace(yaml.file, yaml.text, blockScalarLines(yaml))));
  diagnostics.push(...checkSchemaCopies(source.schemaCopies));

  const config = syntaxOk(configSource) ? record(checkConfig(source.root, configSource!), diagnostics).config : undefined;
  const wbs = syntaxOk(wbsSource)
    ? record(
        derived.wbs.of(wbsSource!, [], () => checkWbs(wbsSource!)),
        diagnostics,
      ).wbs
    : undefined;
  if (!config || !wbs) {
    // Without a sound config or tree, each fragment is still checked on its own, against the schema.
    for (const fragmentSource of source.fragments) diagnostics.push(...checkFragmentAlone(fragmentSource));
    const broken = !config ? configSource : wbsSource;
    if (broken && source.fragments.length)
      diagnostics.push(
        diagnostic(
          broken.file,
          endOf(broken),
          "checks-skipped",
          `the fragments are checked against their schema only until the errors in ${broken.file} are fixed: their WBS codes, sections and milestones are not judged yet`,
        ),
      );
    return { diagnostics };
  }

  diagnostics.push(...checkWbsMap(configSource!, config, wbs));
  // A fragment's text rules look at it alone, and at these settings: judged once per parse of it.
  const textSettings = [
    JSON.stringify([config.tickets, config.links.map((link) => [link.pattern.source, link.pattern.flags]), config.output.remoteImages]),
  ];
  for (const fragmentSource of source.fragments)
    diagnostics.push(
      ...derived.fragmentText.of(fragmentSource, textSettings, () => {
        const keep = [
          ...(fragmentSource.frontmatter ? blockScalarLines(fragmentSource.frontmatter) : []),
          ...codeLines(fragmentSource.body),
        ];
        return [
          ...checkTrailingWhitespace(fragmentSource.file, fragmentSource.text, keep, fragmentSource.bodyStart.line),
          ...checkTicketKeys(fragmentSource, config.tickets, config.links),
          ...checkContent(fragmentSource, { remoteImages: config.output.remoteImages }),
        ];
      }),
    );

  let milestones = new Map<string, Milestone>();
  let entries: Milestone[] = [];
  // A broken register stops only the checks that need it: the fragments' own problems still show.
  let registerUnchecked = false;
  if (registerSource) {
    const patterns = config.milestones.idPatterns.map(String).join("\n");
    const checked = syntaxOk(registerSource)
      ? record(
          derived.register.of(registerSource, [wbs, patterns], () => checkRegister(registerSource, config, wbs)),
          diagnostics,
        )
      : undefined;
    if (checked?.milestones && checked.entries) {
      milestones = checked.milestones;
      entries = checked.entries;
    } else {
      registerUnchecked = true;
      if (source.fragments.length)
        diagnostics.push(
          diagnostic(
            registerSource.file,
            endOf(registerSource),
            "checks-skipped",
            `the milestones the fragments report are not looked up in ${registerSource.file} until its errors are fixed`,
          ),
        );
    }
  }

  const details = source.publishedDetails.filter(syntaxOk);
  const published =
    (source.published && syntaxOk(source.published)) || (!source.published && details.length)
      ? record(checkPublishRecord(source.published, details), diagnostics).record
      : undefined;
  const { schedule, diagnostics: scheduleProblems } = checkSchedule(source.schedule);
  diagnostics.push(...scheduleProblems);
  const today = options.today ?? new Date().toISOString().slice(0, 10);
  // Reports of the months before the ones read; each month read is checked against the months before it.
  const history = [...(options.history ?? []), ...milestoneHistory(source.history, milestones)];
  const completions = completionsIn([...history, ...milestoneHistory(source.fragments.flatMap(statusesReported), milestones)]);
  const byMonth = new Map<string, CheckedFragment[]>();
  const files = new SourceFiles(source.root);
  for (const fragmentSource of source.fragments) {
    diagnostics.push(...checkImages(files, fragmentSource));
    const month = fragmentSource.folderMonth;
    const structure = { config: configAt(config, month), wbs: wbsAt(wbs, month), milestones: milestonesAt(entries, wbs, month) };
    const { checked } = record(
      checkFragment(fragmentSource, { ...structure, all: { config, wbs, milestones }, today, registerUnchecked }),
      diagnostics,
    );
    if (!checked) continue;
    byMonth.set(month, [...(byMonth.get(month) ?? []), checked]);
  }
  const months = [...byMonth.keys()].sort();
  if (registerSource)
    for (const month of months)
      diagnostics.push(...derived.owners.of(entries, [wbs, month], () => checkOwnersInForce(registerSource, entries, wbs, month)));
  for (const month of months) {
    const checked = byMonth.get(month)!;
    diagnostics.push(...checkMonth(checked));
    // `months/2017-11/…` sorts before `months/2017-12`, and `months/2017-12/…` after it.
    const before = `${SOURCE_FILES.months}/${month}`;
    diagnostics.push(
      ...checkAgainstHistory(
        checked,
        completions.filter((completion) => completion.file < before),
      ),
    );
    const snapshot = schedule.find((candidate) => candidate.month === month);
    if (snapshot)
      for (const entry of checked) diagnostics.push(...checkForecasts(entry, snapshot, configAt(config, month).milestones.slipThreshold));
    // What is owed is judged on the reports up to this month, and only when every fragment of the
    // month could be read: a broken fragment may be the one that reports it, and its errors come first.
    if (source.incomplete.includes(month)) continue;
    if (
      source.fragments.some((fragment) => fragment.folderMonth === month && !checked.some((entry) => entry.fragment.file === fragment.file))
    )
      continue;
    if (hasErrors(diagnostics.filter((found) => found.file.startsWith(`months/${month}/`)))) continue;
    const upTo = months.filter((other) => other <= month).flatMap((other) => reportsOf(byMonth.get(other)!.map((entry) => entry.fragment)));
    const inForce = milestonesAt(entries, wbs, month);
    diagnostics.push(
      ...checkOwed(month, checked, milestoneRecord(inForce, [...history, ...upTo], schedule), wbsAt(wbs, month), configAt(config, month)),
    );
  }

  const settled = applyRuleSettings(diagnostics, config.rules, directivesOf(source));
  if (hasErrors(settled.filter((found) => !options.tolerated?.(found)))) return { diagnostics: settled };
  const fragments = [...byMonth.values()].flat().map((checked) => checked.fragment);
  return {
    diagnostics: settled,
    project: {
      root: source.root,
      config,
      wbs,
      milestones,
      register: entries,
      months: source.months,
      fragments,
      history,
      schedule,
      templates: source.templates,
      ...(published && { published }),
    },
  };
}

/** Each element `milestones.import.wbsMap` (or a profile's) places schedule codes under, which must be in wbs.yaml. */
function checkWbsMap(source: YamlSource, config: Config, wbs: WbsTree): Diagnostic[] {
  const { profiles, ...base } = config.milestones.import;
  const places: [(string | number)[], typeof base.wbsMap][] = [
    [["milestones", "import", "wbsMap"], base.wbsMap],
    ...profiles
      .filter((profile) => profile.wbsMap !== base.wbsMap)
      .map((profile): [(string | number)[], typeof base.wbsMap] => [
        ["milestones", "import", "profiles", profile.name, "wbsMap"],
        profile.wbsMap,
      ]),
  ];
  return places.flatMap(([path, map]) =>
    map.flatMap(({ code, element }) =>
      wbs.find(element)
        ? []
        : [
            unknownWbs(
              source.file,
              locate(source, [...path, code]),
              element,
              `where milestones.import.wbsMap places \`${code}\``,
              wbs,
              spanAt(source, [...path, code]),
            ),
          ],
    ),
  );
}

/**
 * A lead's forecast that differs from the month's schedule export by more than `threshold` days,
 * or a completion the export does not show: news the schedule has not caught up with, or a typo;
 * either way the project office should see it.
 */
function checkForecasts(checked: CheckedFragment, snapshot: ScheduleSnapshot, threshold: number): Diagnostic[] {
  const raw = (
    plainValue(checked.frontmatter).value as { milestones?: { id?: unknown; status?: unknown; forecast?: unknown }[] } | undefined
  )?.milestones;
  if (!Array.isArray(raw)) return [];
  return raw.flatMap((entry, index) => {
    if (entry?.status === "completed")
      return ([] as unknown[]).concat(entry.id).flatMap((id) => {
        const row = typeof id === "string" ? snapshot.rows.get(id) : undefined;
        if (!row || row.completed) return [];
        return [
          diagnostic(
            checked.fragment.file,
            locate(checked.frontmatter, ["milestones", index, "status"]),
            "completed-not-in-schedule",
            `\`${String(id)}\` is reported completed, but the ${snapshot.month} schedule export shows it open${row.forecast ? ` (forecast ${row.forecast})` : ""}: tell the project office, so that the schedule records its actual finish`,
          ),
        ];
      });
    if (!entry || typeof entry.forecast !== "string") return [];
    const forecast = entry.forecast;
    return ([] as unknown[]).concat(entry.id).flatMap((id) => {
      const scheduled = typeof id === "string" ? snapshot.rows.get(id)?.forecast : undefined;
      if (!scheduled || Math.abs(daysBetween(scheduled, forecast)) <= threshold) return [];
      return [
        diagnostic(
          checked.fragment.file,
          locate(checked.frontmatter, ["milestones", index, "forecast"]),
          "forecast-differs",
          `the forecast ${forecast} for \`${String(id)}\` differs from the ${snapshot.month} schedule's ${scheduled} by ${Math.abs(daysBetween(scheduled, forecast))} days, more than milestones.slipThreshold (${threshold}): check the date, or say why in the note`,
        ),
      ];
    });
  });
}

/** A milestone in force in `month` whose work has no element in force then (its owner retired, nothing replacing it). */
function checkOwnersInForce(register: YamlSource, entries: readonly Milestone[], wbs: WbsTree, month: string): Diagnostic[] {
  return entries.flatMap((milestone) =>
    // An owner not in the tree at all is reported as unknown already.
    inForce(milestone, month) && wbs.find(milestone.wbs) && !ownerAt(wbs, milestone.wbs, month)
      ? [
          diagnostic(
            register.file,
            locate(register, ["milestones", milestone.order, "wbs"]),
            "milestone-owner-not-in-force",
            `milestone \`${milestone.id}\` belongs to \`${wbs.find(milestone.wbs)?.code ?? milestone.wbs}\`, which is not in force in ${month}, and no element in force then replaces it: move the milestone to an element in force, or end it with \`until:\``,
          ),
        ]
      : [],
  );
}

/** The end of a file: where a note about what was not checked goes, after the file's own problems. */
function endOf(source: YamlSource): { line: number; column: number } {
  const lines = source.text.split("\n");
  return { line: lines.length, column: lines[lines.length - 1]!.length + 1 };
}

/** A fragment's frontmatter against the schema, for when the config or the tree cannot be used. */
function checkFragmentAlone(fragment: LoadedSource["fragments"][number]): Diagnostic[] {
  if (!fragment.frontmatter || fragment.frontmatter.doc.errors.length) return [];
  const plain = plainValue(fragment.frontmatter);
  return plain.diagnostics.length ? plain.diagnostics : checkSchema("fragment", fragment.frontmatter, plain.value ?? {});
}

function directivesOf(source: LoadedSource) {
  return new Map(source.fragments.map((fragment) => [fragment.file, fragment.directives]));
}

/** Keep a check's diagnostics and hand back its result. */
function record<T extends { diagnostics: Diagnostic[] }>(result: T, into: Diagnostic[]): T {
  into.push(...result.diagnostics);
  return result;
}

/** The diagnostic for a month that has no folder in the source. */
export function missingMonth(month: string, months: readonly string[]): Diagnostic {
  const known = months.length ? `months in this source: ${months.join(", ")}` : "this source has no month folders yet";
  return diagnostic(
    `months/${month}`,
    { line: 1, column: 1 },
    "month-missing",
    `there is no folder months/${month}/ for the month asked for (${known})`,
  );
}
