/** Completion of WBS codes, milestone ids, statuses and parts in YAML, and of section headings in a fragment's text. */
import { CompletionItemKind, MarkupKind, type CompletionItem, type Range } from "vscode-languageserver/node";
import { mayReport } from "../core/wbs.js";
import { completedBefore, inForceIn, knowledgeOf } from "./knowledge.js";
import { milestoneCard } from "./navigation.js";
import type { Session } from "./session.js";
import { sourcePath } from "../load/source-files.js";

const STATUSES: Record<string, string> = {
  completed: "done: give `completed: YYYY-MM-DD`",
  delayed: "late: give `forecast:` and a `note:` saying why",
  "at-risk": "may be late: a `forecast:` and `note:` help the reader",
  "on-track": "expected by its due date",
};

/** Answer completion requests. */
export function offerCompletions(session: Session): void {
  const { connection, options, memoOf, overlayOf, opened, guarded } = session;
  connection.onCompletion((params) =>
    guarded("completion", [], () => {
      const { document, path, root } = opened(params.textDocument.uri) ?? {};
      if (!document || !path || !root) return [];
      const inSource = sourcePath(root, path);
      const month = /^months\/(\d{4}-\d{2})\//.exec(inSource)?.[1];
      const lines = document.getText().split(/\r?\n/);
      const line = lines[params.position.line] ?? "";
      const before = line.slice(0, params.position.character);
      const overlay = overlayOf(root);
      const knowledge = knowledgeOf(root, overlay, memoOf(root));
      const structure = inForceIn(knowledge, month);
      const inFrontmatter =
        month !== undefined &&
        lines[0] === "---" &&
        params.position.line > 0 &&
        lines.slice(1, params.position.line).every((text) => text !== "---") &&
        lines.slice(1).includes("---");
      const isYaml = inFrontmatter || inSource.endsWith(".yaml");
      const word = (pattern: RegExp) => {
        const match = pattern.exec(before);
        if (!match) return undefined;
        const typed = match[match.length - 1] ?? "";
        const range: Range = {
          start: { line: params.position.line, character: params.position.character - typed.length },
          end: params.position,
        };
        return { typed, range };
      };

      if (isYaml) {
        const wbsAt = word(/^\s*(?:-\s+)?wbs:\s*["']?([^"'\s]*)$/) ?? word(/[{,]\s*wbs:\s*["']?([^"'\s,}]*)$/);
        if (wbsAt && structure.wbs)
          return structure.wbs.elements.map(
            (element, index): CompletionItem => ({
              label: element.code,
              kind: CompletionItemKind.Value,
              detail: element.title,
              ...(element.lead && { documentation: `Lead: ${element.lead}` }),
              sortText: String(index).padStart(5, "0"),
              filterText: element.code,
              textEdit: { range: wbsAt.range, newText: element.code },
            }),
          );
        const idAt = word(/(?:^|[\s{,])id:\s*(?:\[\s*(?:[^\]]*,\s*)?)?["']?([^"',\]\s}]*)$/);
        if (idAt && structure.milestones) {
          const reporter =
            inFrontmatter && structure.wbs
              ? structure.wbs.find(/^wbs:\s*["']?([^"'\s]+)/m.exec(lines.slice(1, lines.indexOf("---", 1)).join("\n"))?.[1] ?? "")
              : undefined;
          const reportFrom = structure.config?.milestones.reportFrom ?? "element";
          // Completed in an earlier month: nothing more to report of them, offered last.
          const completed = month ? completedBefore(knowledge, month, overlay, memoOf(root), options.cache) : new Map<string, string>();
          return [...structure.milestones.values()].map((milestone, index): CompletionItem => {
            const owner = structure.wbs?.find(milestone.wbs);
            const own = reporter && owner ? mayReport(reporter, owner, reportFrom) : false;
            const done = completed.get(milestone.id);
            return {
              label: milestone.id,
              kind: CompletionItemKind.Reference,
              detail: `${milestone.title} (due ${milestone.due}${done ? `, completed ${done}` : ""})`,
              documentation: { kind: MarkupKind.Markdown, value: milestoneCard(milestone, owner) },
              // The open milestones this fragment may report come first, the completed ones last.
              sortText: `${done ? 2 : own ? 0 : 1}${String(index).padStart(5, "0")}`,
              filterText: milestone.id,
              textEdit: { range: idAt.range, newText: milestone.id },
            };
          });
        }
        const statusAt = word(/(?:^|[\s{,])status:\s*([a-z-]*)$/);
        if (statusAt)
          return Object.entries(STATUSES).map(
            ([status, meaning], index): CompletionItem => ({
              label: status,
              kind: CompletionItemKind.EnumMember,
              detail: meaning,
              sortText: String(index),
              textEdit: { range: statusAt.range, newText: status },
            }),
          );
        const partAt = inFrontmatter ? word(/^\s*part:\s*["']?([a-z0-9-]*)$/) : undefined;
        if (partAt && structure.config)
          return structure.config.parts.map(
            (part): CompletionItem => ({
              label: part.id,
              kind: CompletionItemKind.Value,
              detail: part.title,
              textEdit: { range: partAt.range, newText: part.id },
            }),
          );
        return [];
      }

      // In a fragment's text: the section headings of its month, those not written yet first.
      const headingAt = month !== undefined ? /^#{1,2}(?:\s+[^#]*)?$|^#$/.exec(before) : null;
      if (headingAt && structure.config) {
        const written = new Set(lines.filter((text) => /^#{1,2}\s/.test(text)).map((text) => text.replace(/^#+\s+/, "").trim()));
        const range: Range = { start: { line: params.position.line, character: 0 }, end: params.position };
        return structure.config.sections.map(
          (section, index): CompletionItem => ({
            label: section.title,
            kind: CompletionItemKind.Module,
            detail: written.has(section.title) ? "a section of the report (already in this fragment)" : "a section of the report",
            sortText: `${written.has(section.title) ? 1 : 0}${index}`,
            filterText: `## ${section.title}`,
            textEdit: { range, newText: `## ${section.title}` },
          }),
        );
      }
      return [];
    }),
  );
}
