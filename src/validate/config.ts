/** Check dmreport.yaml and turn it into a typed Config with defaults filled in. */
import { isAbsolute, resolve } from "node:path";
import iconv from "iconv-lite";
import { committedFolders, inFolders } from "../core/committed-folders.js";
import { diagnostic, type Diagnostic } from "../core/diagnostics.js";
import { pathInSource } from "../load/index.js";
import { SourceFiles } from "../load/source-files.js";
import { locate, plainValue, type YamlSource } from "../load/yaml-source.js";
import {
  MILESTONE_VIEWS,
  type Config,
  type ImportProfile,
  type InForce,
  type LinkRule,
  type MilestoneView,
  type PartSpec,
  type ScheduleImport,
  type SectionSpec,
} from "../core/model.js";
import { checkSchema } from "./schema.js";
import { forceRange } from "../core/structure.js";

/** The sections of the reference report, used when dmreport.yaml names none. */
export const DEFAULT_SECTIONS: SectionSpec[] = [
  {
    id: "accomplishments",
    title: "Current accomplishments",
    placeholder: "No work was performed under this WBS element during this month.",
  },
  { id: "planned", title: "Planned activities", placeholder: "No work planned." },
  { id: "recruitment", title: "Recruitment update" },
];

export const DEFAULT_PARTS: PartSpec[] = [
  { id: "summary", title: "High-level Summary" },
  { id: "risk", title: "Risk Management" },
];

/**
 * The column names of a Primavera P6 export: its first header row (field names), then the
 * display names P6 and MS Project write when the field names are left out.
 */
export const PRIMAVERA_COLUMNS: ScheduleImport["columns"] = {
  id: ["task_code", "Activity ID"],
  title: ["task_name", "Activity Name", "Name"],
  wbs: ["wbs_id", "WBS Code", "WBS"],
  due: ["base_end_date", "BL Project Finish", "Baseline Finish"],
  forecast: ["end_date", "Finish"],
  completed: ["act_end_date", "Actual Finish"],
  status: ["status_code", "Activity Status"],
  deleted: ["delete_record_flag"],
  predecessors: ["pred_list", "Predecessors"],
  successors: ["succ_list", "Successors"],
  level: ["Level", "Milestone Level"],
};

/** An import's settings as dmreport.yaml writes them, for the base and for each profile. */
interface RawImport {
  columns?: Partial<Record<keyof ScheduleImport["columns"], string | string[]>>;
  wbsPrefix?: string;
  wbsMap?: Record<string, string>;
  wbsLeading?: string;
  completedStatus?: string[];
  encoding?: string;
  baseline?: boolean;
  match?: string;
}

/** Accepts every id real schedules use (LDM-503-EFDa, DMTC-7400-2090, T&SC-1100-0900, CAMM6995, A4369.9...). */
export const DEFAULT_MILESTONE_ID = "^[A-Za-z][A-Za-z0-9&]*(?:[-_.][A-Za-z0-9&]+)*$";

interface RawConfig {
  title: string;
  organisation?: string;
  subject?: string;
  locale?: string;
  sections?: SectionSpec[];
  parts?: PartSpec[];
  milestones?: {
    idPattern?: string | string[];
    levelsFirst?: number[];
    import?: RawImport & { profiles?: Record<string, RawImport> };
    reportFrom?: "element" | "chapter";
    slipThreshold?: number;
    historyLevels?: number[];
    show?: Record<string, MilestoneView[]>;
  };
  links?: { name?: string; pattern: string; url: string }[];
  output?: { name?: string; formats?: string[]; pageSize?: "A4" | "Letter"; browser?: string; remoteImages?: boolean };
  templates?: string | { folder: string; from?: string; until?: string }[];
  rules?: Record<string, "off" | "warning" | "error">;
  tickets?: string[];
}

