/** Write an imported report as a report source: a new one, or a month added to an existing one. */
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type { RootContent } from "mdast";
import { toString as plainText } from "mdast-util-to-string";
import { isSeq, parseDocument, stringify as toYaml } from "yaml";
import { UsageError } from "../core/errors.js";
import { diagnostic, sortDiagnostics, type Diagnostic } from "../core/diagnostics.js";
import { findSourceRoot, SOURCE_FILES } from "../load/index.js";
import { SourceFiles } from "../load/source-files.js";
import { checkedProject } from "../project.js";
import type { PartSpec, Project, SectionSpec } from "../core/model.js";
import { configAt } from "../core/structure.js";
import { markdownOf } from "../render/markdown.js";
import { DEFAULT_SECTIONS } from "../validate/config.js";
import { writeSourceFiles } from "../write/source.js";
import { configText, fragmentText, leftoverText, wbsText, type FragmentDraft } from "./files.js";
import { parseReport } from "./parse-report.js";
import { areaOwners, buildTree, normalise, ownerOf, slug } from "./tree.js";

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

const KNOWN_IDS: Record<string, string> = {
  "current accomplishments": "accomplishments",
  "planned activities": "planned",
  "recruitment update": "recruitment",
};
const KNOWN_PARTS: Record<string, string> = { "high-level summary": "summary", summary: "summary", "risk management": "risk" };

/** Import the report at `reportPath` (shown as `shown` in diagnostics). */
export function importReport(reportPath: string, shown: string, options: ImportOptions): ImportResult {
  const report = parseReport(
    readFileSync(reportPath, "utf8")
      .replace(/^\uFEFF/, "")
      .replace(/\r\n?/g, "\n"),
  );
  const existingRoot = existsSync(join(options.into, SOURCE_FILES.config)) ? options.into : undefined;
  const root = existingRoot ?? options.into;
  if (existingRoot && existsSync(join(root, "months", options.month)))
    throw new UsageError(`${join(root, "months", options.month)} exists already: import adds a month, it never writes over one`);
  if (!existingRoot && findSourceRoot(dirname(options.into)) && findSourceRoot(dirname(options.into)) !== options.into)
    throw new UsageError(
      `${options.into} is inside another report source (${findSourceRoot(dirname(options.into))}); import into that source, or into a folder of its own`,
    );
  const result: ImportResult = { diagnostics: [], created: [], kept: [], root };
  const warn = (line: number, rule: string, message: string) =>
    result.diagnostics.push(diagnostic(shown, { line, column: 1 }, rule, message));
  for (const note of report.notes) warn(note.line, "import-guess", note.message);

  const files = new Map<string, string>();
  const project = existingRoot ? existingProject(root, result) : undefined;
  if (existingRoot && !project) return result;
  const leftovers: { line: number; why: string; nodes: RootContent[] }[] = report.leftovers.map((piece) => ({
    ...piece,
    why: "not part of a known section of the report",
  }));

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
  for (const chapter of report.chapters)
    for (const section of chapter.sections) if (!sectionTitles.includes(section.title)) sectionTitles.push(section.title);
  // Into an existing source, the month keeps the structure it had: a section or part the source
  // does not have in force that month is added to dmreport.yaml for that month alone.
  const inForce = project && configAt(project.config, options.month);
  const added: { sections: SectionSpec[]; parts: PartSpec[] } = { sections: [], parts: [] };
  const datedId = (known: readonly { id: string }[], wanted: string, title: string) => {
    for (const id of [wanted, slug(title), `${slug(title)}-${options.month}`]) if (!known.some((spec) => spec.id === id)) return id;
    return `${slug(title)}-${options.month}-${known.length}`;
  };
  for (const title of sectionTitles) {
    const configured = inForce?.sections.find((spec) => normalise(spec.title) === normalise(title));
    const other = project?.config.sections.find((spec) => normalise(spec.title) === normalise(title));
    if (project && !configured) {
      const id = datedId(inForce!.sections.concat(added.sections), other?.id ?? KNOWN_IDS[normalise(title)] ?? slug(title), title);
      added.sections.push({ id, title, from: options.month, until: options.month });
      sectionIds.set(title, id);
      continue;
    }
    sectionIds.set(title, configured?.id ?? KNOWN_IDS[normalise(title)] ?? slug(title));
  }
  const placeholders = new Map(
    (inForce?.sections ?? DEFAULT_SECTIONS).flatMap((spec) => (spec.placeholder ? [[spec.id, normalise(spec.placeholder)] as const] : [])),
  );

  // Sections whose placeholder the report shows: a report that leaves silent elements out of a
  // section instead gets a section without placeholder, and so rebuilds without one.
  const placeholderShown = new Set<string>();
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
          leftovers.push({
            line,
            why: !element ? `WBS ${code} is not in wbs.yaml` : `section \`${section.title}\` is not one of this source's sections`,
            nodes: block.nodes,
          });
          continue;
        }
        const draft = fragmentFor(element.code, element.fullCode);
        // Text that is the section's placeholder is what the report shows for "nothing written".
        const placeholder = placeholders.get(id);
        const said = normalise(plainText({ type: "root", children: block.nodes }));
        if (placeholder && said === placeholder) placeholderShown.add(id);
        draft.sections.set(
          id,
          placeholder && said === placeholder ? null : [...(draft.sections.get(id) ?? []), { nodes: block.nodes, depth: block.depth }],
        );
      }
    }
  }
  // An element whose every section was its placeholder had no fragment at all.
  for (const [key, draft] of drafts) if ([...draft.sections.values()].every((nodes) => nodes === null)) drafts.delete(key);

  const partIds = new Map<string, string>();
  for (const part of report.parts) {
    const configured = inForce?.parts.find((spec) => normalise(spec.title) === normalise(part.title));
    let id = project ? configured?.id : (KNOWN_PARTS[normalise(part.title)] ?? slug(part.title));
    if (project && !id) {
      const other = project.config.parts.find((spec) => normalise(spec.title) === normalise(part.title));
      id = datedId(inForce!.parts.concat(added.parts), other?.id ?? KNOWN_PARTS[normalise(part.title)] ?? slug(part.title), part.title);
      added.parts.push({ id, title: part.title, from: options.month, until: options.month });
    }
    if (!id) continue;
    partIds.set(part.title, id);
    drafts.set(`part ${id}`, {
      key: `part ${id}`,
      file: `${id}.md`,
      frontmatter: { part: id, month: options.month },
      sections: new Map(),
      body: part.nodes,
      milestones: [],
    });
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
      register.push({
        id,
        title: milestone.title,
        ...(milestone.level !== undefined ? { level: milestone.level } : {}),
        wbs: owner.code,
        due: milestone.due,
      });
    }
    const statusOwner = project ? (project.wbs.find(project.milestones.get(milestone.ids[0]!)?.wbs ?? owner.fullCode) ?? owner) : owner;
    fragmentFor(statusOwner.code, statusOwner.fullCode).milestones.push({
      id: milestone.ids.length > 1 ? milestone.ids : milestone.ids[0],
      ...(milestone.ids.length > 1 ? { title: milestone.title } : {}),
      status: milestone.status,
      ...(milestone.completed ? { completed: milestone.completed } : {}),
      ...(milestone.forecast ? { forecast: milestone.forecast } : {}),
      ...(milestone.note ? { note: markdownOf(milestone.note.children) } : {}),
    });
  }

  if (project) {
    if (register.length) files.set(SOURCE_FILES.milestones, appendToRegister(root, register));
    if (added.sections.length || added.parts.length) {
      files.set(SOURCE_FILES.config, appendToConfig(root, added));
      for (const spec of [...added.sections, ...added.parts])
        warn(
          1,
          "import-guess",
          `\`${spec.title}\` is not in this source's ${added.sections.includes(spec as SectionSpec) ? "sections" : "parts"} for ${options.month}: it is added to dmreport.yaml for that month alone, as \`${spec.id}\``,
        );
    }
  } else {
    files.set(SOURCE_FILES.config, configText(report, sectionTitles, sectionIds, partIds, placeholderShown));
    files.set(SOURCE_FILES.wbs, wbsText(tree!.roots));
    files.set(SOURCE_FILES.milestones, toYaml({ milestones: register }, { lineWidth: 0, flowCollectionPadding: true }));
  }
  for (const draft of drafts.values()) files.set(`months/${options.month}/${draft.file}`, fragmentText(draft, sectionTitles, sectionIds));
  leftovers.sort((a, b) => a.line - b.line);
  if (leftovers.length) {
    const name = `import-leftover-${options.month}.md`;
    files.set(name, leftoverText(leftovers, shown));
    for (const piece of leftovers)
      warn(piece.line, "import-leftover", `this text could not be placed (${piece.why}); it is kept in ${name}`);
  }

  mkdirSync(root, { recursive: true });
  const sourceFiles = new SourceFiles(root);
  const writes: { name: string; content: string }[] = [];
  for (const [file, content] of files) {
    const path = join(root, file);
    // Into an existing source, the register and the config only gain entries; nothing else is written over.
    if (existsSync(path) && !(project && (file === SOURCE_FILES.milestones || file === SOURCE_FILES.config))) {
      result.kept.push(file);
      continue;
    }
    writes.push({ name: file, content });
    result.created.push(file);
  }
  writeSourceFiles(sourceFiles, writes);
  result.diagnostics = sortDiagnostics(result.diagnostics);
  return result;
}

