/** Check the milestone register (milestones.yaml): ids well-formed and unique, owners in the WBS. */
import { diagnostic, withSuggestions, type Diagnostic, type Position, type Span } from "../diagnostics.js";
import { locate, plainValue, spanAt, type YamlSource } from "../load/index.js";
import type { Config, Milestone, WbsTree } from "../model.js";
import { didYouMean, nearest } from "./nearest.js";
import { checkSchema } from "./schema.js";
import { badRanges } from "./config.js";

type RawMilestone = Omit<Milestone, "order">;

/** The register by id, in register order; undefined when the file has schema errors. */
export function checkRegister(
  source: YamlSource,
  config: Config,
  wbs: WbsTree,
): { milestones?: Map<string, Milestone>; diagnostics: Diagnostic[] } {
  const plain = plainValue(source);
  if (plain.diagnostics.length) return { diagnostics: plain.diagnostics };
  const value = plain.value;
  const diagnostics = checkSchema("milestones", source, value ?? {});
  if (diagnostics.length) return { diagnostics };

  const milestones = new Map<string, Milestone>();
  diagnostics.push(...badRanges(source, "milestones", (value as { milestones: RawMilestone[] }).milestones));
  (value as { milestones: RawMilestone[] }).milestones.forEach((raw, index) => {
    const at = (field: string) => locate(source, ["milestones", index, field]);
    diagnostics.push(...checkMilestoneId(source.file, at("id"), raw.id, config));
    if (milestones.has(raw.id)) {
      diagnostics.push(
        diagnostic(source.file, at("id"), "milestone-duplicate",
          `milestone \`${raw.id}\` is already in the register (entry ${milestones.get(raw.id)!.order + 1}); each id may appear once`),
      );
      return;
    }
    const owner = wbs.find(raw.wbs);
    if (!owner) diagnostics.push(unknownWbs(source.file, at("wbs"), raw.wbs, `owner of milestone \`${raw.id}\``, wbs, spanAt(source, ["milestones", index, "wbs"])));
    milestones.set(raw.id, { ...raw, wbs: owner?.fullCode ?? raw.wbs, order: index });
  });
  return { milestones, diagnostics };
}

/** A diagnostic for a milestone id that matches none of the configured patterns, if it does not. */
export function checkMilestoneId(
  file: string,
  position: { line: number; column: number },
  id: string,
  config: Config,
): Diagnostic[] {
  if (config.milestones.idPatterns.some((pattern) => pattern.test(id))) return [];
  const patterns = config.milestones.idPatterns.map((pattern) => `/${pattern.source}/`).join(" or ");
  return [
    diagnostic(file, position, "milestone-id",
      `milestone id \`${id}\` does not match ${patterns} (milestones.idPattern in dmreport.yaml)`),
  ];
}

/** A diagnostic for a WBS code that is not in wbs.yaml, with the nearest codes it has. */
export function unknownWbs(file: string, position: Position, code: string, role: string, wbs: WbsTree, span?: Span): Diagnostic {
  const suggestions = nearest(code, wbs.elements.flatMap((element) => [element.code, element.fullCode]));
  const found = diagnostic(file, position, "wbs-unknown",
    `WBS code \`${code}\` (${role}) is not in wbs.yaml: ${suggestions.length ? `${didYouMean(suggestions)} Otherwise` : "fix the code or"} add the element to wbs.yaml`);
  return withSuggestions(found, suggestions, span);
}