/** The typed config, or undefined when dmreport.yaml has errors that leave it unusable. */
export function checkConfig(root: string, source: YamlSource): { config?: Config; diagnostics: Diagnostic[] } {
  const plain = plainValue(source);
  if (plain.diagnostics.length) return { diagnostics: plain.diagnostics };
  const value = plain.value;
  const diagnostics = checkSchema("dmreport", source, value ?? {});
  if (diagnostics.length) return { diagnostics };
  const raw = value as RawConfig;

  const links: LinkRule[] = [];
  (raw.links ?? []).forEach((link, index) => {
    const pattern = compilePattern(link.pattern, "g");
    if (pattern instanceof Error) {
      diagnostics.push(
        diagnostic(
          source.file,
          locate(source, ["links", index, "pattern"]),
          "config-pattern",
          `link pattern is not a valid regular expression: ${pattern.message}`,
        ),
      );
    } else if (pattern.test("")) {
      diagnostics.push(
        diagnostic(
          source.file,
          locate(source, ["links", index, "pattern"]),
          "config-pattern",
          "link pattern matches empty text; make it match at least one character",
        ),
      );
    } else {
      links.push({ pattern, url: link.url });
    }
  });

  const idPatterns: RegExp[] = [];
  const rawIdPatterns = ([] as string[]).concat(raw.milestones?.idPattern ?? DEFAULT_MILESTONE_ID);
  rawIdPatterns.forEach((text, index) => {
    const pattern = compilePattern(text, "");
    const at = Array.isArray(raw.milestones?.idPattern) ? ["milestones", "idPattern", index] : ["milestones", "idPattern"];
    if (pattern instanceof Error)
      diagnostics.push(
        diagnostic(
          source.file,
          locate(source, at),
          "config-pattern",
          `milestone id pattern is not a valid regular expression: ${pattern.message}`,
        ),
      );
    else idPatterns.push(pattern);
  });

  const rawImport = raw.milestones?.import ?? {};
  const scheduleImport = importSettings(source, ["milestones", "import"], rawImport, undefined, diagnostics);
  const profiles: ImportProfile[] = Object.entries(rawImport.profiles ?? {}).map(([name, profile]) => ({
    ...importSettings(source, ["milestones", "import", "profiles", name], profile, scheduleImport, diagnostics),
    name,
    ...(profile.match !== undefined && { match: profile.match }),
  }));
  const show = Object.fromEntries(
    ["md", "html", "print"].map((format) => [format, raw.milestones?.show?.[format] ?? [...MILESTONE_VIEWS]]),
  );

  const sections = raw.sections ?? DEFAULT_SECTIONS;
  const parts = raw.parts ?? DEFAULT_PARTS;
  diagnostics.push(...duplicates(source, "sections", sections, "section"), ...duplicates(source, "parts", parts, "part"));
  diagnostics.push(...badRanges(source, "sections", sections), ...badRanges(source, "parts", parts));

  const browserProblem = raw.output?.browser === undefined ? undefined : browserOutsideSource(root, raw.output.browser);
  if (browserProblem) diagnostics.push(diagnostic(source.file, locate(source, ["output", "browser"]), "config-browser", browserProblem));

  if (raw.locale !== undefined && !supportedLocale(raw.locale))
    diagnostics.push(
      diagnostic(
        source.file,
        locate(source, ["locale"]),
        "config-locale",
        `locale \`${raw.locale}\` is not a language tag this machine knows; use one like en-US or en-GB`,
      ),
    );

  // One folder of overrides, or several dated ones (a restyle from a month on).
  const templateFolders: Config["templateFolders"] = [];
  const listed: (InForce & { folder: string })[] = typeof raw.templates === "string" ? [{ folder: raw.templates }] : (raw.templates ?? []);
  listed.forEach((entry, index) => {
    const path = typeof raw.templates === "string" ? ["templates"] : ["templates", index, "folder"];
    const problem = insideRoot(root, entry.folder);
    if (problem) diagnostics.push(diagnostic(source.file, locate(source, path), "config-templates", problem));
    const clash = listed.slice(0, index).find((other) => overlap(other, entry));
    if (clash)
      diagnostics.push(
        diagnostic(
          source.file,
          locate(source, path),
          "config-templates",
          `template folders \`${clash.folder}\` and \`${entry.folder}\` are both in force in some month; give them months that do not overlap (\`from\`, \`until\`)`,
        ),
      );
    templateFolders.push({ ...entry, folder: resolve(root, entry.folder) });
  });
  if (typeof raw.templates !== "string") diagnostics.push(...badRanges(source, "templates", listed));
  const templates =
    templateFolders.find((entry) => entry.until === undefined && entry.from === undefined)?.folder ??
    templateFolders.find((entry) => entry.until === undefined)?.folder;

  if (diagnostics.length) return { diagnostics };
  return {
    diagnostics,
    config: {
      title: raw.title,
      organisation: raw.organisation,
      subject: raw.subject,
      locale: raw.locale ?? "en-US",
      sections,
      parts,
      links,
      milestones: {
        idPatterns,
        levelsFirst: raw.milestones?.levelsFirst ?? [],
        import: { ...scheduleImport, profiles },
        reportFrom: raw.milestones?.reportFrom ?? "element",
        slipThreshold: raw.milestones?.slipThreshold ?? 30,
        historyLevels: raw.milestones?.historyLevels ?? [],
        show,
      },
      output: {
        name: raw.output?.name ?? "report-{month}",
        formats: raw.output?.formats ?? ["md"],
        pageSize: raw.output?.pageSize ?? "A4",
        browser: raw.output?.browser,
        remoteImages: raw.output?.remoteImages ?? false,
      },
      templates,
      templateFolders,
      rules: raw.rules ?? {},
      tickets: raw.tickets ?? [],
    },
  };
}

