/**
 * What the language server knows of a source for completion, hover and definition: its config,
 * WBS tree and register as they stand in the editor (unsaved buffers included), and the statuses
 * earlier months reported. Plain functions of the source's files; no protocol here.
 */
import { isMap, isScalar, visit } from "yaml";
import type { Position } from "../core/diagnostics.js";
import { loadSource } from "../load/index.js";
import type { ParseMemo } from "../load/memo.js";
import { locate, type YamlSource } from "../load/yaml-source.js";
import type { MilestoneMonthState } from "../milestones/state.js";
import { monthStates } from "../milestones/story.js";
import type { Config, Milestone, WbsElement, WbsTree } from "../core/model.js";
import { checkSchedule } from "../validate/schedule.js";
import { configAt, milestonesAt, wbsAt } from "../core/structure.js";
import { checkConfig } from "../validate/config.js";
import { checkRegister } from "../validate/register.js";
import { checkWbs } from "../validate/wbs.js";
import { TimeLimitError, withinTimeLimit } from "../core/time-limit.js";

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

/** The last knowledge judged per memo, with the parsed files it was judged from (the same objects while their texts are unchanged). */
const judged = new WeakMap<ParseMemo, { from: readonly unknown[]; knowledge: Knowledge }>();

function readKnowledge(root: string, overlay: ReadonlyMap<string, string>, memo: ParseMemo): Knowledge {
  const { source } = loadSource(root, { months: [], overlay, memo });
  // A hover or completion after each keystroke judges the structure again only when one of its files changed.
  const from = [root, source.config, source.wbs, source.register];
  const last = judged.get(memo);
  if (last?.from.every((part, index) => part === from[index])) return last.knowledge;
  const knowledge = judgeKnowledge(root, source);
  judged.set(memo, { from, knowledge });
  return knowledge;
}

function judgeKnowledge(root: string, source: ReturnType<typeof loadSource>["source"]): Knowledge {
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

/** What the story of the months before `month` says of milestone `id`: its state at the end of the last of them. */
export interface StateBefore {
  /** The month before, whose report tells it. */
  month: string;
  state: MilestoneMonthState;
  /** The forecast `month`'s own schedule export gives, when the source keeps it. */
  scheduled?: string;
}

/**
 * The state of milestone `id` at the end of the month before `month`, as that month's report
 * tells it (one story: the same computation as the report, lint and status), and `month`'s
 * schedule forecast; undefined when the source has no earlier month. Earlier months are read
 * for their statuses through the history cache.
 */
export function stateBefore(
  knowledge: Knowledge,
  month: string,
  id: string,
  overlay: ReadonlyMap<string, string>,
  memo: ParseMemo,
  cache: string | undefined,
): StateBefore | undefined {
  const { config, wbs, register } = knowledge;
  if (!config || !wbs || !register) return undefined;
  const { source } = loadSource(knowledge.root, { months: [month], history: true, fragments: false, overlay, memo, cache });
  const previous = source.months.filter((other) => other < month).pop();
  if (!previous) return undefined;
  const { schedule } = checkSchedule(source.schedule);
  const reports = source.history.filter((report) => report.month <= previous);
  const { states } = withinTimeLimit(() => monthStates({ wbs, register, schedule }, previous, reports));
  const state = states.get(id);
  const scheduled = schedule.find((snapshot) => snapshot.month === month)?.rows.get(id)?.forecast;
  return state && { month: previous, state, ...(scheduled && { scheduled }) };
}

/** The milestones completed before `month`, with their completion dates, as the earlier months reported them. */
export function completedBefore(
  knowledge: Knowledge,
  month: string,
  overlay: ReadonlyMap<string, string>,
  memo: ParseMemo,
  cache: string | undefined,
): Map<string, string> {
  const { source } = loadSource(knowledge.root, { months: [month], history: true, fragments: false, overlay, memo, cache });
  const completed = new Map<string, string>();
  for (const report of source.history)
    if (report.month < month && report.status === "completed" && report.completed && !completed.has(report.id))
      completed.set(report.id, report.completed);
  return completed;
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
