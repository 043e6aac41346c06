/** Check the milestone register (milestones.yaml): ids well-formed and unique, owners in the WBS. */
import { diagnostic, withSuggestions, type Diagnostic, type Position, type Span } from "../core/diagnostics.js";
import { locate, plainValue, spanAt, type YamlSource } from "../load/yaml-source.js";
import type { Config, InForce, Milestone, WbsTree } from "../core/model.js";
import { didYouMean, nearest } from "./nearest.js";
import { checkSchema } from "./schema.js";
import { badRanges, overlap } from "./config.js";
import { forceRange } from "../core/structure.js";

type RawMilestone = Omit<Milestone, "order">;

/**
 * The register: every entry in register order, and by id each milestone's latest entry (the one in
 * force last); undefined when the file has schema errors. An id may be listed again for months its
 * other entries are not in force (`from`, `until`): the register as it stood in each month, as an
 * import of a month's schedule writes it.
 */
export function checkRegister(
  source: YamlSource,
  config: Config,
  wbs: WbsTree,
): { milestones?: Map<string, Milestone>; entries?: Milestone[]; diagnostics: Diagnostic[] } {
  const plain = plainValue(source);
  if (plain.diagnostics.length) return { diagnostics: plain.diagnostics };
  const value = plain.value;
  const diagnostics = checkSchema("milestones", source, value ?? {});
  if (diagnostics.length) return { diagnostics };

  const milestones = new Map<string, Milestone>();
  const entries: Milestone[] = [];
  const byId = new Map<string, Milestone[]>();
  diagnostics.push(...badRanges(source, "milestones", (value as { milestones: RawMilestone[] }).milestones));
  (value as { milestones: RawMilestone[] }).milestones.forEach((raw, index) => {
    const at = (field: string) => locate(source, ["milestones", index, field]);
    diagnostics.push(...checkMilestoneId(source.file, at("id"), raw.id, config));
    const earlier = (byId.get(raw.id) ?? []).find((other) => overlap(other, raw));
    if (earlier) {
      const dated = [earlier, raw].some((entry) => entry.from !== undefined || entry.until !== undefined);
      diagnostics.push(
        diagnostic(
          source.file,
          at("id"),
          "milestone-duplicate",
          dated
            ? `milestone \`${raw.id}\` is already in the register for some of the same months (entry ${earlier.order + 1}, ${forceRange(earlier) || "always"}; this one ${forceRange(raw) || "always"}): give the two entries months that do not overlap`
            : `milestone \`${raw.id}\` is already in the register (entry ${earlier.order + 1}); each id may appear once, or again for other months (\`from\`, \`until\`)`,
        ),
      );
      return;
    }
    const owner = wbs.find(raw.wbs);
    if (!owner)
      diagnostics.push(
        unknownWbs(source.file, at("wbs"), raw.wbs, `owner of milestone \`${raw.id}\``, wbs, spanAt(source, ["milestones", index, "wbs"])),
      );
    // Frozen: a register unchanged is checked once and its milestones shared by every later check.
    const milestone: Milestone = Object.freeze({ ...raw, wbs: owner?.fullCode ?? raw.wbs, order: index });
    entries.push(milestone);
    byId.set(raw.id, [...(byId.get(raw.id) ?? []), milestone]);
    const known = milestones.get(raw.id);
    if (!known || later(milestone, known)) milestones.set(raw.id, milestone);
  });
  return { milestones, entries, diagnostics };
}

/** Whether entry `a` of an id is in force later than entry `b` (the two do not overlap). */
function later(a: InForce, b: InForce): boolean {
  return (a.from ?? "") > (b.from ?? "");
}

/** A diagnostic for a milestone id that matches none of the configured patterns, if it does not. */
export function checkMilestoneId(file: string, position: { line: number; column: number }, id: string, config: Config): Diagnostic[] {
  if (config.milestones.idPatterns.some((pattern) => pattern.test(id))) return [];
  const patterns = config.milestones.idPatterns.map((pattern) => `/${pattern.source}/`).join(" or ");
  return [
    diagnostic(file, position, "milestone-id", `milestone id \`${id}\` does not match ${patterns} (milestones.idPattern in dmreport.yaml)`),
  ];
}

/** A diagnostic for a WBS code that is not in wbs.yaml, with the nearest codes it has. */
export function unknownWbs(file: string, position: Position, code: string, role: string, wbs: WbsTree, span?: Span): Diagnostic {
  const suggestions = nearest(
    code,
    wbs.elements.flatMap((element) => [element.code, element.fullCode]),
  );
  const found = diagnostic(
    file,
    position,
    "wbs-unknown",
    `WBS code \`${code}\` (${role}) is not in wbs.yaml: ${suggestions.length ? `${didYouMean(suggestions)} Otherwise` : "fix the code or"} add the element to wbs.yaml`,
  );
  return withSuggestions(found, suggestions, span);
}