/**
 * The import settings `raw` gives (at `path` in the config), over `base` (a profile's, over the
 * import's own) or the defaults: a P6 export's columns, no prefix, no map.
 */
function importSettings(
  source: YamlSource,
  path: (string | number)[],
  raw: RawImport,
  base: ScheduleImport | undefined,
  diagnostics: Diagnostic[],
): ScheduleImport {
  let wbsPrefix = base?.wbsPrefix;
  if (raw.wbsPrefix) {
    const pattern = compilePattern(`^(?:${raw.wbsPrefix})`, "");
    if (pattern instanceof Error)
      diagnostics.push(
        diagnostic(
          source.file,
          locate(source, [...path, "wbsPrefix"]),
          "config-pattern",
          `the schedule's WBS prefix is not a valid regular expression: ${pattern.message}`,
        ),
      );
    else wbsPrefix = pattern;
  }
  const columns = Object.fromEntries(
    Object.entries(PRIMAVERA_COLUMNS).map(([field, names]) => {
      const given = raw.columns?.[field as keyof ScheduleImport["columns"]];
      return [
        field,
        given === undefined ? (base?.columns[field as keyof ScheduleImport["columns"]] ?? names) : ([] as string[]).concat(given),
      ];
    }),
  ) as ScheduleImport["columns"];
  if (raw.encoding !== undefined && !knownEncoding(raw.encoding))
    diagnostics.push(
      diagnostic(
        source.file,
        locate(source, [...path, "encoding"]),
        "config-encoding",
        `the encoding \`${raw.encoding}\` is not one this machine reads; name one such as windows-1252, iso-8859-1, utf-16le`,
      ),
    );
  return {
    columns,
    wbsPrefix,
    ...((raw.wbsPrefix ?? base?.wbsPrefixText) !== undefined && { wbsPrefixText: raw.wbsPrefix ?? base?.wbsPrefixText }),
    wbsMap: raw.wbsMap ? Object.entries(raw.wbsMap).map(([code, element]) => ({ code, element })) : (base?.wbsMap ?? []),
    wbsLeading: raw.wbsLeading ?? base?.wbsLeading ?? "",
    completedStatus: raw.completedStatus ?? base?.completedStatus ?? ["TK_Complete", "Completed", "Complete"],
    ...((raw.encoding ?? base?.encoding) !== undefined && { encoding: raw.encoding ?? base?.encoding }),
    baseline: raw.baseline ?? base?.baseline ?? false,
  };
}

