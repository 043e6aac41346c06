/** Split a WBS fragment's Markdown body into its sections by their headings. */
import type { Heading, Root, RootContent } from "mdast";
import { toString as plainText } from "mdast-util-to-string";
import { didYouMean, nearest } from "./nearest.js";
import { diagnostic, withSuggestions, type Diagnostic, type Span } from "../core/diagnostics.js";
import type { SectionContent, SectionSpec } from "../core/model.js";
import { forceRange } from "../core/structure.js";

/**
 * Headings of depth 1 or 2 open sections and must name a configured section; deeper headings
 * belong to the section they stand in. Nothing may stand outside a section, so that no text
 * written by a lead silently misses the report.
 */
export function splitSections(
  file: string,
  body: Root,
  specs: readonly SectionSpec[],
  /** The sections of other months, and this fragment's month, to name when a heading is one of them. */
  dated?: { all: readonly SectionSpec[]; month: string },
): { sections: Map<string, SectionContent>; empty: Set<string>; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const sections = new Map<string, SectionContent>();
  const empty = new Set<string>();
  const known = specs.map((spec) => `\`${spec.title}\``).join(", ");
  let current: { id: string; heading: Heading; nodes: RootContent[] } | null = null;
  // Text under an unknown or repeated heading is already reported with that heading.
  let underReportedHeading = false;
  let strayReported = false;

  const close = () => {
    if (!current) return;
    const { id, heading } = current;
    // Comments are notes to the writer (reminders, directives), never part of the report.
    const nodes = current.nodes.filter((node) => !isComment(node));
    if (nodes.length === 0) {
      empty.add(id);
      diagnostics.push(
        diagnostic(
          file,
          start(heading),
          "fragment-empty-section",
          `section \`${plainText(heading)}\` is empty: write something under it or remove the heading`,
        ),
      );
    } else {
      sections.set(id, { content: { type: "root", children: nodes }, headingDepth: heading.depth });
    }
  };

  for (const node of body.children) {
    if (node.type === "heading" && node.depth <= 2) {
      close();
      current = null;
      underReportedHeading = true;
      const title = normalise(plainText(node));
      const spec = specs.find((candidate) => normalise(candidate.title) === title);
      const retired = spec ? undefined : dated?.all.find((candidate) => normalise(candidate.title) === title);
      if (retired) {
        const now = specs.find((candidate) => candidate.id === retired.id);
        diagnostics.push(
          diagnostic(
            file,
            start(node),
            "fragment-unknown-section",
            `section \`${plainText(node)}\` is in force ${forceRange(retired)}, not in ${dated!.month}: ${now ? `it is called \`${now.title}\` now` : `use one of ${known}`}`,
          ),
        );
      } else if (!spec) {
        const suggestions = nearest(
          plainText(node).replace(/:\s*$/, ""),
          specs.map((candidate) => candidate.title),
          1,
        );
        const found = diagnostic(
          file,
          start(node),
          "fragment-unknown-section",
          `section \`${plainText(node)}\` is not one the report shows, so its text would be lost: ${suggestions.length ? `${didYouMean(suggestions)} The sections are` : "use one of"} ${known}`,
        );
        diagnostics.push(withSuggestions(found, suggestions, headingText(node)));
      } else if (sections.has(spec.id) || empty.has(spec.id)) {
        diagnostics.push(
          diagnostic(
            file,
            start(node),
            "fragment-duplicate-section",
            `section \`${spec.title}\` appears twice in this fragment: merge the two into one`,
          ),
        );
      } else {
        current = { id: spec.id, heading: node, nodes: [] };
        underReportedHeading = false;
      }
      continue;
    }
    if (current) {
      current.nodes.push(node);
    } else if (!isComment(node) && !strayReported && !underReportedHeading) {
      strayReported = true;
      diagnostics.push(
        diagnostic(
          file,
          start(node),
          "fragment-text-outside-section",
          `this text is not under a section heading, so it would be lost: put it under one of ${known}`,
        ),
      );
    }
  }
  close();
  return { sections, empty, diagnostics };
}

function normalise(title: string): string {
  return title.trim().replace(/:$/, "").replace(/\s+/g, " ").toLowerCase();
}

/** HTML comments (reminders, disable directives) are not content. */
export function isComment(node: RootContent): boolean {
  return node.type === "html" && /^\s*<!--[\s\S]*-->\s*$/.test(node.value);
}

/** The text of a heading after its `#` marks: what a suggested title replaces. */
function headingText(node: Heading): Span | undefined {
  const first = node.children[0]?.position?.start;
  const last = node.children[node.children.length - 1]?.position?.end;
  return first && last ? { start: { line: first.line, column: first.column }, end: { line: last.line, column: last.column } } : undefined;
}

function start(node: RootContent): { line: number; column: number } {
  return node.position ? { line: node.position.start.line, column: node.position.start.column } : { line: 1, column: 1 };
}
