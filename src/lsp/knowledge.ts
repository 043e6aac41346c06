/**
 * What the language server knows of a source for completion, hover and definition: its config,
 * WBS tree and register as they stand in the editor (unsaved buffers included), and the statuses
 * earlier months reported. Plain functions of the source's files; no protocol here.
 */
import { isMap, isScalar, visit } from "yaml";
import type { Position } from "../diagnostics.js";
import { loadSource, locate, statusesReported, type ParseMemo, type YamlSource } from "../load/index.js";
import type { Config, Milestone, MilestoneReport, WbsElement, WbsTree } from "../model.js";
import { configAt, milestonesAt, wbsAt } from "../structure.js";
import { checkConfig } from "../validate/config.js";
import { checkRegister } from "../validate/register.js";
import { checkWbs } from "../validate/wbs.js";
import { TimeLimitError, withinTimeLimit } from "../time-limit.js";

/** The structure of a source, each part present when its file is sound. */
export interface Knowledge {
  root: string;
  config?: Config;
  wbs?: WbsTree;
  milestones?: Map<string, Milestone>;
  /** Every entry of the register (an id again for the months it changed in). */
  register?: Milestone[];
  wbsSource?: YamlSource;
  registerSource?: YamlSource;
}

/** The source's structure read now, through the editor's unsaved texts (`overlay`, by path in the source). */
export function knowledgeOf(root: string, overlay: ReadonlyMap<string, string>, memo: ParseMemo): Knowledge {
  try {
    // The register is checked against the project's own id patterns: under the time limit, as every check is.
    return withinTimeLimit(() => readKnowledge(root, overlay, memo));
  } catch (error) {
    if (error instanceof TimeLimitError) return { root };
    throw error;
  }
}

function readKnowledge(root: string, overlay: ReadonlyMap<string, string>, memo: ParseMemo): Knowledge {
  const { source } = loadSource(root, { months: [], overlay, memo });
  const sound = (file: YamlSource | null): file is YamlSource => file !== null && file.doc.errors.length === 0;
  const config = sound(source.config) ? checkConfig(root, source.config).config : undefined;
  const wbs = sound(source.wbs) ? checkWbs(source.wbs).wbs : undefined;
  const checked = config && wbs && sound(source.register) ? checkRegister(source.register, config, wbs) : undefined;
  const milestones = checked?.milestones;
  return {
    root,
    ...(config && { config }),
    ...(wbs && { wbs }),
    ...(milestones && { milestones }),
    ...(checked?.entries && { register: checked.entries }),
    ...(source.wbs && { wbsSource: source.wbs }),
    ...(source.register && { registerSource: source.register }),
  };
}

/** The structure in force in `month`; the whole of it when there is no month (a file outside months/). */
export function inForceIn(knowledge: Knowledge, month: string | undefined) {
  const { config, wbs, milestones, register } = knowledge;
  return {
    config: config && month ? configAt(config, month) : config,
    wbs: wbs && month ? wbsAt(wbs, month) : wbs,
    milestones: register && wbs && month ? milestonesAt(register, wbs, month) : milestones,
  };
}

/** The statuses the fragments of months before `month` reported for `id`, latest last. */
export function earlierReports(root: string, month: string, id: string, overlay: ReadonlyMap<string, string>, memo: ParseMemo): MilestoneReport[] {
  const { source } = loadSource(root, { bodies: new Set(), overlay, memo });
  return source.fragments
    .filter((fragment) => fragment.folderMonth < month)
    .flatMap(statusesReported)
    .filter((report) => report.id === id)
    .sort((a, b) => (a.month < b.month ? -1 : a.month > b.month ? 1 : 0));
}

/** Where a milestone's entry stands in the register. */
export function milestonePlace(knowledge: Knowledge, milestone: Milestone): Position | undefined {
  return knowledge.registerSource && locate(knowledge.registerSource, ["milestones", milestone.order, "id"]);
}

/** Where an element's `code:` stands in wbs.yaml. */
export function elementPlace(knowledge: Knowledge, element: WbsElement): Position | undefined {
  const source = knowledge.wbsSource;
  if (!source) return undefined;
  let offset: number | undefined;
  visit(source.doc, {
    Map(_, map) {
      if (offset !== undefined || !isMap(map)) return offset === undefined ? undefined : visit.BREAK;
      const code = map.items.find((pair) => isScalar(pair.key) && pair.key.value === "code")?.value;
      if (isScalar(code) && code.range && [element.code, element.fullCode].includes(String(code.value))) {
        offset = code.range[0];
        return visit.BREAK;
      }
      return undefined;
    },
  });
  return offset === undefined ? undefined : source.positionAt(offset);
}
