/** Check the schedule snapshots (schedule/YYYY-MM.yaml) and type them. */
import { diagnostic, type Diagnostic } from "../core/diagnostics.js";
import { locate, plainValue, type YamlSource } from "../load/yaml-source.js";
import type { ScheduleRow, ScheduleSnapshot } from "../core/model.js";
import { checkSchema } from "./schema.js";

/** Each snapshot file checked once, however many months of an archive are validated against it. */
const checkedOnce = new WeakMap<YamlSource, { snapshot?: ScheduleSnapshot; diagnostics: Diagnostic[] }>();

/** The snapshots that are sound, in month order; each problem of the others as a diagnostic. */
export function checkSchedule(sources: readonly YamlSource[]): { schedule: ScheduleSnapshot[]; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const schedule: ScheduleSnapshot[] = [];
  for (const source of sources) {
    let checked = checkedOnce.get(source);
    if (!checked) checkedOnce.set(source, (checked = checkSnapshot(source)));
    diagnostics.push(...checked.diagnostics);
    if (checked.snapshot) schedule.push(checked.snapshot);
  }
  return { schedule, diagnostics };
}

function checkSnapshot(source: YamlSource): { snapshot?: ScheduleSnapshot; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  {
    if (source.doc.errors.length) return { diagnostics }; // reported as YAML syntax errors
    const plain = plainValue(source);
    if (plain.diagnostics.length) return { diagnostics: plain.diagnostics };
    const problems = checkSchema("schedule", source, plain.value ?? {});
    const value = plain.value as { month: string; milestones: (ScheduleRow & { wbs?: string })[] };
    const month = /(\d{4}-\d{2})\.yaml$/.exec(source.file)![1]!;
    if (!problems.length && value.month !== month)
      problems.push(
        diagnostic(
          source.file,
          locate(source, ["month"]),
          "schedule-file",
          `month \`${value.month}\` does not match the file's name (${month}): rename the file or correct the month`,
        ),
      );
    if (problems.length) return { diagnostics: problems };
    const rows = new Map(
      value.milestones.map(({ id, due, forecast, completed }) => [
        id,
        { id, ...(due && { due }), ...(forecast && { forecast }), ...(completed && { completed }) },
      ]),
    );
    return { snapshot: { month, rows }, diagnostics };
  }
}
