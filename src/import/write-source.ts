/** Write an imported report as a report source: a new one, or a month added to an existing one. */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type { RootContent } from "mdast";
import { toString } from "mdast-util-to-string";
import { isSeq, parseDocument, stringify as toYaml } from "yaml";
import { UsageError } from "../build.js";
import { diagnostic, hasErrors, sortDiagnostics, type Diagnostic } from "../diagnostics.js";
import { findSourceRoot, loadSource, SOURCE_FILES } from "../load/index.js";
import type { Project } from "../model.js";
import { markdownOf } from "../render/markdown.js";
import { DEFAULT_SECTIONS } from "../validate/config.js";
import { validateSource } from "../validate/index.js";
import { continuedCode } from "../validate/wbs.js";
import { writeOutputs } from "../write/index.js";
import { parseReport, type ImportedMilestone, type ImportedReport } from "./parse-report.js";

export interface ImportOptions {
  month: string;
  /** The folder to import into: an existing source gets a month; an empty or new folder a new source. */
  into: string;
}

export interface ImportResult {
  diagnostics: Diagnostic[];
  created: string[];
  kept: string[];
  root: string;
}

interface Element {
  code: string;
  fullCode: string;
  title: string;
  progress: boolean;
  children: Element[];
}

interface FragmentDraft {
  key: string;
  file: string;
  frontmatter: Record<string, unknown>;
  sections: Map<string, { nodes: RootContent[]; depth: number }[] | null>;
  /** For a part: its whole body. */
  body?: RootContent[];
  milestones: Record<string, unknown>[];
}

const KNOWN_IDS: Record<string, string> = { "current accomplishments": "accomplishments", "planned activities": "planned", "recruitment update": "recruitment" };
const KNOWN_PARTS: Record<string, string> = { "high-level summary": "summary", summary: "summary", "risk management": "risk" };

