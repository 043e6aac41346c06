/** Validate stage: check a loaded source against the schemas and rules, and type its contents. */
import { diagnostic, hasErrors, type Diagnostic } from "../diagnostics.js";
import type { LoadedSource } from "../load/index.js";
import type { Milestone, Project } from "../model.js";
import { checkConfig } from "./config.js";
import { checkFragment, checkMonth, type CheckedFragment } from "./fragments.js";
import { milestoneHistory } from "./history.js";
import { checkRegister } from "./register.js";
import { checkWbs } from "./wbs.js";

export { continuedCode } from "./wbs.js";

/**
 * Every problem of the source as diagnostics, and the typed project when there is no error.
 * Checks go as far as they can, so that one run reports as many problems as possible.
 */
export function validateSource(source: LoadedSource): { project?: Project; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const { config: configSource, wbs: wbsSource, register: registerSource } = source;
  const syntaxOk = (file: { doc: { errors: unknown[] } } | null) => file !== null && file.doc.errors.length === 0;

  const config = syntaxOk(configSource) ? record(checkConfig(source.root, configSource!), diagnostics).config : undefined;
  const wbs = syntaxOk(wbsSource) ? record(checkWbs(wbsSource!), diagnostics).wbs : undefined;
  if (!config || !wbs) return { diagnostics };

  let milestones = new Map<string, Milestone>();
  if (registerSource) {
    if (!syntaxOk(registerSource)) return { diagnostics };
    const checked = record(checkRegister(registerSource, config, wbs), diagnostics).milestones;
    if (!checked) return { diagnostics };
    milestones = checked;
  }

  const byMonth = new Map<string, CheckedFragment[]>();
  for (const fragmentSource of source.fragments) {
    const { checked } = record(checkFragment(fragmentSource, { config, wbs, milestones }), diagnostics);
    if (!checked) continue;
    const month = fragmentSource.folderMonth;
    byMonth.set(month, [...(byMonth.get(month) ?? []), checked]);
  }
  for (const checked of byMonth.values()) diagnostics.push(...checkMonth(checked));

  if (hasErrors(diagnostics)) return { diagnostics };
  const fragments = [...byMonth.values()].flat().map((checked) => checked.fragment);
  const history = milestoneHistory(source.history, milestones);
  return { diagnostics, project: { root: source.root, config, wbs, milestones, months: source.months, fragments, history } };
}

/** Keep a check's diagnostics and hand back its result. */
function record<T extends { diagnostics: Diagnostic[] }>(result: T, into: Diagnostic[]): T {
  into.push(...result.diagnostics);
  return result;
}

/** The diagnostic for a month that has no folder in the source. */
export function missingMonth(month: string, months: readonly string[]): Diagnostic {
  const known = months.length ? `months in this source: ${months.join(", ")}` : "this source has no month folders yet";
  return diagnostic(`months/${month}`, { line: 1, column: 1 }, "month-missing",
    `there is no folder months/${month}/ for the month asked for (${known})`);
}