function existingProject(root: string, result: ImportResult): Project | undefined {
  const { project, errors } = checkedProject(root, { months: [] });
  result.diagnostics.push(...errors);
  return project;
}

/** dmreport.yaml with the sections and parts added for the imported month, dated to it. */
function appendToConfig(root: string, added: { sections: SectionSpec[]; parts: PartSpec[] }): string {
  const document = parseDocument(sourceText(root, SOURCE_FILES.config), { schema: "core" });
  for (const key of ["sections", "parts"] as const) {
    if (!added[key].length) continue;
    const list = document.get(key, true);
    if (isSeq(list)) for (const entry of added[key]) list.items.push(document.createNode(entry));
    else document.set(key, document.createNode(added[key]));
  }
  return document.toString({ lineWidth: 0 });
}

function appendToRegister(root: string, entries: Record<string, unknown>[]): string {
  const document = parseDocument(sourceText(root, SOURCE_FILES.milestones), { schema: "core" });
  const list = document.get("milestones", true);
  if (isSeq(list)) for (const entry of entries) list.items.push(document.createNode(entry, { flow: true }));
  return document.toString({ lineWidth: 0, flowCollectionPadding: true });
}

/** The text of a file of the existing source at `root`, read through its door (checked by then: a refusal is a usage problem). */
function sourceText(root: string, name: string): string {
  const read = new SourceFiles(root).readText(name);
  if ("refusal" in read) throw new UsageError(read.refusal.message);
  return read.text;
}