/** Import the report at `reportPath` (shown as `shown` in diagnostics). */
export function importReport(reportPath: string, shown: string, options: ImportOptions): ImportResult {
  const report = parseReport(readFileSync(reportPath, "utf8").replace(/^\uFEFF/, "").replace(/\r\n?/g, "\n"));
  const existingRoot = existsSync(join(options.into, SOURCE_FILES.config)) ? options.into : undefined;
  const root = existingRoot ?? options.into;
  if (existingRoot && existsSync(join(root, "months", options.month)))
    throw new UsageError(`${join(root, "months", options.month)} exists already: import adds a month, it never writes over one`);
  if (!existingRoot && findSourceRoot(dirname(options.into)) && findSourceRoot(dirname(options.into)) !== options.into)
    throw new UsageError(`${options.into} is inside another report source (${findSourceRoot(dirname(options.into))}); import into that source, or into a folder of its own`);
  const result: ImportResult = { diagnostics: [], created: [], kept: [], root };
  const warn = (line: number, rule: string, message: string) => result.diagnostics.push(diagnostic(shown, { line, column: 1 }, rule, message));
  for (const note of report.notes) warn(note.line, "import-guess", note.message);

  const files = new Map<string, string>();
  const project = existingRoot ? existingProject(root, result) : undefined;
  if (existingRoot && !project) return result;
  const leftovers: { line: number; why: string; nodes: RootContent[] }[] = report.leftovers.map((piece) => ({ ...piece, why: "not part of a known section of the report" }));

  // The WBS tree: the source's own, or one built from the report's chapter and element headings.
  const tree = project ? undefined : buildTree(report);
  const find = (code: string): { code: string; fullCode: string } | undefined => {
    if (project) {
      const element = project.wbs.find(code);
      return element && { code: element.code, fullCode: element.fullCode };
    }
    return tree!.byCode.get(code);
  };

  const sectionIds = new Map<string, string>();
  const sectionTitles: string[] = [];
  for (const chapter of report.chapters) for (const section of chapter.sections) if (!sectionTitles.includes(section.title)) sectionTitles.push(section.title);
  for (const title of sectionTitles) {
    const configured = project?.config.sections.find((spec) => normalise(spec.title) === normalise(title));
    if (project && !configured) continue;
    sectionIds.set(title, configured?.id ?? KNOWN_IDS[normalise(title)] ?? slug(title));
  }
  const placeholders = new Map((project?.config.sections ?? DEFAULT_SECTIONS).flatMap((spec) => (spec.placeholder ? [[spec.id, normalise(spec.placeholder)] as const] : [])));

  const drafts = new Map<string, FragmentDraft>();
  const fragmentFor = (code: string, fullCode: string): FragmentDraft => {
    const key = `wbs ${fullCode}`;
    let draft = drafts.get(key);
    if (!draft) {
      draft = { key, file: `${code}.md`, frontmatter: { wbs: code, month: options.month }, sections: new Map(), milestones: [] };
      drafts.set(key, draft);
    }
    return draft;
  };

  for (const chapter of report.chapters) {
    for (const section of chapter.sections) {
      const id = sectionIds.get(section.title);
      for (const block of section.blocks) {
        const code = block.code ?? chapter.code;
        const element = find(code);
        const line = block.nodes[0]?.position?.start.line ?? 1;
        if (!element || !id) {
          leftovers.push({ line, why: !element ? `WBS ${code} is not in wbs.yaml` : `section \`${section.title}\` is not one of this source's sections`, nodes: block.nodes });
          continue;
        }
        const draft = fragmentFor(element.code, element.fullCode);
        // Text that is the section's placeholder is what the report shows for "nothing written".
        const placeholder = placeholders.get(id);
        const said = normalise(toString({ type: "root", children: block.nodes }));
        draft.sections.set(id, placeholder && said === placeholder ? null : [...(draft.sections.get(id) ?? []), { nodes: block.nodes, depth: block.depth }]);
      }
    }
  }
  // An element whose every section was its placeholder had no fragment at all.
  for (const [key, draft] of drafts) if ([...draft.sections.values()].every((nodes) => nodes === null)) drafts.delete(key);

  const partIds = new Map<string, string>();
  for (const part of report.parts) {
    const configured = project?.config.parts.find((spec) => normalise(spec.title) === normalise(part.title));
    const id = project ? configured?.id : KNOWN_PARTS[normalise(part.title)] ?? slug(part.title);
    const line = part.nodes[0]?.position?.start.line ?? 1;
    if (!id) {
      leftovers.push({ line, why: `part \`${part.title}\` is not in this source's parts`, nodes: part.nodes });
      continue;
    }
    partIds.set(part.title, id);
    drafts.set(`part ${id}`, { key: `part ${id}`, file: `${id}.md`, frontmatter: { part: id, month: options.month }, sections: new Map(), body: part.nodes, milestones: [] });
  }

  // Milestones: the register's facts, and each milestone's status in the fragment of its owner.
  const areaOwner = areaOwners(report, project, tree);
  const register: Record<string, unknown>[] = [];
  const known = new Set(project ? project.milestones.keys() : []);
  for (const milestone of report.milestones) {
    const owner = ownerOf(milestone, areaOwner, project, tree);
    for (const id of milestone.ids) {
      if (known.has(id)) continue;
      known.add(id);
      register.push({ id, title: milestone.title, ...(milestone.level !== undefined ? { level: milestone.level } : {}), wbs: owner.code, due: milestone.due });
    }
    const statusOwner = project ? project.wbs.find(project.milestones.get(milestone.ids[0]!)?.wbs ?? owner.fullCode) ?? owner : owner;
    fragmentFor(statusOwner.code, statusOwner.fullCode).milestones.push({
      id: milestone.ids.length > 1 ? milestone.ids : milestone.ids[0],
      ...(milestone.ids.length > 1 ? { title: milestone.title } : {}),
      status: milestone.status,
      ...(milestone.forecast ? { forecast: milestone.forecast } : {}),
      ...(milestone.note ? { note: markdownOf(milestone.note.children) } : {}),
    });
  }

  if (project) {
    if (register.length) files.set(SOURCE_FILES.milestones, appendToRegister(root, register));
  } else {
    files.set(SOURCE_FILES.config, configText(report, sectionTitles, sectionIds, partIds));
    files.set(SOURCE_FILES.wbs, wbsText(tree!.roots));
    files.set(SOURCE_FILES.milestones, toYaml({ milestones: register }, { lineWidth: 0, flowCollectionPadding: true }));
  }
  for (const draft of drafts.values()) files.set(`months/${options.month}/${draft.file}`, fragmentText(draft, sectionTitles, sectionIds));
  leftovers.sort((a, b) => a.line - b.line);
  if (leftovers.length) {
    const name = `import-leftover-${options.month}.md`;
    files.set(name, leftoverText(leftovers, shown));
    for (const piece of leftovers) warn(piece.line, "import-leftover", `this text could not be placed (${piece.why}); it is kept in ${name}`);
  }

  for (const [file, content] of files) {
    const path = join(root, file);
    if (existsSync(path) && file !== SOURCE_FILES.milestones) {
      result.kept.push(file);
      continue;
    }
    writeOutputs(dirname(path), [{ name: path.slice(dirname(path).length + 1), content }]);
    result.created.push(file);
  }
  result.diagnostics = sortDiagnostics(result.diagnostics);
  return result;
}

function existingProject(root: string, result: ImportResult): Project | undefined {
  const { source, diagnostics } = loadSource(root, { months: [] });
  const { project, diagnostics: problems } = validateSource(source);
  const errors = [...diagnostics, ...problems].filter((found) => found.severity === "error");
  if (!project || hasErrors(errors)) {
    result.diagnostics.push(...errors);
    return undefined;
  }
  return project;
}

