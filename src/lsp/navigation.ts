/** Hover and go to definition on milestone ids and WBS codes. */
import { pathToFileURL } from "node:url";
import { MarkupKind, type Hover, type Location, type Range } from "vscode-languageserver/node";
import type { TextDocument } from "vscode-languageserver-textdocument";
import type { Milestone, WbsElement } from "../core/model.js";
import { elementPlace, knowledgeOf, milestonePlace, stateBefore, type StateBefore } from "./knowledge.js";
import type { Session } from "./session.js";
import { sourcePath } from "../load/source-files.js";

/** Answer hover and definition requests. */
export function offerNavigation(session: Session): void {
  const { connection, options, memoOf, overlayOf, opened, guarded } = session;
  connection.onHover((params) =>
    guarded("hover", null, (): Hover | null => {
      const { document, path, root } = opened(params.textDocument.uri) ?? {};
      const at = document && wordAt(document, params.position.line, params.position.character);
      if (!path || !root || !at) return null;
      const overlay = overlayOf(root);
      const knowledge = knowledgeOf(root, overlay, memoOf(root));
      const milestone = knowledge.milestones?.get(at.word);
      if (milestone) {
        const month = /^months\/(\d{4}-\d{2})\//.exec(sourcePath(root, path))?.[1] ?? "9999-12";
        const before = stateBefore(knowledge, month, milestone.id, overlay, memoOf(root), options.cache);
        const lastLine = before ? storyLine(before) : "Not reported in an earlier month";
        return {
          range: at.range,
          contents: { kind: MarkupKind.Markdown, value: `${milestoneCard(milestone, knowledge.wbs?.find(milestone.wbs))}\n\n${lastLine}` },
        };
      }
      const element = knowledge.wbs?.find(at.word.replace(/^["']|["']$/g, ""));
      if (element) {
        const value = [
          `**${element.code}** ${element.title}`,
          element.lead ? `Lead: ${element.lead}` : "",
          element.fullCode !== element.code ? `Full code: \`${element.fullCode}\`` : "",
        ]
          .filter(Boolean)
          .join("\n\n");
        return { range: at.range, contents: { kind: MarkupKind.Markdown, value } };
      }
      return null;
    }),
  );

  connection.onDefinition((params) =>
    guarded("definition", null, (): Location | null => {
      const { document, path, root } = opened(params.textDocument.uri) ?? {};
      const at = document && wordAt(document, params.position.line, params.position.character);
      if (!path || !root || !at) return null;
      const knowledge = knowledgeOf(root, overlayOf(root), memoOf(root));
      const milestone = knowledge.milestones?.get(at.word);
      const place = milestone ? milestonePlace(knowledge, milestone) : undefined;
      if (milestone && place && knowledge.registerSource) return locationOf(root, knowledge.registerSource.file, place);
      const element = knowledge.wbs?.find(at.word);
      const elementAt = element ? elementPlace(knowledge, element) : undefined;
      if (elementAt && knowledge.wbsSource) return locationOf(root, knowledge.wbsSource.file, elementAt);
      return null;
    }),
  );
}

/** What the month before's report says of a milestone, as the hover shows it. */
function storyLine({ month, state, scheduled }: StateBefore): string {
  const how = `Last month (${month}): **${state.state}**${state.reported ? "" : state.lastReported ? ` (carried; last reported ${state.lastReported})` : " (never reported)"}`;
  const dates = state.completed ? `, completed ${state.completed}` : state.forecast ? `, forecast ${state.forecast}` : "";
  return `${how}${dates}${scheduled ? `\n\nThis month's schedule: forecast ${scheduled}` : ""}`;
}

/** A milestone as a short card: id and title, level, due date, owner. */
export function milestoneCard(milestone: Milestone, owner: WbsElement | undefined): string {
  const facts = [
    milestone.level !== undefined ? `Level ${milestone.level}` : undefined,
    `due ${milestone.due}`,
    owner ? `\`${owner.code}\` ${owner.title}` : `\`${milestone.wbs}\``,
  ].filter(Boolean);
  const schedule = milestone.completed
    ? `Schedule: completed ${milestone.completed}`
    : milestone.forecast
      ? `Schedule forecast: ${milestone.forecast}`
      : "";
  return [`**${milestone.id}** ${milestone.title}`, facts.join(" · "), schedule].filter(Boolean).join("\n\n");
}

function locationOf(root: string, file: string, place: { line: number; column: number }): Location {
  const start = { line: place.line - 1, character: place.column - 1 };
  return { uri: pathToFileURL(`${root}/${file}`).href, range: { start, end: start } };
}

/** The id-like word under the cursor: letters, digits and `&._-` (milestone ids, WBS codes). */
function wordAt(document: TextDocument, line: number, character: number): { word: string; range: Range } | undefined {
  const text = document.getText({ start: { line, character: 0 }, end: { line: line + 1, character: 0 } }).replace(/\r?\n$/, "");
  const isWord = (char: string | undefined) => char !== undefined && /[A-Za-z0-9&._-]/.test(char);
  let start = character;
  let end = character;
  while (start > 0 && isWord(text[start - 1])) start--;
  while (end < text.length && isWord(text[end])) end++;
  const word = text.slice(start, end).replace(/[.-]+$/, "");
  if (!word) return undefined;
  return { word, range: { start: { line, character: start }, end: { line, character: start + word.length } } };
}
