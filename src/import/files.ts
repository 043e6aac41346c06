/** The text of each file an import writes: config, WBS tree, fragments, leftovers. */
import type { RootContent } from "mdast";
import { stringify as toYaml } from "yaml";
import { markdownOf } from "../render/markdown.js";
import { DEFAULT_SECTIONS } from "../validate/config.js";
import type { ImportedReport } from "./parse-report.js";
import type { Element } from "./tree.js";

export interface FragmentDraft {
  key: string;
  file: string;
  frontmatter: Record<string, unknown>;
  sections: Map<string, { nodes: RootContent[]; depth: number }[] | null>;
  /** For a part: its whole body. */
  body?: RootContent[];
  milestones: Record<string, unknown>[];
}

export function configText(
  report: ImportedReport,
  sectionTitles: string[],
  sectionIds: Map<string, string>,
  partIds: Map<string, string>,
  /** Sections whose placeholder the report shows; the others leave silent elements out. */
  placeholderShown: ReadonlySet<string>,
): string {
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
      const placeholder = placeholderShown.has(id) ? defaults.get(id)?.placeholder : undefined;
      return { id, title, ...(placeholder ? { placeholder } : {}) };
    }),
    parts: report.parts.flatMap((part) => (partIds.has(part.title) ? [{ id: partIds.get(part.title)!, title: part.title }] : [])),
    milestones: {
      ...(levels.length ? { levelsFirst: levels } : {}),
      // A report without slip figures is rebuilt without them: its Markdown keeps its shape.
      ...(report.slipShown ? {} : { show: { md: ["changes", "threats"] } }),
    },
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
      ? [
          "# The report gives no completion dates (and not every forecast), so those rules are warnings",
          "# here until the milestones have them.",
        ]
      : []),
  ];
  return `${header.join("\n")}\n${toYaml(config, { lineWidth: 0 })}`;
}

export function wbsText(roots: Element[]): string {
  const plain = (element: Element): Record<string, unknown> => ({
    code: element.code,
    title: element.title,
    ...(element.progress ? {} : { progress: false }),
    ...(element.children.length ? { children: element.children.map(plain) } : {}),
  });
  return `# The WBS tree, read from the report's chapter and section headings.\n${toYaml({ elements: roots.map(plain) }, { lineWidth: 0 })}`;
}

export function fragmentText(draft: FragmentDraft, sectionTitles: string[], sectionIds: Map<string, string>): string {
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
  return nodes.map((node) =>
    node.type === "heading" ? { ...node, depth: Math.min(6, node.depth + shift) as 1 | 2 | 3 | 4 | 5 | 6 } : node,
  );
}

export function leftoverText(pieces: { line: number; why: string; nodes: RootContent[] }[], shown: string): string {
  const parts = pieces.map((piece) => `<!-- ${shown}, line ${piece.line}: ${piece.why} -->\n\n${markdownOf(piece.nodes)}`);
  return `# Text dmreport import could not place\n\nMove each piece into the fragment where it belongs, then delete this file.\n\n${parts.join("\n\n")}\n`;
}