/** The tree of chapters and elements the report's headings name, nested by their codes. */
function buildTree(report: ImportedReport): { roots: Element[]; byCode: Map<string, Element> } {
  const byCode = new Map<string, Element>();
  const roots: Element[] = [];
  for (const chapter of report.chapters) {
    const root: Element = { code: chapter.code, fullCode: chapter.code, title: chapter.title, progress: true, children: [] };
    byCode.set(chapter.code, root);
    roots.push(root);
    const titles = new Map<string, string | undefined>();
    for (const section of chapter.sections)
      for (const block of section.blocks) if (block.code && !titles.get(block.code)) titles.set(block.code, block.title);
    // Shorter codes first, so that a parent exists before its children; siblings in code order.
    for (const code of [...titles.keys()].sort((a, b) => a.split(".").length - b.split(".").length || compareCodes(a, b))) {
      let parent = root;
      for (const candidate of [...byCode.values()].filter((element) => element === root || isUnder(element, root)))
        if (continuedCode(candidate.fullCode, code) && candidate.fullCode.length > parent.fullCode.length) parent = candidate;
      const element: Element = { code, fullCode: continuedCode(parent.fullCode, code)!, title: titles.get(code) ?? code, progress: true, children: [] };
      parent.children.push(element);
      parent.children.sort((a, b) => compareCodes(a.code, b.code));
      byCode.set(code, element);
    }
  }
  // Areas of the Milestone Summary that are no chapter: elements that own milestones and write no progress.
  let added = 0;
  report.areas.forEach((area, index) => {
    if (roots.some((root) => sameTitle(root.title, area))) return;
    const element: Element = { code: `AREA${++added}`, fullCode: `AREA${added}`, title: area, progress: false, children: [] };
    const before = report.areas.slice(0, index).reverse().map((title) => roots.findIndex((root) => sameTitle(root.title, title))).find((at) => at >= 0);
    roots.splice(before === undefined ? roots.length : before + 1, 0, element);
    byCode.set(element.code, element);
  });
  return { roots, byCode };
}

function isUnder(element: Element, root: Element): boolean {
  return root.children.some((child) => child === element || isUnder(element, child));
}

/** Each area heading's owning element. */
function areaOwners(report: ImportedReport, project: Project | undefined, tree: ReturnType<typeof buildTree> | undefined) {
  const owners = new Map<string, { code: string; fullCode: string }>();
  for (const area of report.areas) {
    const element = project
      ? project.wbs.elements.find((candidate) => sameTitle(candidate.title, area))
      : tree!.roots.find((root) => sameTitle(root.title, area));
    if (element) owners.set(area, { code: element.code, fullCode: element.fullCode });
  }
  return owners;
}

function ownerOf(
  milestone: ImportedMilestone,
  areaOwner: Map<string, { code: string; fullCode: string }>,
  project: Project | undefined,
  tree: ReturnType<typeof buildTree> | undefined,
): { code: string; fullCode: string } {
  const area = milestone.area ? areaOwner.get(milestone.area) : undefined;
  if (area) return area;
  // A level group names no area: the first chapter owns it, and reports it.
  const first = project ? project.wbs.roots[0]! : tree!.roots.find((root) => root.progress) ?? tree!.roots[0]!;
  return { code: first.code, fullCode: first.fullCode };
}

function configText(report: ImportedReport, sectionTitles: string[], sectionIds: Map<string, string>, partIds: Map<string, string>): string {
  const defaults = new Map(DEFAULT_SECTIONS.map((spec) => [spec.id, spec]));
  const levels = [...new Set(report.milestones.flatMap((milestone) => (milestone.level === undefined ? [] : [milestone.level])))].sort();
  const links = [...report.linkPrefixes].map(([url, keys]) => {
    const prefixes = [...keys].sort();
    return { name: `${prefixes.join(", ")} links`, pattern: `\\b(?:${prefixes.join("|")})-\\d+\\b(?!-)`, url: `${url}{0}` };
  });
  const config: Record<string, unknown> = {
    title: report.title ?? "Monthly Report",
    sections: sectionTitles.map((title) => {
      const id = sectionIds.get(title)!;
      const placeholder = defaults.get(id)?.placeholder;
      return { id, title, ...(placeholder ? { placeholder } : {}) };
    }),
    parts: report.parts.flatMap((part) => (partIds.has(part.title) ? [{ id: partIds.get(part.title)!, title: part.title }] : [])),
    ...(levels.length ? { milestones: { levelsFirst: levels } } : {}),
    ...(links.length ? { tickets: [...new Set(links.flatMap((link) => /\(\?:([^)]*)\)/.exec(link.pattern)![1]!.split("|")))], links } : {}),
  };
  const missingDates = report.milestones.some((milestone) => milestone.status === "completed");
  const missingForecasts = report.milestones.some((milestone) => milestone.status === "delayed" && !milestone.forecast);
  if (missingDates || missingForecasts) {
    config.rules = {
      ...(missingDates ? { "milestone-completed-date": "warning" } : {}),
      ...(missingForecasts ? { "milestone-delayed-forecast": "warning" } : {}),
    };
  }
  const header = [
    "# Imported from a Markdown report by dmreport import; dmreport's README describes every key.",
    ...(config.rules
      ? ["# The report gives no completion dates (and not every forecast), so those rules are warnings", "# here until the milestones have them."]
      : []),
  ];
  return `${header.join("\n")}\n${toYaml(config, { lineWidth: 0 })}`;
}

