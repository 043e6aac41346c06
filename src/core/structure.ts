/**
 * The structure in force in a month. WBS elements, sections, parts and the register's milestones
 * may each be dated: `from` (the first month in force) and `until` (the last). An undated entry
 * is in force in every month, so a source that dates nothing has one structure, as before. Every
 * month is checked, merged and counted against the structure of its own month.
 */
import type { Config, Milestone, Project, WbsElement, WbsTree } from "./model.js";

/** An entry that may be dated: YYYY-MM, both ends included. */
export interface Dated {
  from?: string;
  until?: string;
}

export function inForce(entry: Dated, month: string): boolean {
  return (entry.from === undefined || entry.from <= month) && (entry.until === undefined || month <= entry.until);
}

/** When an entry is in force, in words: "from 2018-02", "until 2018-01", "from 2017-06 until 2018-01". */
export function forceRange(entry: Dated): string {
  return [entry.from && `from ${entry.from}`, entry.until && `until ${entry.until}`].filter(Boolean).join(" ");
}

const dated = (entry: Dated) => entry.from !== undefined || entry.until !== undefined;

const trees = new WeakMap<WbsTree, Map<string, WbsTree>>();

/**
 * The WBS tree of `month`: the elements in force then, under parents in force then. The same
 * tree when nothing in it is dated.
 */
export function wbsAt(wbs: WbsTree, month: string): WbsTree {
  if (!wbs.elements.some(dated)) return wbs;
  const known = trees.get(wbs) ?? new Map<string, WbsTree>();
  trees.set(wbs, known);
  const found = known.get(month);
  if (found) return found;
  const elements: WbsElement[] = [];
  const copy = (element: WbsElement, parent: WbsElement | null): WbsElement | undefined => {
    if (!inForce(element, month)) return undefined;
    const kept: WbsElement = { ...element, parent, children: [] };
    elements.push(kept);
    kept.children = element.children.flatMap((child) => copy(child, kept) ?? []);
    return kept;
  };
  const roots = wbs.roots.flatMap((root) => copy(root, null) ?? []);
  const byCode = new Map(elements.map((element) => [element.fullCode, element]));
  const tree: WbsTree = {
    roots,
    elements,
    find: (code) => {
      const element = wbs.find(code);
      return element && byCode.get(element.fullCode);
    },
  };
  known.set(month, tree);
  return tree;
}

/** The config of `month`: its sections, parts and template folder in force then. The same config when none is dated. */
export function configAt(config: Config, month: string): Config {
  if (!config.sections.some(dated) && !config.parts.some(dated) && !config.templateFolders.some(dated)) return config;
  return {
    ...config,
    sections: config.sections.filter((section) => inForce(section, month)),
    parts: config.parts.filter((part) => inForce(part, month)),
    templates: config.templateFolders.find((entry) => inForce(entry, month))?.folder,
  };
}

/** Each register's milestones by month, for the tree they were placed in (the register is shared while its file is unchanged). */
const registers = new WeakMap<readonly Milestone[], { wbs: WbsTree; dated: boolean; byMonth: Map<string, Map<string, Milestone>> }>();

/**
 * The register of `month`, from every entry of the register (`entries`, in register order): the
 * entry of each id in force then (an id is listed again for the months a re-plan or a schedule
 * import changed it in), each owned by the element in force then that holds its owner's work:
 * the owner itself, or the element it replaced or that replaced it at a re-plan (`replaces`), so
 * a milestone follows its work across re-codes. A milestone whose work has no element in force
 * that month keeps its owner (validate reports it).
 */
export function milestonesAt(entries: readonly Milestone[], wbs: WbsTree, month: string): Map<string, Milestone> {
  let kept = registers.get(entries);
  // Nothing dated: one register for every month.
  if (kept?.wbs !== wbs)
    registers.set(entries, (kept = { wbs, dated: entries.some(dated) || wbs.elements.some(dated), byMonth: new Map() }));
  const known = kept.byMonth;
  const key = kept.dated ? month : "";
  const found = known.get(key);
  if (found) return found;
  const inMonth = new Map<string, Milestone>();
  for (const milestone of entries) {
    if (!inForce(milestone, month)) continue;
    const owner = key ? (ownerAt(wbs, milestone.wbs, month) ?? milestone.wbs) : milestone.wbs;
    inMonth.set(milestone.id, owner === milestone.wbs ? milestone : { ...milestone, wbs: owner });
  }
  known.set(key, inMonth);
  return inMonth;
}

/**
 * The full code of the element in force in `month` that holds the work of `code`: itself, or the
 * nearest element across re-plans (those it replaces, and those that replace it), or undefined.
 */
export function ownerAt(wbs: WbsTree, code: string, month: string): string | undefined {
  const tree = wbsAt(wbs, month);
  const seen = new Set<string>();
  let current = [wbs.find(code)?.fullCode ?? code];
  while (current.length) {
    const found = current.map((candidate) => tree.find(candidate)).find(Boolean);
    if (found) return found.fullCode;
    for (const candidate of current) seen.add(candidate);
    const next = current.flatMap((candidate) => [
      ...(wbs.find(candidate)?.replaces ?? []),
      ...wbs.elements.filter((element) => element.replaces?.includes(candidate)).map((element) => element.fullCode),
    ]);
    current = [...new Set(next)].filter((candidate) => !seen.has(candidate));
  }
  return undefined;
}

/** The project as it stood in `month`: its WBS tree, config and register of that month. */
export function projectAt(project: Project, month: string): Project {
  const wbs = wbsAt(project.wbs, month);
  const config = configAt(project.config, month);
  const milestones = milestonesAt(project.register, project.wbs, month);
  return wbs === project.wbs && config === project.config && milestones === project.milestones
    ? project
    : { ...project, wbs, config, milestones };
}
