/** One month of an archive build, the same in the main thread and in a worker. */
import { produceMonth, type Format } from "../build.js";
import { hasErrors, type Diagnostic } from "../diagnostics.js";
import { incompleteMonths, loadMonth, type LoadedSource } from "../load/index.js";
import type { MilestoneReport } from "../model.js";
import { summaryCounts } from "../merge/milestones.js";
import { validateSource } from "../validate/index.js";
import type { OutputFile } from "../write/index.js";

export interface MonthTask {
  month: string;
  /** Statuses reported in the months before it. */
  history: MilestoneReport[];
}

export interface MonthDone {
  month: string;
  diagnostics: Diagnostic[];
  /** Set when the month was built: its outputs, to be written with all the others. */
  built?: { outputs: (OutputFile & { format: string })[]; label: string; counts: Record<string, number> };
}

/** Validate and render one month, given the source's config, WBS tree and register. */
export async function buildMonthOfArchive(
  base: LoadedSource,
  task: MonthTask,
  options: { formats: readonly string[]; write: boolean },
): Promise<MonthDone> {
  const { fragments, diagnostics: loadProblems } = loadMonth(base, task.month);
  const { project, diagnostics: problems } = validateSource(
    // What the whole source has (its schema copies) was checked once, with the config.
    { ...base, fragments, history: [], incomplete: incompleteMonths(loadProblems), schemaCopies: new Map() },
    { history: task.history },
  );
  const diagnostics = [...loadProblems, ...problems];
  if (!project || hasErrors(problems)) return { month: task.month, diagnostics };
  const produced = await produceMonth(project, task.month, options.formats as Format[], options.write);
  diagnostics.push(...produced.diagnostics);
  if (hasErrors(produced.diagnostics) || !options.write) return { month: task.month, diagnostics };
  const counts = summaryCounts(produced.tree.milestoneSummary);
  return { month: task.month, diagnostics, built: { outputs: produced.outputs, label: produced.tree.monthLabel, counts } };
}