function wbsText(roots: Element[]): string {
  const plain = (element: Element): Record<string, unknown> => ({
    code: element.code,
    title: element.title,
    ...(element.progress ? {} : { progress: false }),
    ...(element.children.length ? { children: element.children.map(plain) } : {}),
  });
  return `# The WBS tree, read from the report's chapter and section headings.\n${toYaml({ elements: roots.map(plain) }, { lineWidth: 0 })}`;
}

function appendToRegister(root: string, entries: Record<string, unknown>[]): string {
  const document = parseDocument(readFileSync(join(root, SOURCE_FILES.milestones), "utf8"), { schema: "core" });
  const list = document.get("milestones", true);
  if (isSeq(list)) for (const entry of entries) list.items.push(document.createNode(entry, { flow: true }));
  return document.toString({ lineWidth: 0, flowCollectionPadding: true });
}

function fragmentText(draft: FragmentDraft, sectionTitles: string[], sectionIds: Map<string, string>): string {
  const frontmatter = { ...draft.frontmatter, ...(draft.milestones.length ? { milestones: draft.milestones } : {}) };
  const lines = ["---", toYaml(frontmatter, { lineWidth: 0 }).trimEnd(), "---", ""];
  if (draft.body) lines.push(markdownOf(placedUnder(draft.body, 1)), "");
  for (const title of sectionTitles) {
    const id = sectionIds.get(title);
    if (!id || !draft.sections.has(id)) continue;
    const blocks = draft.sections.get(id);
    lines.push(`## ${title}`, "");
    // Headings keep their depth below the heading they stood under, now the section's (##).
    if (blocks) lines.push(markdownOf(blocks.flatMap((block) => relativeTo(block.nodes, block.depth, 2))), "");
    else lines.push("");
  }
  return `${lines.join("\n").replace(/\n+$/, "")}\n`;
}

/** Headings that stood under a heading of depth `from`, moved to stand the same way under one of depth `to`. */
function relativeTo(nodes: RootContent[], from: number, to: number): RootContent[] {
  return nodes.map((node) =>
    node.type === "heading" ? { ...node, depth: Math.min(6, Math.max(to + 1, node.depth - from + to)) as 1 | 2 | 3 | 4 | 5 | 6 } : node,
  );
}

/** Headings in imported text moved below `level`, so that they do not read as sections. */
function placedUnder(nodes: RootContent[], level: number): RootContent[] {
  const depths = nodes.flatMap((node) => (node.type === "heading" ? [node.depth] : []));
  if (!depths.length || Math.min(...depths) > level) return nodes;
  const shift = level + 1 - Math.min(...depths);
  return nodes.map((node) => (node.type === "heading" ? { ...node, depth: Math.min(6, node.depth + shift) as 1 | 2 | 3 | 4 | 5 | 6 } : node));
}

function leftoverText(pieces: { line: number; why: string; nodes: RootContent[] }[], shown: string): string {
  const parts = pieces.map((piece) => `<!-- ${shown}, line ${piece.line}: ${piece.why} -->\n\n${markdownOf(piece.nodes)}`);
  return `# Text dmreport import could not place\n\nMove each piece into the fragment where it belongs, then delete this file.\n\n${parts.join("\n\n")}\n`;
}

function normalise(text: string): string {
  return text.replace(/\s+/g, " ").replace(/[.:]$/, "").trim().toLowerCase();
}

function sameTitle(a: string, b: string): boolean {
  const plain = (text: string) => normalise(text).replace(/&/g, "and").replace(/[^a-z0-9]+/g, " ").trim();
  return plain(a) === plain(b);
}

function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "") || "part";
}

function compareCodes(a: string, b: string): number {
  const left = a.split(".");
  const right = b.split(".");
  for (let index = 0; index < Math.max(left.length, right.length); index++) {
    const [x, y] = [left[index], right[index]];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    const order = /^\d+$/.test(x) && /^\d+$/.test(y) ? Number(x) - Number(y) : x.localeCompare(y);
    if (order) return order;
  }
  return 0;
}
