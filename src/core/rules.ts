/** Every rule dmreport checks: its id, default severity, whether a project may change it, and what it finds. */
/** How much a finding weighs: an error withholds the report, a warning is told. */
export type Severity = "error" | "warning";

export interface RuleInfo {
  severity: Severity;
  /** Structural rules cannot be turned off: without them the source cannot be read. */
  configurable: boolean;
  description: string;
}

const structural = (description: string): RuleInfo => ({ severity: "error", configurable: false, description });
const error = (description: string): RuleInfo => ({ severity: "error", configurable: true, description });
const warning = (description: string): RuleInfo => ({ severity: "warning", configurable: true, description });

export const RULES = {
  "yaml-syntax": structural("YAML that does not parse: bad indentation, tabs, unclosed quotes, duplicate keys"),
  "schema-required": structural("a required field is missing"),
  "schema-unknown-key": structural("a key the schema does not know (the nearest known one is suggested)"),
  "schema-type": structural("a value of the wrong type"),
  "schema-format": structural("a date that is not a real calendar date in YYYY-MM-DD form"),
  "schema-pattern": structural("a value that does not have the required form (a month, a code)"),
  "schema-enum": structural("a value outside the allowed set (milestone status, format)"),
  "schema-empty": structural("an empty value or list where something is needed"),
  "schema-range": structural("a number out of range"),
  schema: structural("any other schema violation"),
  "file-unreadable": structural("a needed file is missing or unreadable"),
  "file-encoding": structural("a file that is not UTF-8 text, or has a NUL byte"),
  "file-too-large": structural("a file larger than `limits.fileBytes` (1 MiB unless set)"),
  "file-outside-source": structural(
    "a file the build reads (fragment, YAML file, template, snapshot, image folder) that is a link leading outside the source or into `.git`",
  ),
  "yaml-aliases": structural('YAML aliases that expand without end ("billion laughs") or refer to what contains them'),
  "image-missing": error("a local image that does not exist"),
  "image-outside-source": error("a local image outside the source"),
  "image-type": error("a local image that is not PNG, JPEG, GIF or WebP, or is over 5 MiB"),
  "markdown-too-deep": structural(
    "Markdown the parser would spend too long on: lists and quotes nested deeper than `limits.nesting` (32 unless set), or more than 10,000 emphasis marks in a fragment",
  ),
  "frontmatter-unclosed": structural("frontmatter never closed by `---`"),
  "fragment-frontmatter": structural("a fragment without frontmatter"),
  "fragment-kind": structural("a fragment with both or neither of `wbs` and `part`"),
  "config-pattern": structural("a regular expression in dmreport.yaml that does not compile"),
  "config-locale": structural("a locale this machine does not know"),
  "config-encoding": structural("a `milestones.import.encoding` this machine cannot decode"),
  "config-browser": structural(
    "an `output.browser` that is not a browser installed on the machine: a path in the source or the working folder, which a build would run",
  ),
  "config-templates": structural("a template folder that is missing or outside the source, or two dated ones in force in the same month"),
  "config-duplicate": structural("a section or part id listed twice for the same months"),
  "structure-range": structural("a dated entry (element, section, part, milestone) whose `until` comes before its `from`"),
  "wbs-replaces": structural("a `replaces` that names no other element, or one that does not end before the element replacing it starts"),
  "template-syntax": structural("a template override that does not compile"),
  "template-error": structural("a template override that fails while rendering"),
  "template-missing": structural("a format without its report.hbs template"),
  "month-missing": structural("no folder for the month asked for"),
  "import-csv": structural("a schedule export that cannot be read, or lacks a mapped column"),
  "import-row": warning("a row of a schedule export that import-milestones cannot use"),
  "import-unmapped": structural(
    "a schedule export most of whose rows have a WBS id under no element of wbs.yaml: the prefix or map that would place them is suggested, and nothing is imported",
  ),
  "import-removals": structural(
    "a schedule export that lacks more than half the milestones of the month's previous export: import a partial export with --partial",
  ),
  "import-published": structural("an import for a month that is published, or before one that is: it would change a filed report"),
  "import-limits": structural(
    "an import whose register or snapshot would be larger than `limits.fileBytes`, which every later command would refuse",
  ),
  "import-order": structural(
    "an import without --month where the source records each month's schedule, or for a month before the latest export it has: it would rewrite what later imports recorded",
  ),
  "import-register": structural("a register written in a way an import cannot edit in place: nothing is written"),
  "import-annotations": structural(
    "an annotations file (import-milestones --annotations) that cannot be read, or a level that is not 0 to 9",
  ),
  "import-guess": warning("a place import chose for text the report does not place clearly"),
  "import-leftover": warning("text import could not place in a report source; it is kept in a leftover fragment"),
  "forecast-differs": warning(
    "a lead's forecast that differs from the month's schedule export by more than `milestones.slipThreshold` days",
  ),
  "completed-not-in-schedule": warning("a milestone a lead reports completed that the month's schedule export shows open"),
  "wbs-unknown": error("a WBS code that is not in wbs.yaml"),
  "wbs-duplicate": error("a WBS code used twice"),
  "wbs-not-under-parent": error("a child code that does not continue its parent's"),
  "wbs-not-in-force": structural("a fragment for a WBS element that is not in force in its month (dated `from`/`until` in wbs.yaml)"),
  "milestone-id": error("a milestone id that does not match `milestones.idPattern`"),
  "milestone-duplicate": error("a milestone id listed twice in the register for some of the same months"),
  "milestone-owner-not-in-force": structural(
    "a milestone in force in a month whose owner is not, with no element in force that replaces it",
  ),
  "milestone-unknown": error("a status for a milestone that is not in the register"),
  "milestone-not-owned": error("a status reported by an element that may not report the milestone (see `milestones.reportFrom`)"),
  "milestone-reported-twice": error("a milestone reported twice in one month"),
  "milestone-group-title": error("several milestones reported together without a `title`"),
  "milestone-completed-date": error("a completed milestone without its completion date"),
  "milestone-completed-future": error("a completion date after the month reported on, or in the future"),
  "milestone-delayed-note": error("a delayed milestone without a note saying why"),
  "milestone-delayed-forecast": error("a delayed milestone without a forecast date after its due date"),
  "milestone-completed-earlier": error("a milestone reported again after an earlier month reported it completed"),
  "milestone-owed": warning(
    "a milestone past due and not completed that no fragment of the month reports: it is carried into the report as delayed",
  ),
  "schedule-file": error("a file in schedule/ that is not a snapshot `YYYY-MM.yaml`, or whose month differs from its name"),
  "fragment-month-mismatch": error("a fragment's `month` differs from its month folder"),
  "fragment-duplicate": error("two fragments for one WBS element (or part) in one month"),
  "fragment-unknown-section": error("a section heading the report does not show: its text would be lost"),
  "fragment-duplicate-section": error("a section that appears twice in one fragment"),
  "fragment-text-outside-section": error("text outside any section: it would be lost"),
  "fragment-no-progress": error("progress text for an element marked `progress: false`"),
  "fragment-empty-section": warning("a section heading with nothing under it"),
  "part-unknown": error("a `part` that is not listed in `parts`"),
  "ticket-key": error("a ticket key written wrongly (`DM 12779`, `DM-` with no number)"),
  "ticket-prefix": warning("a ticket key whose prefix is nearly one of `tickets` (`Dm-12779`, `RCF-12`): the prefix meant is suggested"),
  "html-dropped": error(
    "raw HTML, or a link or image URL, that the outputs drop or change: script, event handlers, `javascript:` URLs, embedded pages, styles",
  ),
  "remote-resource": warning(
    "an image or other resource that would be fetched from the network: shown as a link, and never fetched by the PDF build, unless `output.remoteImages` allows images",
  ),
  "trailing-whitespace": warning("spaces or tabs at the end of a line that mean nothing"),
  "fragment-not-markdown": warning("a file in a month folder that is not a fragment"),
  "month-folder-name": warning("a folder in months/ that is not a month"),
  "time-limit": structural(
    "checks or rendering stopped after a minute (`DMREPORT_TIME_LIMIT_MS`): a regular expression of `dmreport.yaml` that backtracks without end on some text",
  ),
  "publish-record": structural(
    "a publish record (`published.yaml` and `.dmreport/published/`) that is not as `dmreport publish` writes it",
  ),
  "published-changed": structural("a published month whose output would now differ from what was published"),
  "publish-record-stale": warning(
    "a published month whose outputs are as published, but some of the files it was made from changed since: its record names the wrong files for a later change",
  ),
  "checks-skipped": {
    severity: "warning",
    configurable: false,
    description: "checks that could not run because `dmreport.yaml`, `wbs.yaml` or `milestones.yaml` has errors: fix those first",
  },
  "schema-copy-outdated": warning(
    "a copy of dmreport's schemas in `.dmreport/schemas/` that differs from the running dmreport's: editors check against another version",
  ),
} satisfies Record<string, RuleInfo>;

export type RuleId = keyof typeof RULES;

/** A rule's default severity; unknown ids are errors. */
export function defaultSeverity(rule: string): Severity {
  return (RULES as Record<string, RuleInfo>)[rule]?.severity ?? "error";
}
