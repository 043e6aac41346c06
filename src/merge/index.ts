/** Merge stage: one month of a checked project into a report tree in WBS order. */
import type { PartFragment, Project, WbsFragment } from "../model.js";
import { buildChapters } from "./chapters.js";
import { buildMilestoneSummary } from "./milestones.js";
import type { ReportPart, ReportTree } from "./tree.js";

export type * from "./tree.js";

/** The report of `month`. */
export function mergeReport(project: Project, month: string): ReportTree {
  const { config, wbs } = project;
  const fragments = project.fragments.filter((fragment) => fragment.month === month);
  const wbsFragments = fragments.filter((fragment): fragment is WbsFragment => fragment.kind === "wbs");
  const partFragments = new Map(
    fragments.filter((fragment): fragment is PartFragment => fragment.kind === "part").map((fragment) => [fragment.part, fragment]),
  );
  const parts: ReportPart[] = config.parts.flatMap((part) => {
    const fragment = partFragments.get(part.id);
    return fragment ? [{ id: part.id, title: part.title, content: fragment.content }] : [];
  });
  return {
    title: config.title,
    organisation: config.organisation,
    subject: config.subject,
    month,
    monthLabel: monthLabel(month, config.locale),
    parts,
    milestoneSummary: buildMilestoneSummary(config, wbs, project.milestones, fragments),
    chapters: buildChapters(config, wbs, wbsFragments),
  };
}

/** `2017-12` as people write it in `locale` (December 2017). */
export function monthLabel(month: string, locale: string): string {
  const [year, monthNumber] = month.split("-").map(Number) as [number, number];
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat(locale, { month: "long", year: "numeric", timeZone: "UTC" });
  } catch {
    format = new Intl.DateTimeFormat("en-US", { month: "long", year: "numeric", timeZone: "UTC" });
  }
  return format.format(new Date(Date.UTC(year, monthNumber - 1, 1)));
}
