/** The formats lint can report in (kept apart so the command line can list them without loading the reporters). */
export const LINT_FORMATS = ["stylish", "json", "github", "gitlab", "sarif"] as const;
export type LintFormat = (typeof LINT_FORMATS)[number];