/** Whether dmreport can decode text in `encoding` (the decoder import-milestones uses). */
export function knownEncoding(encoding: string): boolean {
  return iconv.encodingExists(encoding);
}

function supportedLocale(locale: string): boolean {
  try {
    return Intl.DateTimeFormat.supportedLocalesOf(locale).length > 0;
  } catch {
    return false;
  }
}

function compilePattern(text: string, flags: string): RegExp | Error {
  try {
    return new RegExp(text, `${flags}u`);
  } catch (error) {
    return error as Error;
  }
}

/**
 * Entries listed twice with the same id. One id may be listed again for months the first entry
 * is not in force (a section renamed at a re-plan keeps its id, so its text carries on).
 */
function duplicates(source: YamlSource, list: string, entries: readonly (InForce & { id: string })[], what: string): Diagnostic[] {
  return entries.flatMap((entry, index) => {
    const earlier = entries.slice(0, index).find((other) => other.id === entry.id && overlap(other, entry));
    if (!earlier) return [];
    const dated = earlier.from !== undefined || earlier.until !== undefined || entry.from !== undefined || entry.until !== undefined;
    return [
      diagnostic(
        source.file,
        locate(source, [list, index, "id"]),
        "config-duplicate",
        dated
          ? `${what} \`${entry.id}\` is listed twice for the same months (${forceRange(earlier) || "always"}, and ${forceRange(entry) || "always"}); give the two entries months that do not overlap`
          : `${what} \`${entry.id}\` is listed twice in \`${list}\``,
      ),
    ];
  });
}

/** Whether two dated entries are in force in some month together. */
export function overlap(a: InForce, b: InForce): boolean {
  return (
    (a.from === undefined || b.until === undefined || a.from <= b.until) &&
    (b.from === undefined || a.until === undefined || b.from <= a.until)
  );
}

/** Entries whose `from` comes after their `until`: in force in no month at all. */
export function badRanges(source: YamlSource, list: string | readonly (string | number)[], entries: readonly InForce[]): Diagnostic[] {
  return entries.flatMap((entry, index) =>
    entry.from !== undefined && entry.until !== undefined && entry.from > entry.until
      ? [
          diagnostic(
            source.file,
            locate(source, [...([] as (string | number)[]).concat(list), index, "until"]),
            "structure-range",
            `\`until: ${entry.until}\` comes before \`from: ${entry.from}\`, so this entry is in force in no month; correct one of the two`,
          ),
        ]
      : [],
  );
}

/**
 * Why `browser` may not be the browser that prints PDFs, or undefined when it may: a build runs it,
 * so it must be a program installed on the machine (a name found on PATH, or an absolute path
 * outside the source), never a file a commit to the source could have added.
 */
function browserOutsideSource(root: string, browser: string): string | undefined {
  const installed =
    "name it as installed on the machine: a command found on PATH (chromium) or an absolute path outside the repository (/usr/bin/chromium)";
  if (!isAbsolute(browser))
    return browser.includes("/") || browser.includes("\\")
      ? `the browser \`${browser}\` is a path in the source or the working folder, which a build would run: ${installed}`
      : undefined;
  if (inFolders(browser, committedFolders(root)))
    return `the browser \`${browser}\` is inside the repository of the report source, so a commit could change what a build runs: ${installed}`;
  return undefined;
}

/** Why `folder` cannot be a template folder of the source at `root`, or undefined when it can. */
function insideRoot(root: string, folder: string): string | undefined {
  const refusal = new SourceFiles(root).checkFolder(pathInSource(root, folder));
  if (!refusal) return undefined;
  if (refusal.rule === "file-outside-source")
    return `templates folder \`${folder}\` is outside the source; templates must live inside the folder of dmreport.yaml`;
  return `templates folder \`${folder}\` does not exist in the source; create it or remove \`templates\``;
}
