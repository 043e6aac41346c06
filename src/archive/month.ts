/** One month of an archive build, the same in the main thread and in a worker. */
import { produceMonth, type Format } from "../build.js";
import { hasErrors, type Diagnostic } from "../core/diagnostics.js";
import { incompleteMonths, loadMonth, type LoadedSource } from "../load/index.js";
import { SourceFiles } from "../load/source-files.js";
import { checkPublishedMonth, imagesShown, monthReads, publishedFormats } from "../publish/guard.js";
import type { MilestoneReport } from "../core/model.js";
import { summaryCounts } from "../merge/milestones.js";
import { validateSource } from "../validate/index.js";
import type { OutputFile } from "../write/index.js";
import { MonthStore } from "./store.js";

export interface MonthTask {
  month: string;
  /** Statuses reported in the months before it. */
  history: MilestoneReport[];
}

export interface MonthDone {
  month: string;
  diagnostics: Diagnostic[];
  /** The images the month's fragments show, by path in the source: its key covers them. */
  images?: string[];
  /** Set when the month was built: its outputs, to be written with all the others. */
  built?: { outputs: (OutputFile & { format: string })[]; label: string; counts: Record<string, number> };
}

/**
 * Validate and render one month, given the source's config, WBS tree and register; with `cache`,
 * what its fragments' Markdown parsed and rendered to last time is kept there, and not done again
 * (unless `fresh`: then it is made anew).
 */
export async function buildMonthOfArchive(
  base: LoadedSource,
  task: MonthTask,
  options: { formats: readonly string[]; write: boolean; cache?: string; fresh?: boolean },
): Promise<MonthDone> {
  const store = MonthStore.open(options.cache, base.root, task.month, options.fresh);
  let done: MonthDone | undefined;
  try {
    done = await buildWith(store, base, task, options);
  } catch (error) {
    // What was kept only saves time: a month that failed with it is built again without it (a
    // store changed by hand could hold what no parse gives), and a failure then is the month's own.
    if (!store.served) throw error;
  }
  if (store.served && (!done || hasErrors(done.diagnostics))) {
    const fresh = MonthStore.open(options.cache, base.root, task.month, true);
    done = await buildWith(fresh, base, task, options);
    fresh.save();
    return done;
  }
  store.save();
  return done!;
}

async function buildWith(
  store: MonthStore,
  base: LoadedSource,
  task: MonthTask,
  options: { formats: readonly string[]; write: boolean },
): Promise<MonthDone> {
  const { fragments, diagnostics: loadProblems } = loadMonth(base, task.month, { trees: store });
  const { project, diagnostics: problems } = validateSource(
    // What the whole source has (its schema copies) was checked once, with the config.
    { ...base, fragments, history: [], incomplete: incompleteMonths(loadProblems), schemaCopies: new Map() },
    { history: task.history },
  );
  const diagnostics = [...loadProblems, ...problems];
  if (!project || hasErrors(problems)) return { month: task.month, diagnostics };
  // A published month is built as it was published, every output it published checked, or the archive writes nothing.
  const checked = publishedFormats(project.published, task.month);
  const reads = checked.length ? monthReads(project, new SourceFiles(project.root), task.month) : undefined;
  const produced = await produceMonth(
    project,
    task.month,
    [...new Set([...(options.formats as Format[]), ...checked])],
    options.write,
    (outputs) => checkPublishedMonth(project.published, task.month, outputs, reads),
    store,
  );
  diagnostics.push(...produced.diagnostics);
  const images = imagesShown(project.fragments);
  if (hasErrors(diagnostics) || !options.write) return { month: task.month, diagnostics, images };
  const counts = summaryCounts(produced.tree.milestoneSummary);
  const outputs = produced.outputs.filter((output) => options.formats.includes(output.format));
  return { month: task.month, diagnostics, images, built: { outputs, label: produced.tree.monthLabel, counts } };
}
